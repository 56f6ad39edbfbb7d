"""
schema.org descriptions of the public pages, as JSON-LD data blocks
(`<script type="application/ld+json">`), which browsers never run: the Content Security
Policy needs no exception for them.

A kind of record is described by a function registered for its model, in its app's `jsonld.py`
(found at start-up, as `records.py` is by the catalogue):

    @register(Event)
    def describe_event(event, request):
        return {"@type": "Event", "name": ..., ...}

The function reads what the record's page shows, prefetched by its view, and gives only what
the public sees there. The page adds the rest: its own description (`page_graph`: the address,
language and licence of the record's data), its breadcrumbs, and on a list its items and the
files it can be downloaded as. A system check (checks.py) asks every kind of record the catalogue
registers for its description.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from documents.models import DocumentAccess
from documents.public import documents_in_order

from .licence import licence

CONTEXT = "https://schema.org"

# As django.utils.html.json_script: no text can close the script element or open a comment in it.
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_describers = {}


def register(model):
    """Registers the decorated function(record, request) as the description of `model`'s records."""

    def decorator(describe):
        _describers[model._meta.label] = describe
        return describe

    return decorator


def describer_of(model):
    return _describers.get(model._meta.label)


def data_block(data):
    """`data` as a JSON-LD data block for a page."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)


def absolute(path, request=None):
    """The absolute address of `path` on this site: on SITE_URL, or where there is none, the request's own."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path
    return request.build_absolute_uri(path) if request is not None else path


def page_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def link(record, request, type_="Thing"):
    """A record as a small node: its type, name and page."""
    return {"@type": type_, "name": str(record), "url": absolute(record.get_absolute_url(), request)}


def organization(body, request):
    """A body (a convener, an issuer) as an Organization, with its short name and its page."""
    node = link(body, request, "Organization")
    short_name = getattr(body, "short_name", "")
    if short_name and short_name != node["name"]:
        node["alternateName"] = short_name
    return node


def digital_documents(record, request):
    """The record's documents that anyone may open, in the order of its page, as DigitalDocuments."""
    return [
        digital_document(document, request)
        for document in documents_in_order(record, page_language())
        if document.access == DocumentAccess.PUBLIC
    ]


def digital_document(document, request):
    """A public document as a DigitalDocument: its title, address, format, language and date."""
    node = {
        "@type": "DigitalDocument",
        "name": str(document.title),
        "url": absolute(document.get_absolute_url(), request),
        "inLanguage": document.language,
        "isAccessibleForFree": True,
    }
    if document.media_type:
        node["encodingFormat"] = document.media_type
    if document.date:
        node["datePublished"] = document.date.isoformat()
    return node


def catalogue(request):
    """The catalogue itself, as the publisher of its data."""
    return {"@type": "Organization", "name": _("WCO Integrity Catalogue"), "url": absolute(reverse("home"), request)}


def page_graph(record, request):
    """
    The record's description with its page's: the page carries the licence and language of the
    record's data (an event has no licence, and an instrument's own text is not under the
    catalogue's licence), and names the record as its main entity.
    """
    describe = describer_of(type(record))
    if describe is None:
        return None
    url = absolute(record.get_absolute_url(), request)
    entity = {"@id": f"{url}#record", "url": url, **describe(record, request)}
    page = {
        "@type": "ItemPage",
        "@id": url,
        "url": url,
        "name": entity.get("name", str(record)),
        "inLanguage": page_language(),
        "license": licence()["url"],
        "publisher": catalogue(request),
        "mainEntity": {"@id": entity["@id"]},
    }
    return {"@context": CONTEXT, "@graph": [entity, page]}


def item_list(records, request, start=1, count=None):
    """The records of a page as an ItemList: each one's position in the whole list, page and name."""
    elements = [
        {
            "@type": "ListItem",
            "position": position,
            "url": absolute(record.get_absolute_url(), request),
            "name": str(record),
        }
        for position, record in enumerate(records, start=start)
    ]
    data = {"@context": CONTEXT, "@type": "ItemList", "itemListElement": elements}
    if count is not None:
        data["numberOfItems"] = count
    return data


def breadcrumb_list(trail, request):
    """[(name, path)] as a BreadcrumbList."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path, request)}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def dataset(*, name, description, url, downloads, request):
    """
    A list's records as a Dataset, with its downloads: `downloads` is [(media type, address)]
    of the files that hold exactly what the list finds.
    """
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": absolute(url, request),
        "license": licence()["url"],
        "isAccessibleForFree": True,
        "inLanguage": page_language(),
        "creator": catalogue(request),
        "publisher": catalogue(request),
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": absolute(address, request)}
            for media_type, address in downloads
        ],
    }
