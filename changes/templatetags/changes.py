from django import template
from django.urls import reverse

from ..corrections import last_corrected

register = template.Library()


@register.simple_tag
def last_correction(record):
    """When the public record was last corrected, or None."""
    return last_corrected(record)


@register.filter
def changes_url(record):
    """The address of the page of the public record's corrections."""
    return reverse(f"changes:{record._meta.model_name}", kwargs={"slug": record.slug})
