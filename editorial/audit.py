"""
The audit log: logins, failed logins, lockouts and logouts, and every submission,
publication, unpublication, deletion, restoration and import of a record. Each entry goes
to the AuditEntry table, which staff read in the admin, and to the "wcointegrity.audit" logger.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType

from .lockout import existing_username
from .models import AuditAction, AuditEntry

logger = logging.getLogger("wcointegrity.audit")

UNKNOWN_ACCOUNT = "unknown account"


def record(action, user=None, obj=None, detail="", username=""):
    entry = AuditEntry(action=action, detail=detail, username=username)
    if user is not None and user.is_authenticated:
        entry.user = user
        entry.username = user.get_username()
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    logger.info(
        "%s by %s%s%s",
        action,
        entry.username or "-",
        f" on {entry.content_type.app_label}.{entry.content_type.model} {entry.object_id}" if obj is not None else "",
        f": {detail}" if detail else "",
    )
    return entry


def _logged_in(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, user)


def _against_account(action, name):
    """
    Against the account if `name` is an account's; otherwise without the name, which may be
    a password typed in the wrong field.
    """
    username = existing_username(name)
    if username is None:
        return record(action, detail=UNKNOWN_ACCOUNT)
    return record(action, username=username)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django masks the password in `credentials`.
    _against_account(AuditAction.LOGIN_FAILED, credentials.get("username"))


def _locked_out(sender, request, username, ip_address, **kwargs):
    _against_account(AuditAction.LOCKED_OUT, username)


def connect_signals():
    from axes.signals import user_locked_out

    user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
