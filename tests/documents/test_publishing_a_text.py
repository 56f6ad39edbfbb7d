"""
From the admin to the visitor, as a publisher and a reader would go: the declaration's English
PDF, its French version and a members-only link attached, the texts read, the record published;
then a word of page 9 found from the search, and the file opened at that page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Document, Reading
from instruments.models import InstrumentKind
from publishing.models import PublicationStatus
from tests.admin_forms import admin_url, form_data, make_staff, open_and_save
from tests.documents.pdfs import pdf_of_pages
from tests.documents.uploading import upload, with_document
from tests.factories import make_instrument

ENGLISH = pdf_of_pages(
    [f"Page {number} of the Revised Arusha Declaration." for number in range(1, 9)]
    + ["Page 9: Customs administrations refuse kleptocracy in every form."]
    + [f"Page {number} of the Revised Arusha Declaration." for number in range(10, 13)]
)
FRENCH = pdf_of_pages([f"Page {number} de la Declaration d'Arusha revisee." for number in range(1, 13)])


@pytest.mark.django_db
def test_a_publisher_attaches_the_texts_and_a_visitor_finds_page_9_and_downloads_it(
    settings, django_capture_on_commit_callbacks
):
    # The worker's reading, done as soon as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    declaration = make_instrument(
        "Revised Arusha Declaration", kind=InstrumentKind.DECLARATION, publication_status=PublicationStatus.IN_REVIEW
    )
    publisher = Client()
    publisher.force_login(make_staff("pat", "Publisher"))
    change = admin_url(declaration, "change", declaration.pk)

    data = form_data(publisher.get(change))
    data = with_document(data, 0, file=upload(ENGLISH, "Revised Arusha Declaration.pdf"), position="1")
    data = with_document(data, 1, file=upload(FRENCH, "Declaration d'Arusha.pdf"), language="fr", position="2")
    data = with_document(
        data, 2, url="https://members.example.org/arusha", access="members", language="en", position="3"
    )
    with django_capture_on_commit_callbacks(execute=True):
        saved = publisher.post(change, data)
    listing = publisher.get(reverse("admin:documents_document_changelist"))
    with django_capture_on_commit_callbacks(execute=True):
        open_and_save(publisher, declaration, publication_status=PublicationStatus.PUBLISHED)

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    english, french, members = declaration.documents.order_by("position")
    assert [(document.reading, document.page_count) for document in (english, french, members)] == [
        (Reading.DONE, 12),
        (Reading.DONE, 12),
        (Reading.NONE, None),
    ]
    assert listing.content.decode().count('<td class="field-reading">Read</td>') == 2

    visitor = Client()
    found = visitor.get("/en/search/", {"q": "kleptocracy"})
    download = visitor.get(english.get_absolute_url())

    page = found.content.decode()
    assert found.status_code == 200
    assert "Revised Arusha Declaration" in page and "page 9" in page
    assert f'href="{english.get_absolute_url()}#page=9"' in page
    assert "<mark>kleptocracy</mark>" in page
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('inline; filename="revised-arusha-declaration-en.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == ENGLISH
    members_download = reverse("documents:file", kwargs={"pk": members.pk, "file_name": members.file_name})
    assert visitor.get(members_download).status_code == 404, "a members-only link is never the site's download"
    assert Document.objects.count() == 3
