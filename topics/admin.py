from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from editorial.admin import KeepLinksAdmin, SharedRecordAdmin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(KeepLinksAdmin, SharedRecordAdmin, TranslationAdmin):
    linked_from = ["events", "instruments"]
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_fr", "slug", "description_en", "description_fr"]
    prepopulated_fields = {"slug": ["name"]}
