from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from catalogue import cards as record_cards

register = template.Library()


def translated_source(record, field):
    """
    The translated field that `field` shows: itself, or for a derived attribute such as a
    body's `label` or an article's `__str__`, the record's name or title.
    """
    fields = translator.get_options_for_model(type(record)).get_field_names()
    if field in fields:
        return field
    return "name" if "name" in fields else "title"


@register.filter
def lacks_translation(record, field):
    """Whether the page's language is not the site's and the record has English text for `field` but none in it."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    source = translated_source(record, field)
    english = getattr(record, build_localized_fieldname(source, settings.LANGUAGE_CODE))
    return bool(english) and not getattr(record, build_localized_fieldname(source, language))


@register.filter
def localized(record, field):
    """The record's text in the page's language, or its English text marked lang="en"."""
    value = getattr(record, field)
    if callable(value):
        value = value()
    if value and lacks_translation(record, field):
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
    return value


@register.filter
def cards(records):
    """The records' cards (wcointegrity/cards.py), for `includes/cards.html`."""
    return record_cards.cards(records)


@register.filter
def web_address(url):
    """
    The address if it is one of the web's (http or https), else "": for a link, so that an
    address a browser would run or open as data (javascript:, data:, vbscript:) is never one.
    The forms refuse such addresses; this also holds for any that reached the database another way.
    """
    url = str(url or "").strip()
    return url if urlsplit(url).scheme.lower() in {"http", "https"} else ""
