from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CitationsConfig(AppConfig):
    """How each kind of record is cited: a formatted citation, RIS, BibTeX and CSL-JSON, and the citation_* tags."""

    name = "citations"
    verbose_name = _("Citations")

    def ready(self):
        from . import checks  # noqa: F401 (its system checks)

        # Each app's citations.py registers how its kind of record is cited.
        autodiscover_modules("citations")
