"""Optional two-factor authentication for staff, which an administrator can require."""

from django.conf import settings
from django_otp import devices_for_user

from .roles import TWO_FACTOR_REQUIRED


def is_required(user):
    """Whether `user` must log in with a second factor."""
    return settings.OTP_REQUIRED_FOR_STAFF or user.groups.filter(name=TWO_FACTOR_REQUIRED).exists()


def has_device(user):
    return any(devices_for_user(user, confirmed=True))


def is_satisfied(user):
    """Whether `user`'s session meets the two-factor policy: verified, or not asked to be."""
    return user.is_verified() or not (is_required(user) or has_device(user))
