"""
The languages a document may be written in: every ISO 639-1 language (the two-letter codes of
the Unicode CLDR, which Babel carries), each named in the language of the page that shows it.
"""

import functools

from babel import Locale
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@functools.cache
def _locale(language):
    return Locale.parse(language or "en", sep="-")


def language_name(code, in_language=None):
    """The name of the language `code` in `in_language` (by default the active one): “arabe” for "ar" in French."""
    locale = _locale(in_language or get_language())
    name = locale.languages.get(code)
    return name[0].upper() + name[1:] if name else code


CODES = sorted(code for code in Locale.parse("en").languages if len(code) == 2 and code.isalpha())
LANGUAGE_CHOICES = [
    (code, lazy(language_name, str)(code)) for code in sorted(CODES, key=lambda code: language_name(code, "en"))
]


def validate_language(code):
    if code not in CODES:
        raise ValidationError(_("“%(code)s” is not an ISO 639-1 language code."), params={"code": code})


class LanguageField(models.CharField):
    """An ISO 639-1 code, chosen in forms from the languages' names (kept out of migrations)."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 2
        super().__init__(*args, **kwargs)
        self.validators.append(validate_language)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, "documents.languages.LanguageField", args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            required=not self.blank,
            choices=[("", "---------"), *LANGUAGE_CHOICES],
            **{key: value for key, value in kwargs.items() if key in {"widget", "initial"}},
        )
