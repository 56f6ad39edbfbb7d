from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from editorial.admin import AuditedDeleteMixin, KeepLinksAdmin

from .models import Article, Chapter


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(AuditedDeleteMixin, TranslationAdmin):
    list_display = ["number", "title"]
    search_fields = ["title_en", "title_fr"]
    inlines = [ArticleInline]


@admin.register(Article)
class ArticleAdmin(KeepLinksAdmin, TranslationAdmin):
    linked_from = ["events", "instruments"]
    list_display = ["number", "title", "chapter"]
    list_filter = ["chapter"]
    list_select_related = ["chapter"]
    search_fields = ["title_en", "title_fr", "=number"]
    autocomplete_fields = ["chapter"]
