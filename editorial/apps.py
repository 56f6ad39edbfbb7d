from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The staff back office: roles, publication workflow, history, locking and the audit log."""

    name = "editorial"
    verbose_name = _("Editorial work")
    default = True

    def ready(self):
        import reversion

        from bodies.models import Body
        from events.models import Event, Participation, Series
        from instruments.models import Instrument
        from sources.models import Source
        from topics.models import Topic

        from . import audit, roles

        # Revision history. The lock count is bookkeeping, not content; an event's
        # participants are saved with it, so that restoring an event restores them too.
        for model in (Body, Topic, Source, Series):
            reversion.register(model, exclude=["lock_version"])
        reversion.register(Instrument, exclude=["lock_version"])
        reversion.register(Participation)
        reversion.register(Event, exclude=["lock_version"], follow=["participations"])

        audit.connect_signals()
        from . import sessions

        sessions.connect_signals()
        post_migrate.connect(roles.sync_after_migrate, sender=self)
