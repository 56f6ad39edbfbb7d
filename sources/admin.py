from django.contrib import admin

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
