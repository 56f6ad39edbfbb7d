from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """What every kind of record that the public browses shares: lists, facets, cards, exports, feeds."""

    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from publishing.cache import renew_on_changes_to

        from . import (
            checks,  # noqa: F401 (its system checks)
            searchvectors,
        )
        from .records import catalogue_models

        # Each app's records.py registers its kinds of record.
        autodiscover_modules("records")
        renew_on_changes_to(catalogue_models())
        searchvectors.connect()
        post_migrate.connect(searchvectors.fill_missing_vectors, sender=self, dispatch_uid="fill_missing_vectors")
