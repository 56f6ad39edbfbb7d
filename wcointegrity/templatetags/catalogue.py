from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


@register.filter
def lacks_translation(record, field):
    """
    Whether the page is in a language the record has no text in, so that its English
    text is shown. A derived attribute, such as a body's `label`, follows the record's
    first translated field (its name or title).
    """
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    fields = translator.get_options_for_model(type(record)).get_field_names()
    source = field if field in fields else fields[0]
    return not getattr(record, build_localized_fieldname(source, language))


@register.filter
def localized(record, field):
    """The record's text in the page's language, or its English text marked lang="en"."""
    value = getattr(record, field)
    if callable(value):
        value = value()
    if value and lacks_translation(record, field):
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
    return value
