from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from documents.admin import DocumentInline
from editorial.admin import CatalogueImportExportMixin, KeepLinksAdmin, PublishableAdmin, StateFilter

from .models import Instrument
from .resources import InstrumentResource


@admin.register(Instrument)
class InstrumentAdmin(CatalogueImportExportMixin, KeepLinksAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [InstrumentResource]
    preview_url_name = "instruments:preview"
    linked_from = ["events"]
    list_display = ["title", "short_name", "kind", "issuing_body", "year_adopted", "state", "is_featured"]
    list_filter = [StateFilter, "kind", "is_featured", "access", "issuing_body"]
    list_select_related = ["issuing_body"]
    search_fields = [
        "title_en",
        "title_fr",
        "short_name_en",
        "short_name_fr",
        "slug",
        "description_en",
        "description_fr",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["issuing_body", "programme", "uncac_articles", "topics", "sources"]
    readonly_fields = ["first_published_at", "event_links"]
    inlines = [DocumentInline]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "slug", "kind", "issuing_body", "programme", "description"]}),
        (_("Dates"), {"fields": ["year_adopted", "year_revised"]}),
        (_("Where to find it"), {"fields": ["url", "platform", "access"]}),
        (_("Links"), {"fields": ["uncac_articles", "topics", "sources", "event_links"]}),
        (_("Publication"), {"fields": [*PublishableAdmin.publication_fields, "is_featured"]}),
    ]

    @admin.display(description=_("presented at"))
    def event_links(self, instrument):
        events = instrument.events.all() if instrument.pk else []
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 (a constant)
            '<a href="{}">{}</a>',
            ((reverse("admin:events_event_change", args=[event.pk]), event.title) for event in events),
        ) or format_html("{}", "—")
