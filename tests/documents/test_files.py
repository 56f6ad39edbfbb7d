"""
Uploads that cannot hurt anyone: the type read from the content (PDF and the office formats
only), the size limit enforced while the upload streams, the same file noticed, a file or an
address but never both, and members-only documents that are links.
"""

import hashlib
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from pytest_django.asserts import assertContains

from documents.forms import DocumentForm
from documents.models import Document, DocumentAccess, Reading
from documents.uploads import LimitedUploadHandler, OversizedUpload, inspect
from publishing.models import PublicationStatus
from tests.admin_forms import admin_url, form_data, make_staff, run_action
from tests.factories import make_event

from .uploading import (
    DOCX,
    ODP,
    ODS,
    ODT,
    PPTX,
    XLSX,
    office_file,
    pdf,
    upload,
    with_document,
    zipped,
)

ALLOWED = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP"


@pytest.mark.parametrize("media_type", [DOCX, XLSX, PPTX, ODT, ODS, ODP])
def test_office_files_are_known_by_their_content_whatever_their_name(media_type):
    content = office_file(media_type)

    upload_ = inspect(upload(content, name="from-the-scanner.bin"))

    assert upload_.media_type == media_type
    assert upload_.size == len(content)


def test_a_pdf_is_known_by_its_header_and_its_sha256_is_recorded():
    found = inspect(upload(pdf(), name="report.docx"))

    assert (found.media_type, found.size, found.sha256) == (
        "application/pdf",
        len(pdf()),
        hashlib.sha256(pdf()).hexdigest(),
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("logo.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("install.pdf", b"#!/bin/sh\nrm -rf ~\n"),
        ("tool.pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(200)),
        ("setup.docx", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("archive.docx", zipped({"readme.txt": b"not an office file"})),
        (
            "macros.docx",
            zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"\x00"}),
        ),
        ("fake.odt", zipped({"mimetype": b"text/html", "content.xml": b"<html/>"})),
    ],
    ids=["html", "svg", "script", "elf", "pe", "plain-zip", "macros", "odf-of-html"],
)
def test_other_files_are_refused_with_the_types_allowed(name, content):
    with pytest.raises(ValidationError) as refused:
        inspect(upload(content, name=name, content_type="application/pdf"))

    [message] = refused.value.messages
    assert ALLOWED in message and "content, not from its name" in message


def form(files=None, record=None, **fields):
    data = {
        "kind": "report",
        "title": "Annual report",
        "language": "en",
        "access": "public",
        "position": "0",
        **fields,
    }
    return DocumentForm(data, files or {}, record=record)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "fields", "error"),
    [
        ({"file": upload(pdf())}, {"url": "https://www.wcoomd.org/report.pdf"}, "a file or an address, not both"),
        ({}, {}, "Give a file to upload or the address"),
        ({"file": upload(pdf())}, {"access": DocumentAccess.MEMBERS}, "members-only document is a link"),
    ],
    ids=["both", "neither", "members-file"],
)
def test_a_document_is_a_file_or_an_address_and_members_only_is_an_address(files, fields, error):
    document_form = form(files, **fields)

    assert not document_form.is_valid()
    assert error in str(document_form.errors)


@pytest.mark.django_db
def test_a_members_only_address_is_accepted():
    document_form = form(url="https://members.wcoomd.org/guide", access=DocumentAccess.MEMBERS)

    assert document_form.is_valid(), document_form.errors


def test_an_upload_larger_than_the_limit_is_stopped_and_not_written_past_it(settings):
    settings.DOCUMENT_MAX_SIZE = 1000
    handler = LimitedUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", None)
    temporary = handler.file

    for start in range(0, 5000, 500):
        handler.receive_data_chunk(b"x" * 500, start)
    stopped = handler.file_complete(5000)

    assert isinstance(stopped, OversizedUpload) and stopped.size == 5000
    assert temporary.closed
    with pytest.raises(ValidationError, match="larger than 1000"):
        inspect(stopped)


def test_an_upload_within_the_limit_is_written_to_a_temporary_file(settings):
    settings.DOCUMENT_MAX_SIZE = 1000
    handler = LimitedUploadHandler()
    handler.new_file("file", "small.pdf", "application/pdf", None)

    handler.receive_data_chunk(pdf()[:600], 0)
    done = handler.file_complete(600)

    assert done.temporary_file_path() and done.read() == pdf()[:600]
    done.close()


