"""
The download of a document's file: its headers, and 404 to the public for the document of
any record that is not public now, by the site's address, by the storage's own and after
unpublishing; staff download a draft's file, nobody downloads a members-only document.
"""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.http import quote_etag

from documents.models import Document, DocumentAccess
from publishing.cache import catalogue_version, version_scope
from publishing.models import PublicationStatus
from tests.factories import make_event, make_instrument

from .uploading import DOCX, office_file, pdf

pytestmark = pytest.mark.django_db

SHA256 = hashlib.sha256(pdf()).hexdigest()


def attach(record, title, content=None, media_type="application/pdf", **fields):
    content = pdf() if content is None else content
    return Document.objects.create(
        record=record,
        kind="report",
        title=title,
        language="en",
        file=ContentFile(content, name="upload.bin"),
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **fields,
    )


@pytest.fixture(scope="module")
def documents(storage, django_db_setup, django_db_blocker):
    """The documents of a public event, of a draft, a scheduled event and an instrument in review."""
    with django_db_blocker.unblock(), transaction.atomic():
        public = make_event("Integrity Sub-Committee, 20th session")
        draft = make_event("A draft session", publication_status=PublicationStatus.DRAFT)
        scheduled = make_event(publish_at=timezone.now() + datetime.timedelta(days=1))
        in_review = make_instrument(publication_status=PublicationStatus.IN_REVIEW)
        yield {
            "pdf": attach(public, "Annual report"),
            "docx": attach(public, "Préface à l’intégrité", office_file(DOCX), DOCX),
            "members": Document.objects.create(
                record=public,
                kind="guide",
                title="Members' guide",
                language="en",
                url="https://members.wcoomd.org/guide",
                access=DocumentAccess.MEMBERS,
            ),
            "draft": attach(draft, "Draft agenda"),
            "scheduled": attach(scheduled, "Scheduled report"),
            "in review": attach(in_review, "Full text"),
        }
        transaction.set_rollback(True)


def test_a_public_pdf_is_served_inline_from_the_storage_with_headers_that_make_it_harmless(client, documents):
    document = documents["pdf"]

    response = client.get(document.get_absolute_url())

    assert document.get_absolute_url() == f"/documents/{document.pk}/annual-report-en.pdf"
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"annual-report-en.pdf\"; filename*=UTF-8''annual-report-en.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Cache-Control"] == "no-cache"


def test_an_office_file_is_an_attachment_named_in_ascii_and_as_written(client, documents):
    response = client.get(documents["docx"].get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        'attachment; filename="preface-a-lintegrite-en.docx"; '
        "filename*=UTF-8''pr%C3%A9face-%C3%A0-lint%C3%A9grit%C3%A9-en.docx"
    )


def test_a_browser_that_has_the_file_is_answered_not_modified(client, documents):
    response = client.get(documents["pdf"].get_absolute_url(), headers={"if-none-match": f'"{SHA256}"'})

    assert response.status_code == 304
    assert response["ETag"] == f'"{SHA256}"'


def test_an_address_with_another_name_is_redirected_to_the_file_and_only_for_a_public_file(client, documents):
    response = client.get(f"/documents/{documents['pdf'].pk}/old-title-en.pdf")
    hidden = client.get(f"/documents/{documents['draft'].pk}/old-title-en.pdf")

    assert response.status_code == 302
    assert response["Location"] == documents["pdf"].get_absolute_url()
    assert hidden.status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled", "in review"])
def test_the_file_of_a_record_that_is_not_public_is_not_found_by_its_address_or_the_storages(client, documents, state):
    document = documents[state]

    assert client.get(document.get_absolute_url()).status_code == 404
    # No route serves MEDIA_ROOT, wherever MEDIA_URL would put it.
    for media_url in {"/", "/media/", settings.MEDIA_URL or "/"}:
        assert client.get(f"{media_url}{document.file.name}").status_code == 404


def test_a_file_is_not_found_once_its_record_is_unpublished_not_even_by_a_browser_that_had_it(client, documents):
    document = documents["pdf"]
    assert client.get(document.get_absolute_url()).status_code == 200

    event = document.record
    event.publication_status = PublicationStatus.DRAFT
    event.save()

    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(document.get_absolute_url(), headers={"if-none-match": f'"{SHA256}"'}).status_code == 404


def test_a_members_only_document_is_a_link_and_never_downloaded_here(client, editor, documents):
    document = documents["members"]

    assert document.get_absolute_url() == "https://members.wcoomd.org/guide"
    assert client.get(f"/documents/{document.pk}/members-guide-en").status_code == 404
    assert editor.get(f"/documents/{document.pk}/members-guide-en").status_code == 404


def test_staff_download_a_drafts_file_which_no_cache_keeps(editor, documents):
    response = editor.get(documents["draft"].get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_the_public_page_cache_never_answers_for_a_file(client, documents):
    """Its "304 Not Modified" comes before any view: for a file it would come before the view's checks."""
    path = documents["draft"].get_absolute_url()
    with version_scope():
        version = catalogue_version()
        key = version.key("response", "http", "testserver", path, (), None)
    page_cache_etag = quote_etag(key.rsplit(":", 1)[1][:16] + version.token[:8])

    assert client.get(path, headers={"if-none-match": page_cache_etag}).status_code == 404
