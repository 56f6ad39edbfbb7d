from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "periodic"
    verbose_name = _("Periodic work")

    def ready(self):
        # Each app's periodic tasks register themselves in its tasks.py.
        autodiscover_modules("tasks")
