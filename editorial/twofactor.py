"""
Two-factor authentication for staff: required of administrators and superusers, and of
whoever else an administrator asks it of; open to every other staff member who has a device.
"""

import io

from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import TWO_FACTOR_REQUIRED

# Whoever may change accounts or roles may make any account anything, their own included.
ADMINISTRATOR_PERMISSIONS = ("auth.change_user", "auth.change_group")


def is_administrator(user):
    """A superuser, a member of the Administrator role, or anyone else who may change accounts or roles."""
    return user.is_superuser or any(user.has_perm(perm) for perm in ADMINISTRATOR_PERMISSIONS)


def is_required(user):
    """Whether `user` must log in with a second factor."""
    return (
        settings.OTP_REQUIRED_FOR_STAFF
        or is_administrator(user)
        or user.groups.filter(name=TWO_FACTOR_REQUIRED).exists()
    )


def has_device(user):
    return any(devices_for_user(user, confirmed=True))


def is_satisfied(user):
    """Whether `user`'s session meets the two-factor policy: verified, or not asked to be."""
    return user.is_verified() or not (is_required(user) or has_device(user))


def new_device(user):
    """A new confirmed time-based device for `user`, to be enrolled from its provisioning address."""
    return TOTPDevice.objects.db_manager(user._state.db).create(user=user, name="authenticator", confirmed=True)


def enrolment(device, qr_code=False):
    """What a command prints for the person to add the device to their authenticator app, once."""
    lines = [
        f"A two-factor device for {device.user.get_username()}: add it to an authenticator app now, "
        "by scanning the QR code or opening the address (neither is shown again).",
        f"Address: {device.config_url}",
    ]
    if qr_code:
        import segno

        picture = io.StringIO()
        segno.make(device.config_url, error="m").terminal(out=picture, compact=True)
        lines.insert(1, picture.getvalue().rstrip("\n"))
    return "\n".join(lines)
