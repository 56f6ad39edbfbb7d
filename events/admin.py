from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from documents.admin import DocumentInline
from editorial.admin import CatalogueImportExportMixin, PublishableAdmin, SharedRecordAdmin, StateFilter

from .models import Event, Participation, Series
from .resources import EventResource


@admin.register(Series)
class SeriesAdmin(SharedRecordAdmin, TranslationAdmin):
    list_display = ["name", "body", "session_noun"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["name_en", "name_fr", "slug", "body__name_en", "body__name_fr", "body__short_name_en"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["body"]


class ParticipationInline(TranslationTabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["body"]


@admin.register(Event)
class EventAdmin(CatalogueImportExportMixin, PublishableAdmin, TranslationAdmin):
    resource_classes = [EventResource]
    preview_url_name = "events:preview"
    list_display = ["title", "start_date", "series", "session_number", "city", "country", "state"]
    list_filter = [StateFilter, "status", "date_precision", "format", "wco_role", "country", "convening_bodies"]
    list_select_related = ["series"]
    search_fields = [
        "title_en",
        "title_fr",
        "slug",
        "summary_en",
        "summary_fr",
        "city_en",
        "city_fr",
        "convening_bodies__name_en",
        "convening_bodies__name_fr",
        "convening_bodies__short_name_en",
    ]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series", "convening_bodies", "topics", "instruments", "uncac_articles", "sources"]
    readonly_fields = ["first_published_at"]
    inlines = [ParticipationInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("series", "session_number"), "convening_bodies", "wco_role"]}),
        (_("When"), {"fields": [("start_date", "end_date"), "date_precision", "status"]}),
        (_("Where"), {"fields": [("city", "country"), "format"]}),
        (_("What"), {"fields": ["summary", "topics", "instruments", "uncac_articles"]}),
        (_("Sources and contact"), {"fields": ["sources", "contact_email"]}),
        (_("Publication"), {"fields": PublishableAdmin.publication_fields}),
    ]
