from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # Registers the OpenAPI extensions that describe the catalogue's own filters.
        from . import schema  # noqa: F401
