from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UncacConfig(AppConfig):
    name = "uncac"
    verbose_name = _("UNCAC")
