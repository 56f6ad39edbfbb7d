"""Files to upload, made in memory or read from tests/documents/files/, and the admin's way of uploading them."""

import functools
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from documents.formats import DOCX, ODP, ODS, ODT, PPTX, XLSX
from documents.models import Document

FILES = Path(__file__).parent / "files"
PDF_FILE = FILES / "004-pdflatex-4-pages_pdflatex-4-pages.pdf"
# The prefix of the documents inline of an event's or an instrument's change form.
PREFIX = "documents-document-content_type-object_id"


@functools.cache
def pdf():
    return PDF_FILE.read_bytes()


def _saved(document, save=None):
    buffer = io.BytesIO()
    (save or document.save)(buffer)
    return buffer.getvalue()


@functools.cache
def office_file(media_type):
    """A small file of `media_type`, made with the library that writes it."""
    if media_type == DOCX:
        import docx

        document = docx.Document()
        document.add_paragraph("The Revised Arusha Declaration")
        return _saved(document)
    if media_type == XLSX:
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Integrity"
        return _saved(workbook)
    if media_type == PPTX:
        import pptx

        return _saved(pptx.Presentation())
    from odf import opendocument, text

    make = {
        ODT: opendocument.OpenDocumentText,
        ODS: opendocument.OpenDocumentSpreadsheet,
        ODP: opendocument.OpenDocumentPresentation,
    }[media_type]
    document = make()
    if media_type == ODT:
        document.text.addElement(text.P(text="Integrity"))
    return _saved(document, document.write)


def zipped(members):
    """A zip of {name: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(content, name="document.pdf", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def with_document(data, index=0, **fields):
    """`data` of a change form with the document `index` of its inline filled in (a file goes as `file`)."""
    data = dict(data)
    data[f"{PREFIX}-TOTAL_FORMS"] = str(max(index + 1, int(data.get(f"{PREFIX}-TOTAL_FORMS", 0))))
    values = {
        "kind": "full_text",
        "title_en": "Revised Arusha Declaration",
        "title_fr": "",
        "language": "en",
        "edition": "",
        "date": "",
        "url": "",
        "access": "public",
        "position": "0",
        **fields,
    }
    for name, value in values.items():
        data[f"{PREFIX}-{index}-{name}"] = value
    return data


@contextmanager
def documents_stored_in(storage_settings):
    """
    The documents storage as `storage_settings` (a STORAGES entry) says, for the site (Django's
    test signals make the storages again when STORAGES changes) and for the Document model, whose
    field was given its storage when the model was loaded.
    """
    field = Document._meta.get_field("file")
    previous = field.storage
    with override_settings(STORAGES={**settings.STORAGES, "documents": storage_settings}):
        field.storage = storages["documents"]
        try:
            yield field.storage
        finally:
            field.storage = previous


def local_storage(location):
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}
