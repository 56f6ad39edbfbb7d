from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # Registers the OpenAPI extensions that describe the catalogue's own filters.
        from linkeddata.licence import licensed
        from ratelimits.middleware import answer_refusals_with

        from . import schema  # noqa: F401
        from .views import too_many_requests

        answer_refusals_with("api", licensed(too_many_requests))
