from django import template

from catalogue.records import record_type_of

register = template.Library()


@register.filter
def feed_title(filterset):
    """The title of the feed that follows a list as `filterset` filters it (catalogue/feeds.py)."""
    return record_type_of(filterset._meta.model).feed().title(filterset)
