"""
The background work on documents, done by `manage.py db_worker` (django-tasks-db) beside the web
server: reading an uploaded file's text into its pages (documents/extraction.py), then bringing
their search vectors up to date.
"""

import itertools
import logging
import tempfile

from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.cache import renew_catalogue_version

from . import extraction
from .models import Document, Page, Reading
from .search import index_pages

logger = logging.getLogger(__name__)

# Pages written to the database at a time.
BATCH_SIZE = 200


@task()
def read_document(pk):
    """Read the text of document `pk`'s file, page by page, and record how the reading went."""
    document = Document.objects.filter(pk=pk).first()
    if document is None or not document.file:
        return None
    # Only while it still has the file read here: a new file has a reading of its own queued.
    current = Document.objects.filter(pk=pk, file=document.file.name)
    if not current.update(reading=Reading.READING, reading_error=""):
        return None
    with tempfile.TemporaryFile() as output:
        try:
            outcome = extraction.read_stored(document.file.name, document.media_type, document.file.storage, output)
        except Exception:
            logger.exception("The file of document %s could not be fetched from its storage", pk)
            outcome = extraction.Outcome(Reading.FAILED, message=_("The file could not be fetched from the storage."))
        with transaction.atomic():
            if not current.select_for_update().exists():
                return None
            # In one statement: a delete through the ORM would renew the catalogue's version once a page.
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {Page._meta.db_table} WHERE document_id = %s", [document.pk])  # noqa: S608
            pages = (Page(document=document, number=number, text=text) for number, text in outcome.pages)
            while batch := list(itertools.islice(pages, BATCH_SIZE)):
                Page.objects.bulk_create(batch)
            current.update(
                reading=outcome.state,
                reading_error=outcome.message,
                read_at=timezone.now(),
                page_count=outcome.page_count,
            )
            index_pages(document)
            # The searches and the lists' facets read the pages: what was cached before is not read again.
            renew_catalogue_version()
    if outcome.state != Reading.DONE:
        logger.warning("Document %s was not read (%s): %s", pk, outcome.state, outcome.message)
    return outcome.state


def read_later(document):
    """Mark the document as waiting to be read, and queue its reading once the transaction commits."""
    Document.objects.filter(pk=document.pk).update(reading=Reading.WAITING, reading_error="")
    document.reading, document.reading_error = Reading.WAITING, ""
    pk = document.pk
    transaction.on_commit(lambda: read_document.enqueue(pk))
