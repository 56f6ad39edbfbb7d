import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class SingleValueForm(forms.Form):
    """A filter form that refuses a parameter given twice rather than silently keeping one of the values."""

    def clean(self):
        cleaned_data = super().clean()
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, _("Give only one value for this filter."))
        return cleaned_data


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("e.g. 2019")}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter the year as a number, such as 2019."),
                "min_value": _("Enter a year between 1000 and 9999."),
                "max_value": _("Enter a year between 1000 and 9999."),
            },
        )
        super().__init__(*args, **kwargs)


class LazyChoiceFilter(django_filters.ChoiceFilter):
    """
    A choice filter whose `choices` is a callable that reads them from the database
    once per request, when the form field is built (a plain ChoiceField would call it
    again each time the choices are iterated).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field") and callable(self.extra["choices"]):
            self.extra["choices"] = list(self.extra["choices"]())
        return super().field