# Through the admin, as staff upload


def attached(record, content, title="Revised Arusha Declaration"):
    """A document of `record` with `content`'s digest, as an earlier upload left it."""
    return Document.objects.create(
        record=record,
        kind="full_text",
        title=title,
        language="en",
        file="documents/0123456789abcdef.pdf",
        media_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


@pytest.fixture(scope="module")
def desk(storage, django_db_setup, django_db_blocker):
    """An editor's browser, two draft sessions and their change forms as the browser shows them, built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        browser = Client()
        browser.force_login(make_staff("chioma", "Editor"))
        first = make_event("First session", publication_status=PublicationStatus.DRAFT)
        second = make_event("Second session", publication_status=PublicationStatus.DRAFT)
        forms = {}
        for event in (first, second):
            page = browser.get(admin_url(event, "change", event.pk))
            assert page.status_code == 200
            forms[event.pk] = form_data(page)
        yield SimpleNamespace(browser=browser, first=first, second=second, forms=forms)
        transaction.set_rollback(True)


def post_document(desk, event, **fields):
    return desk.browser.post(admin_url(event, "change", event.pk), with_document(desk.forms[event.pk], **fields))


@pytest.mark.django_db
def test_an_editor_uploads_a_pdf_which_is_stored_under_a_random_name_with_its_digest(desk, storage):
    response = post_document(desk, desk.first, file=upload(pdf(), name="IRG Report (final).pdf"))

    assert response.status_code == 302, response.context and response.context["errors"]
    document = desk.first.documents.get()
    assert (document.media_type, document.size, document.original_name, document.sha256) == (
        "application/pdf",
        len(pdf()),
        "IRG Report (final).pdf",
        hashlib.sha256(pdf()).hexdigest(),
    )
    assert document.file.name.startswith("documents/") and "IRG" not in document.file.name
    assert storage.open(document.file.name).read() == pdf()
    assert document.reading == Reading.WAITING


@pytest.mark.django_db
def test_an_html_file_is_refused_on_the_form_with_the_types_allowed(desk):
    response = post_document(desk, desk.first, file=upload(b"<html><script></script></html>", name="agenda.pdf"))

    assertContains(response, ALLOWED)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_file_larger_than_the_limit_is_refused_on_the_form(desk, settings):
    settings.DOCUMENT_MAX_SIZE = 1000

    response = post_document(desk, desk.first, file=upload(pdf(), name="big.pdf"))

    assertContains(response, "larger than 1000")
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_same_file_twice_on_one_record_is_refused_naming_the_document_that_has_it(desk):
    attached(desk.first, pdf())

    response = post_document(desk, desk.first, file=upload(pdf(), name="copy.pdf"), title_en="A copy")

    assertContains(response, "This file is already attached to this record, as “Revised Arusha Declaration (EN)”.")
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_the_same_file_on_another_record_is_accepted_and_the_other_record_named(desk):
    attached(desk.first, pdf())

    response = post_document(desk, desk.second, file=upload(pdf()), title_en="The same report")

    assert response.status_code == 302
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("also attached elsewhere: “Revised Arusha Declaration (EN)” of First session" in text for text in told)
    assert desk.second.documents.get().sha256 == desk.first.documents.get().sha256


@pytest.mark.django_db
def test_staff_see_how_each_reading_went_and_have_a_text_read_again(desk, django_capture_on_commit_callbacks):
    document = attached(desk.first, pdf(), title="Annual report")
    # As the reading left it.
    Document.objects.filter(pk=document.pk).update(
        reading=Reading.UNREADABLE, reading_error="The cross-reference table is broken."
    )

    change_form_page = desk.browser.get(admin_url(desk.first, "change", desk.first.pk))
    assertContains(change_form_page, "Unreadable: The cross-reference table is broken.")
    listed = desk.browser.get(admin_url(Document, "changelist"), {"reading__exact": Reading.UNREADABLE})
    assertContains(listed, "The cross-reference table is broken.")
    assertContains(listed, "First session")

    with django_capture_on_commit_callbacks() as queued:
        response = run_action(desk.browser, Document, "read_again", [document])

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.reading, document.reading_error) == (Reading.WAITING, "")
    assert len(queued) == 1
