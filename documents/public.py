"""
A record's documents as the public sees them, on its page, in the API, the exports, the feeds
and the calendars.

The language versions of one text (the same kind, English title and edition) are one group,
shown as one entry. The versions in the visitor's language come first, then those in other
languages, then the members-only links; the groups follow the same order, by the first of
their versions, and otherwise keep the order staff gave the documents.

A document is public exactly when its record is: every caller starts from a published record
(or from a preview, for staff).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.feedgenerator import Enclosure
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from .formats import PDF
from .languages import language_name
from .models import Document, DocumentAccess


def documents_prefetch():
    """What `visible_documents()` reads, for prefetch_related(): one query for any number of records."""
    return Prefetch("documents", queryset=Document.objects.order_by("position", "pk"))


def _rank(document, language):
    if document.access == DocumentAccess.MEMBERS:
        return 2
    return 0 if document.language == language else 1


def _text_key(document):
    title = getattr(document, build_localized_fieldname("title", settings.LANGUAGE_CODE)) or document.title or ""
    return document.kind, " ".join(title.split()).casefold(), " ".join(document.edition.split()).casefold()


@dataclass
class DocumentGroup:
    """The language versions of one text, in the order they are shown."""

    documents: list

    def __iter__(self):
        return iter(self.documents)

    @property
    def main(self):
        """The version that names the group: the first shown."""
        return self.documents[0]

    @property
    def languages(self):
        """The versions' language codes, in order, each once: ["en", "fr", "es"]."""
        return list(dict.fromkeys(document.language for document in self.documents))


def visible_documents(record, language):
    """
    The record's documents as groups (DocumentGroup) in the order the public sees them, for a
    visitor reading `language` ("fr", "fr-ca"). Reads `record.documents.all()`, once: prefetched
    with `documents_prefetch()`, no query at all.
    """
    language = (language or "").split("-")[0].lower()
    groups = {}
    for document in sorted(record.documents.all(), key=lambda document: (document.position, document.pk)):
        groups.setdefault(_text_key(document), []).append(document)
    ordered = []
    for documents in groups.values():
        documents.sort(key=lambda document: (_rank(document, language), document.position, document.pk))
        ordered.append(DocumentGroup(documents))
    ordered.sort(key=lambda group: (_rank(group.main, language), min(d.position for d in group), group.main.pk))
    return ordered


def documents_in_order(record, language):
    """The record's documents one after the other, in the order of `visible_documents()`."""
    return [document for group in visible_documents(record, language) for document in group]


def is_download(document):
    """Whether the site serves the document's file (a public upload), rather than linking elsewhere."""
    return bool(document.file) and document.access == DocumentAccess.PUBLIC


def download_label(document):
    """What a link to the file says, in the active language: "Download (PDF, 1.2 MB, 24 pages)"."""
    facts = [document.format] if document.format else []
    if document.size is not None:
        facts.append(filesizeformat(document.size))
    if document.page_count:
        facts.append(
            ngettext("%(count)s page", "%(count)s pages", document.page_count) % {"count": document.page_count}
        )
    if not facts:
        return _("Download")
    return _("Download (%(facts)s)") % {"facts": ", ".join(facts)}


def address_host(document):
    """Where an address leads: its host without "www." ("unodc.org"), or "" for a file."""
    host = urlsplit(document.url).hostname if document.url else None
    return (host or "").removeprefix("www.")


def titles(document):
    """The document's title in each of the site's languages, "" where it has none."""
    return {
        code: getattr(document, build_localized_fieldname("title", code)) or "" for code, _name in settings.LANGUAGES
    }


def describe(document, absolute_uri):
    """
    The document's facts as the exports give them (the API's own serializer gives the same),
    `absolute_uri` making the site's download address absolute.
    """
    return {
        "kind": document.kind,
        "title": document.title,
        "titles": titles(document),
        "language": document.language,
        "language_name": language_name(document.language),
        "edition": document.edition,
        "date": document.date.isoformat() if document.date else None,
        "format": document.format,
        "media_type": document.media_type,
        "size": document.size,
        "pages": document.page_count,
        "access": document.access,
        "url": absolute_uri(document.get_absolute_url()),
    }


def described_documents(record, absolute_uri, language=None):
    """`describe()` of each of the record's documents, in order, for a reader of `language` (the active one)."""
    return [describe(document, absolute_uri) for document in documents_in_order(record, language or get_language())]


def enclosures(record, language=None):
    """
    A feed entry's enclosures: the record's public files, with their size and media type, at
    their download address on this site (relative: the feed makes it absolute).
    """
    return [
        Enclosure(document.get_absolute_url(), str(document.size or 0), document.media_type)
        for document in documents_in_order(record, language or get_language())
        if is_download(document)
    ]


def first_pdf_url(record, language=None):
    """The download address of the first of the record's public PDF files, in the order of its page; "" if none."""
    pdfs = (
        document
        for document in documents_in_order(record, language or get_language())
        if is_download(document) and document.media_type == PDF
    )
    document = next(pdfs, None)
    return document.get_absolute_url() if document else ""
