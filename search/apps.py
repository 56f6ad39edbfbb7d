from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search: what a search of a kind of record reads, and how its matches are found and marked."""

    name = "search"
    verbose_name = _("Search")
