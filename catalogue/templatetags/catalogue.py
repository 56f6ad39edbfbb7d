from urllib.parse import urlsplit

from django import template

from catalogue import cards as record_cards
from languages.translations import lacks_translation, localized

register = template.Library()


register.filter(lacks_translation)
register.filter(localized)


@register.filter
def cards(records):
    """The records' cards (catalogue/cards.py), for `includes/cards.html`."""
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
