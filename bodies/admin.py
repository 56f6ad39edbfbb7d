from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from editorial.admin import CatalogueImportExportMixin, KeepLinksAdmin, SharedRecordAdmin

from .models import Body
from .resources import BodyResource


@admin.register(Body)
class BodyAdmin(CatalogueImportExportMixin, KeepLinksAdmin, SharedRecordAdmin, TranslationAdmin):
    resource_classes = [BodyResource]
    linked_from = ["convened_events"]
    list_display = ["name", "short_name", "kind", "parent", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name_en", "name_fr", "short_name_en", "short_name_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "secretariat"]
    readonly_fields = ["subsidiary_links"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "parent", "subsidiary_links", "secretariat"]}),
        (_("Details"), {"fields": ["country", "established_year", "website", "description"]}),
    ]

    @admin.display(description=_("subsidiary bodies"))
    def subsidiary_links(self, body):
        subsidiaries = body.subsidiaries.all() if body.pk else []
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:bodies_body_change", args=[sub.pk]), sub.name) for sub in subsidiaries),
        ) or format_html("{}", "—")
