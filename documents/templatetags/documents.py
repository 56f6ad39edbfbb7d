from django import template
from django.utils.translation import get_language

from documents import public
from documents.languages import language_name

register = template.Library()

register.filter(language_name)
register.filter("download_label", public.download_label)
register.filter("address_host", public.address_host)
register.filter("is_download", public.is_download)


@register.simple_tag
def visible_documents(record):
    """The record's documents, grouped, in the order a visitor reading the page's language sees them."""
    return public.visible_documents(record, get_language())
