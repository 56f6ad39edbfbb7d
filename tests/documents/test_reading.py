"""
The reading of a document's text in the background: page by page, in a child process under
limits, so that an encrypted, broken or hostile file is recorded as such and the worker carries on.
"""

import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import docx
import openpyxl
import pptx
import pytest
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.db import connection
from django_tasks_db.models import DBTaskResult
from odf import draw, opendocument, style, table, text

from documents import readers
from documents.models import Document, DocumentKind, Reading
from documents.tasks import read_document
from publishing.models import CatalogueVersion
from tests.factories import make_instrument

FILES = Path(__file__).parent / "files"
FOUR_PAGES = FILES / "004-pdflatex-4-pages_pdflatex-4-pages.pdf"
ENCRYPTED = FILES / "005-libreoffice-writer-password_libreoffice-writer-password.pdf"
BROKEN = FILES / "017-unreadable-meta-data_unreadablemetadata.pdf"
PDF = "application/pdf"


def make_document(content, media_type=PDF, name="declaration.pdf"):
    document = Document(
        record=make_instrument(),
        kind=DocumentKind.FULL_TEXT,
        title="Revised Arusha Declaration",
        language="en",
        media_type=media_type,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def read(document):
    read_document.call(document.pk)
    document.refresh_from_db()
    return document


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_pdf_is_read_page_by_page_and_reading_it_again_replaces_the_pages_within_the_limits(
    settings, django_assert_max_num_queries
):
    document = read(make_document(FOUR_PAGES.read_bytes()))

    assert document.reading == Reading.DONE
    assert document.reading_error == ""
    assert document.page_count == 4
    assert document.read_at is not None
    pages = list(document.pages.values_list("number", "text"))
    assert [number for number, _text in pages] == [1, 2, 3, 4]
    assert pages[0][1].startswith("Hello, here is some text without a meaning.")
    assert len({text for _number, text in pages}) == 4

    settings.DOCUMENT_READING_MAX_PAGES = 2
    settings.DOCUMENT_READING_MAX_CHARS = 50
    version = CatalogueVersion.objects.get().token

    # The old pages go in one statement, and what was cached on the pages is renewed once.
    with django_assert_max_num_queries(12):
        document = read(document)

    assert CatalogueVersion.objects.get().token != version

    assert document.reading == Reading.DONE
    assert document.reading_error == "Only the first 2 of its 4 pages were read."
    assert document.page_count == 4
    assert [len(text) <= 50 for text in document.pages.values_list("text", flat=True)] == [True, True]


@pytest.mark.django_db
def test_an_encrypted_pdf_is_recorded_as_such():
    document = read(make_document(ENCRYPTED.read_bytes()))

    assert document.reading == Reading.ENCRYPTED
    assert document.reading_error == "The file is protected by a password, so its text cannot be read."
    assert document.page_count is None
    assert not document.pages.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "said"),
    [
        pytest.param(BROKEN.read_bytes(), "Data format error", id="broken cross-reference table"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 64, "Data format error", id="garbage after the header"),
    ],
)
def test_a_damaged_pdf_is_unreadable_and_says_why(content, said):
    document = read(make_document(content))

    assert document.reading == Reading.UNREADABLE
    assert document.reading_error.startswith("The file is damaged and its text could not be read (the reader said: ")
    assert said in document.reading_error
    assert not document.pages.exists()


@pytest.mark.django_db
def test_a_zip_bomb_posing_as_a_docx_is_not_unpacked(settings):
    settings.DOCUMENT_READING_MAX_UNPACKED = 1024 * 1024
    bomb = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": bytes(5 * 1024 * 1024)})
    assert len(bomb) < 10_000

    document = read(make_document(bomb, media_type=readers.DOCX, name="declaration.docx"))

    assert document.reading == Reading.UNREADABLE
    assert document.reading_error == (
        "The file unpacks to 5.0\xa0MB, more than the 1.0\xa0MB allowed: "
        "it may be a “zip bomb”, made to exhaust the server."
    )


@pytest.mark.django_db
def test_a_reading_that_takes_too_long_is_stopped_and_the_task_carries_on(settings):
    settings.DOCUMENT_READING_TIMEOUT = 0.001
    document = read(make_document(FOUR_PAGES.read_bytes()))

    assert document.reading == Reading.FAILED
    assert document.reading_error == "Reading it took longer than the 0.001 seconds allowed, and was stopped."
    assert not document.pages.exists()


@pytest.mark.django_db
def test_a_file_missing_from_the_storage_fails_with_a_message(storage):
    document = make_document(FOUR_PAGES.read_bytes())
    storage.delete(document.file.name)

    document = read(document)

    assert document.reading == Reading.FAILED
    assert document.reading_error == "The file could not be fetched from the storage."


