"""
How each kind of record is cited, registered once in its app's `citations.py` (found at start-up,
as the admin finds `admin.py`):

    register(Event, EventCitation)

A kind's `RecordCitation` gives the record's own facts as a CSL-JSON item (`item()`): its type,
title in the active language, the bodies that are its authors, its dates as precisely as they are
known. What every citation shares (its key, the page's permanent address, the date accessed, the
catalogue as container, the language) is added here, and everything else is derived from that one
item (formats.py): the RIS, BibTeX and CSL-JSON files, the formatted citation and the citation_*
tags of the page's head.
"""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.models import Documented
from documents.public import first_pdf_url

# How many of [year, month, day] a date known to that precision has.
PRECISIONS = {"year": 1, "month": 2, "day": 3}


class RecordCitation:
    """How the records of one kind are cited. A subclass gives `item()`; a record with documents has a `pdf_url()`."""

    # What item() and pdf_url() read, for prefetch_related(): a list's records in one query per relation.
    prefetches = ()

    def item(self, record):
        """The record's facts as CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
        raise NotImplementedError

    def pdf_url(self, record):
        """The address, from the site's root, of a public PDF of the record's text; "" where there is none."""
        return first_pdf_url(record) if isinstance(record, Documented) else ""


def csl_date(start, precision="day", end=None):
    """A CSL date as precise as it is known: {"date-parts": [[2016, 3]]}; a range when `end` differs."""
    cut = PRECISIONS[precision]
    parts = [[start.year, start.month, start.day][:cut]]
    if end is not None and [end.year, end.month, end.day][:cut] != parts[0]:
        parts.append([end.year, end.month, end.day][:cut])
    return {"date-parts": parts}


def absolute_url(path):
    """The permanent address of a page of the site: SITE_URL and the path (the path alone without SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


_registry = {}


def register(model, citation_class):
    _registry[model._meta.label] = citation_class()


def citation_kind(model):
    """The model's RecordCitation, or None for a model that is not cited."""
    return _registry.get(model._meta.label)


def cited_models():
    return set(_registry)


def catalogue_name():
    return _("WCO Integrity Catalogue")


def with_prefetches(records, kind):
    """The records (a list) with what the kind's citation reads, in one query per relation."""
    prefetch_related_objects(records, *kind.prefetches)
    return records


def citation_item(record, kind=None, today=None):
    """The whole CSL-JSON item of a record, in the active language, as accessed `today`."""
    kind = kind or citation_kind(type(record))
    today = today or timezone.localdate()
    return {
        "id": f"{record._meta.model_name}-{getattr(record, 'slug', record.pk)}",
        **kind.item(record),
        "container-title": catalogue_name(),
        "URL": absolute_url(record.get_absolute_url()),
        "accessed": csl_date(today),
        "language": get_language(),
    }
