from dataclasses import dataclass, field

from django import template
from django.db.models import prefetch_related_objects
from django.urls import resolve, reverse

from publishing.cache import cached

from .. import formats
from ..registry import absolute_url, citation_item, citation_kind
from ..views import FILE_TYPES

register = template.Library()

FILE_LABELS = {"ris": "RIS", "bibtex": "BibTeX", "csl": "CSL-JSON"}


@dataclass
class RecordCitation:
    """What a record's page shows of its citation: the formatted citation, the files, the head's tags."""

    formatted: str
    files: list = field(default_factory=list)
    meta: list = field(default_factory=list)


def compute(record, kind):
    prefetch_related_objects([record], *kind.prefetches)
    item = citation_item(record, kind)
    page = resolve(record.get_absolute_url())
    files = [
        (
            FILE_LABELS[name],
            reverse(f"{page.namespace}:cite_{name}", kwargs=page.kwargs),
            file_type.content_type.split(";")[0],
        )
        for name, file_type in FILE_TYPES.items()
    ]
    pdf_url = kind.pdf_url(record)
    return RecordCitation(formats.formatted(item), files, formats.meta_tags(item, pdf_url and absolute_url(pdf_url)))


@register.simple_tag
def citation(record):
    """
    The citation of a published record (None for a record that is not cited), cached in the
    catalogue's version, today (the date accessed), in the page's language.
    """
    kind = citation_kind(type(record)) if record is not None else None
    if kind is None:
        return None
    return cached(("citation", record._meta.label, record.pk), lambda: compute(record, kind))
