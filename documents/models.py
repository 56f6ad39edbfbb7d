"""
The documents of the catalogue's records: an event's agenda and report, an instrument's full
text in each language it is published in. A document is a file uploaded by staff (kept in the
`documents` storage under a random name, with its SHA-256) or an address elsewhere; a
members-only document is always an address, never a file served by the site.

A record that has documents says so with `Documented`; a document is public exactly when its
record is (publishing.models.Publishable), and is kept in the record's history with it.

The text of an uploaded file is read in the background, page by page (documents/tasks.py), into
`Page` rows, which the searches read.
"""

import secrets
from pathlib import PurePosixPath

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint

from .formats import FORMATS
from .languages import LanguageField


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    REPORT = "report", _("Report")
    PRESENTATION = "presentation", _("Presentation")
    STATEMENT = "statement", _("Statement")
    FULL_TEXT = "full_text", _("Full text")
    SUMMARY = "summary", _("Summary")
    GUIDE = "guide", _("Guide")
    OTHER = "other", _("Other")


class DocumentAccess(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("WCO Members only")


class Reading(models.TextChoices):
    """Where the reading of an uploaded file's text stands."""

    NONE = "", _("Nothing to read (an address)")
    WAITING = "waiting", _("Waiting to be read")
    READING = "reading", _("Being read")
    DONE = "done", _("Read")
    ENCRYPTED = "encrypted", _("Encrypted: cannot be read")
    UNREADABLE = "unreadable", _("Unreadable")
    FAILED = "failed", _("Failed")


def documents_storage():
    return storages["documents"]


def stored_name(document, filename):
    """A random name under documents/ with only the extension of the name it came with."""
    suffix = PurePosixPath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    return f"documents/{secrets.token_hex(16)}{suffix}"


class Document(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("Give each language version of a text the same title: they are shown together, as one text."),
    )
    language = LanguageField(_("language"))
    edition = models.CharField(
        _("edition"), max_length=100, blank=True, help_text=_("As the document names it, e.g. “2003, revised 2021”.")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), storage=documents_storage, upload_to=stored_name, max_length=200, blank=True)
    url = models.URLField(
        _("address"), max_length=500, blank=True, help_text=_("Where it is, when it is not uploaded.")
    )
    access = models.CharField(
        _("access"),
        max_length=8,
        choices=DocumentAccess.choices,
        default=DocumentAccess.PUBLIC,
        help_text=_("A members-only document is a link to where members read it, never a file served here."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Not checked by links/: a members-only page answers only to members.
    unchecked_addresses = models.Q(access=DocumentAccess.MEMBERS)

    # What the upload was: the name it came with (for the download's name), its type read from
    # its content, its size and digest.
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    media_type = models.CharField(_("type"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True, editable=False)

    # The reading of its text (documents/tasks.py).
    reading = models.CharField(_("text"), max_length=12, choices=Reading.choices, blank=True, editable=False)
    reading_error = models.TextField(_("why not read"), blank=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_record")]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(file="") & models.Q(url="")) | (models.Q(file="") & ~models.Q(url="")),
                name="document_file_or_address",
            ),
            models.CheckConstraint(
                condition=~models.Q(access=DocumentAccess.MEMBERS) | models.Q(file=""),
                name="document_members_only_is_a_link",
            ),
            ChoicesConstraint(condition=models.Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            ChoicesConstraint(condition=models.Q(access__in=DocumentAccess.values), name="document_access_valid"),
            ChoicesConstraint(condition=models.Q(reading__in=Reading.values), name="document_reading_valid"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language.upper()})"

    def get_absolute_url(self):
        """Where the public reads it: the site's download of the file (documents/views.py), or the address."""
        if self.is_link:
            return self.url
        return reverse("documents:file", kwargs={"pk": self.pk, "file_name": self.file_name})

    @property
    def is_link(self):
        return not self.file

    @property
    def format(self):
        """The short name of the file's type ("PDF"), or "" for an address."""
        return FORMATS.get(self.media_type, "")

    @property
    def file_name(self):
        """The name a download is saved under: the title, cleaned, with the format's extension."""
        stem = slugify(self.title)[:80] or "document"
        return f"{stem}-{self.language}.{self.format.lower()}" if self.format else stem


class Page(models.Model):
    """The text of one page of a document (one slide, one sheet), as read from its file."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField()
    # Kept on PostgreSQL (a GIN index, one vector per page: a tsvector holds at most 1 MB); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="page_number_unique")]

    def __str__(self):
        return f"{self.document}, p. {self.number}"


class Documented(models.Model):
    """A kind of record that has documents, kept in its history with it (editorial.models.Lockable)."""

    documents = GenericRelation(Document, verbose_name=_("documents"), related_query_name="%(class)s")

    class Meta:
        abstract = True

    @classmethod
    def page_search(cls):
        """What the searches (search/documents.py) find these records by: the text of their documents' pages."""
        from .search import PAGES  # documents/search.py reads this module's models.

        return PAGES
