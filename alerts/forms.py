from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class AddressField(forms.EmailField):
    """An email address, in lower case: one address however it is written."""

    def clean(self, value):
        return super().clean(value).lower()


class SubscribeForm(forms.Form):
    address = AddressField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to confirm the alert first; nothing else is sent until you follow it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
        help_text=_("A digest is sent only when something new has been published."),
    )


class ManageRequestForm(forms.Form):
    address = AddressField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
