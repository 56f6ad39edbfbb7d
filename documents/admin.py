from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationGenericStackedInline

from .forms import DocumentForm, DocumentFormSet
from .models import Document


def reading_text(document):
    """Where the reading of the document's text stands, and why it failed if it did."""
    if document.pk is None or not document.file:
        return "—"
    if document.reading_error:
        return format_html("{}: {}", document.get_reading_display(), document.reading_error)
    return document.get_reading_display()


class DocumentInline(TranslationGenericStackedInline):
    """The documents of an event or an instrument, entered on its change form and kept in its history with it."""

    model = Document
    form = DocumentForm
    formset = DocumentFormSet
    extra = 0
    fields = ["kind", "title", "language", ("edition", "date"), "file", "url", "access", "position", "reading_state"]
    readonly_fields = ["reading_state"]

    @admin.display(description=_("reading of its text"))
    def reading_state(self, document):
        return reading_text(document)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A class made for this request: its save tells the user where else an uploaded file is attached.
        formset.request = request
        return formset


@admin.register(Document)
class DocumentAdmin(TranslationAdmin):
    """
    Every document, for staff to see how the reading of their text went and to have it read
    again. Documents are added, changed and deleted on their record's form only, so that each
    change goes through the record's history and review.
    """

    list_display = ["title", "record_link", "kind", "language", "access", "reading", "reading_error"]
    list_filter = ["reading", "kind", "access", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["content_type"]
    search_fields = ["title_en", "title_fr", "original_name", "sha256"]
    actions = ["read_again"]
    readonly_fields = ["record_link", "original_name", "media_type", "size", "sha256", "reading_state", "read_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("record"))
    def record_link(self, document):
        record = document.record
        if record is None:
            return "—"
        opts = record._meta
        return format_html(
            '<a href="{}">{}: {}</a>',
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
            opts.verbose_name,
            record,
        )

    @admin.display(description=_("reading of its text"))
    def reading_state(self, document):
        return reading_text(document)

    @admin.action(description=_("Read the text again"), permissions=["change"])
    def read_again(self, request, queryset):
        from .tasks import read_later

        documents = list(queryset.exclude(file=""))
        for document in documents:
            read_later(document)
        self.message_user(
            request,
            ngettext(
                "%(count)d document will be read again.", "%(count)d documents will be read again.", len(documents)
            )
            % {"count": len(documents)},
        )
        if skipped := queryset.filter(file="").count():
            self.message_user(
                request,
                ngettext(
                    "%(count)d address was left alone: only uploaded files are read.",
                    "%(count)d addresses were left alone: only uploaded files are read.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
