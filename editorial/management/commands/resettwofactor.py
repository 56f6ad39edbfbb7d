import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import devices_for_user

from editorial import twofactor
from editorial.audit import record
from editorial.models import AuditAction


class Command(BaseCommand):
    help = (
        "Give a person a new two-factor device, when theirs is lost or they have none: every device they have "
        "is deleted, and the new one's address and QR code are printed once, for their authenticator app. "
        "Written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        with transaction.atomic():
            removed = 0
            for device in devices_for_user(user, confirmed=None):
                device.delete()
                removed += 1
            device = twofactor.new_device(user)
            record(
                AuditAction.TWO_FACTOR_RESET,
                obj=user,
                detail=f"{removed} device(s) replaced from the command line by the system user {system_user()}",
            )
        self.stdout.write(twofactor.enrolment(device, qr_code=self.stdout.isatty()))
        self.stdout.write("Sessions verified with the old devices must log in again.")


def system_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