@pytest.mark.django_db
def test_a_new_file_is_read_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(FOUR_PAGES.read_bytes())

    assert Document.objects.get(pk=document.pk).reading == Reading.WAITING
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs["args"]) == ("documents.tasks.read_document", [document.pk])

    # Saved again with the same file: nothing more to read.
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.get(pk=document.pk).save()
    assert DBTaskResult.objects.count() == 1

    # Another file: read again.
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.get(pk=document.pk)
        document.file.save("translation.pdf", ContentFile(FOUR_PAGES.read_bytes()))
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_an_address_has_nothing_to_read(django_capture_on_commit_callbacks):
    document = read(make_document(FOUR_PAGES.read_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        document.file = ""
        document.url = "https://www.example.org/declaration.pdf"
        document.save()

    document.refresh_from_db()
    assert (document.reading, document.page_count) == (Reading.NONE, None)
    assert not document.pages.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_restored_version_is_read_again_only_when_its_file_differs(storage, django_capture_on_commit_callbacks):
    document = make_document(FOUR_PAGES.read_bytes())
    first_version = serializers.serialize("json", [document])
    with django_capture_on_commit_callbacks(execute=True):
        document.file.save("translation.pdf", ContentFile(FOUR_PAGES.read_bytes()))
    assert DBTaskResult.objects.count() == 1

    # Restoring the first version brings back the first file: read again.
    with django_capture_on_commit_callbacks(execute=True):
        for restored in serializers.deserialize("json", first_version):
            restored.save()
    assert Document.objects.get(pk=document.pk).reading == Reading.WAITING
    assert DBTaskResult.objects.count() == 2

    # A document loaded into a database without it (a backup's, with its pages): not read again.
    Document.objects.filter(pk=document.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        for restored in serializers.deserialize("json", first_version):
            restored.save()
    assert DBTaskResult.objects.count() == 2


def office_files(folder):
    """A file of each office format, made with its library: two pages (one for ODT)."""
    word = docx.Document()
    word.add_paragraph("Integrity Development Guide")
    word.add_paragraph("Chapter one").runs[0].add_break(docx.enum.text.WD_BREAK.PAGE)
    word.add_paragraph("Chapter two")
    word.save(folder / "guide.docx")

    slides = pptx.Presentation()
    for title in ("Agenda", "Conclusions"):
        slides.slides.add_slide(slides.slide_layouts[1]).shapes.title.text = title
    slides.save(folder / "talk.pptx")

    workbook = openpyxl.Workbook()
    workbook.active.append(["Member", "Score"])
    workbook.create_sheet("Second").append(["Kenya", 12])
    workbook.save(folder / "scores.xlsx")

    odt = opendocument.OpenDocumentText()
    odt.text.addElement(text.H(outlinelevel=1, text="Revised Arusha Declaration"))
    odt.text.addElement(text.P(text="Integrity is essential."))
    odt.save(folder / "declaration.odt")

    ods = opendocument.OpenDocumentSpreadsheet()
    for name, cells in (("First", ["Member", "Score"]), ("Second", ["Kenya", "12"])):
        sheet = table.Table(name=name)
        row = table.TableRow()
        for value in cells:
            cell = table.TableCell()
            cell.addElement(text.P(text=value))
            row.addElement(cell)
        sheet.addElement(row)
        ods.spreadsheet.addElement(sheet)
    ods.save(folder / "scores.ods")

    odp = opendocument.OpenDocumentPresentation()
    layout = style.PageLayout(name="layout")
    odp.automaticstyles.addElement(layout)
    master = style.MasterPage(name="master", pagelayoutname=layout)
    odp.masterstyles.addElement(master)
    for title in ("Agenda", "Conclusions"):
        page = draw.Page(masterpagename=master)
        frame = draw.Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        box = draw.TextBox()
        box.addElement(text.P(text=title))
        frame.addElement(box)
        page.addElement(frame)
        odp.presentation.addElement(page)
    odp.save(folder / "talk.odp")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    office_files(folder)
    return folder


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("guide.docx", readers.DOCX, [2, "Integrity Development Guide\nChapter one", "Chapter two"]),
        ("talk.pptx", readers.PPTX, [2, "Agenda", "Conclusions"]),
        ("scores.xlsx", readers.XLSX, [2, "Member\tScore", "Kenya\t12"]),
        ("declaration.odt", readers.ODT, [1, "Revised Arusha Declaration\nIntegrity is essential."]),
        ("scores.ods", readers.ODS, [2, "Member\tScore", "Kenya\t12"]),
        ("talk.odp", readers.ODP, [2, "Agenda", "Conclusions"]),
        # A type not recorded is read from the content.
        ("guide.docx", "", [2, "Integrity Development Guide\nChapter one", "Chapter two"]),
        ("talk.odp", "", [2, "Agenda", "Conclusions"]),
    ],
)
def test_office_files_are_read_a_page_per_break_slide_or_sheet(office, name, media_type, expected):
    read = readers.pages(office / name, media_type, max_pages=10, max_chars=1000, max_unpacked=10**8)

    total, *texts = read
    assert [total, *(text.strip() for text in texts)] == expected


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_takes_a_queued_reading(tmp_path, storage):
    # Saved outside a transaction, the new file's reading is queued at once.
    document = make_document(FOUR_PAGES.read_bytes())
    environment = {**os.environ, "MEDIA_ROOT": str(storage.location), "DEBUG": "false"}
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: the worker gets a copy of it in a file.
        copy = tmp_path / "db.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        environment["DATABASE_URL"] = f"sqlite:///{copy}"
    else:
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}")
        environment["DATABASE_URL"] = url.geturl()

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert worker.returncode == 0, worker.stderr
    if connection.vendor == "sqlite":
        with sqlite3.connect(copy) as database:
            row = database.execute(
                "SELECT reading, page_count, (SELECT count(*) FROM documents_page WHERE document_id = d.id) "
                "FROM documents_document d WHERE id = ?",
                [document.pk],
            ).fetchone()
            statuses = database.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
    else:
        document.refresh_from_db()
        row = (document.reading, document.page_count, document.pages.count())
        statuses = list(DBTaskResult.objects.values_list("status"))
    assert row == (Reading.DONE, 4, 4)
    assert statuses == [("SUCCESSFUL",)]
