from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Email alerts of new records for any filtered list, without an account."""

    name = "alerts"
    verbose_name = _("Email alerts")

    def ready(self):
        from django.db.models.signals import post_delete

        from . import checks  # noqa: F401
        from .models import Subscription, forget_unsubscribed

        post_delete.connect(forget_unsubscribed, sender=Subscription, dispatch_uid="alerts_forget_unsubscribed")
