from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .documents import MAX_LENGTH


def no_control_characters(value):
    if any(0 < ord(character) < 32 for character in value):  # NUL has its own message, from Django.
        raise ValidationError(_("The search cannot contain control characters."), code="control_characters")


class SearchField(forms.CharField):
    """Words to search for: at most MAX_LENGTH characters, no control characters (PostgreSQL refuses NUL)."""

    default_validators = [no_control_characters]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Shorten the search to %(limit_value)d characters at most (it has %(show_value)d).")},
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
        super().__init__(**kwargs)


class SearchForm(forms.Form):
    q = SearchField(label=_("Search the catalogue"), help_text=_("Words in the titles, summaries, bodies or topics."))

    def clean(self):
        cleaned_data = super().clean()
        if len(self.data.getlist("q")) > 1:
            self.add_error("q", _("Give only one value for this filter."))
        return cleaned_data
