from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The staff back office: roles, publication workflow, history, locking and the audit log."""

    name = "editorial"
    verbose_name = _("Editorial work")
    default = True

    def ready(self):
        from . import audit, history, roles

        history.register_lockable_models()

        audit.connect_signals()
        from . import sessions

        sessions.connect_signals()
        post_migrate.connect(roles.sync_after_migrate, sender=self)
