from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(fill_missing_vectors, sender=self, dispatch_uid="search_fill_missing_vectors")


def fill_missing_vectors(using, **kwargs):
    """Records that have no search vector yet (on PostgreSQL: those written before the column existed) get one."""
    from events.models import Event
    from events.search import EVENT_DOCUMENT
    from instruments.models import Instrument
    from instruments.search import INSTRUMENT_DOCUMENT

    EVENT_DOCUMENT.refresh(Event._base_manager.using(using).filter(search_vector__isnull=True))
    INSTRUMENT_DOCUMENT.refresh(Instrument._base_manager.using(using).filter(search_vector__isnull=True))
