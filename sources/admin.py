from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from editorial.admin import KeepLinksAdmin, SharedRecordAdmin

from .models import Source


@admin.register(Source)
class SourceAdmin(KeepLinksAdmin, SharedRecordAdmin, TranslationAdmin):
    linked_from = ["events", "instruments"]
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
