from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(signals.fill_missing_vectors, sender=self, dispatch_uid="search_fill_missing_vectors")
