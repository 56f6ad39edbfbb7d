"""
A record's texts in the page's language: the fields that django-modeltranslation keeps in each
language, and what the page shows when the record has no text in the page's language but English.
"""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def translated_source(record, field):
    """
    The translated field that `field` shows: itself, or for a derived attribute such as a
    body's `label` or an article's `__str__`, the record's name or title.
    """
    fields = translator.get_options_for_model(type(record)).get_field_names()
    if field in fields:
        return field
    return "name" if "name" in fields else "title"


def lacks_translation(record, field):
    """Whether the page's language is not the site's and the record has English text for `field` but none in it."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    source = translated_source(record, field)
    english = getattr(record, build_localized_fieldname(source, settings.LANGUAGE_CODE))
    return bool(english) and not getattr(record, build_localized_fieldname(source, language))


def localized(record, field):
    """The record's text in the page's language, or its English text marked lang="en"."""
    value = getattr(record, field)
    if callable(value):
        value = value()
    if value and lacks_translation(record, field):
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
    return value
