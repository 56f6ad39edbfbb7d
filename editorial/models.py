from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint


class Lockable(models.Model):
    """
    A record that several staff members may edit: every save counts up `lock_version`,
    and a form saved with an older count than the record's is refused (see
    editorial.admin.LockingForm) instead of silently overwriting what was saved since.
    Every version of it is kept in its history (editorial/history.py), with those of the
    relations named in `history_follows`, whose records are saved and restored with it.
    """

    lock_version = models.PositiveIntegerField(default=0, editable=False)
    history_follows = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.lock_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "lock_version"}
        super().save(*args, **kwargs)


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOGOUT = "logout", _("Logged out")
    SUBMIT = "submit", _("Submitted for review")
    PUBLISH = "publish", _("Published")
    SCHEDULE = "schedule", _("Scheduled for publication")
    UNPUBLISH = "unpublish", _("Unpublished")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored an earlier version")
    IMPORT = "import", _("Imported")
    TWO_FACTOR_RESET = "twofactor_reset", _("Two-factor device replaced")


class AuditEntryQuerySet(models.QuerySet):
    def about(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """
    Who did what and when, kept even when the user or the record is deleted: the names
    are copied, not only linked. Times are stored in UTC.
    """

    at = models.DateTimeField(_("when (UTC)"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_record_idx")]
        constraints = [
            ChoicesConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} UTC {self.username or '-'} {self.get_action_display()} {self.object_repr}"
