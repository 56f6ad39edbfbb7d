from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class LinkedDataConfig(AppConfig):
    """schema.org JSON-LD in the public pages, and the licence under which the catalogue's data may be reused."""

    name = "linkeddata"
    verbose_name = _("Structured data")

    def ready(self):
        from . import checks  # noqa: F401 (its system checks)

        # Each app's jsonld.py registers how its records are described (schema.register).
        autodiscover_modules("jsonld")
