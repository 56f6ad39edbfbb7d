import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from editorial import twofactor
from editorial.roles import ROLES, grant, sync_roles


class Command(BaseCommand):
    help = (
        "Make a user a staff member with one role: " + ", ".join(ROLES) + ". With --create, create the user first, "
        "with the password typed at the prompt or given in the STAFF_PASSWORD environment variable. "
        "A person who must use two-factor authentication (an administrator) and has no device yet is given one, "
        "whose address and QR code are printed once, for their authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[name.lower() for name in ROLES])
        parser.add_argument("--create", action="store_true", help="Create the user if there is none of that name.")

    def handle(self, username, role, create, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            if not create:
                raise CommandError(f"There is no user {username!r}; add --create to create it.") from None
            user = User(username=username)
            user.set_password(self.ask_password(user))
            user.save()
        sync_roles()
        name = next(name for name in ROLES if name.lower() == role)
        grant(user, name)
        self.stdout.write(f"{username} is now a staff member with the role {name}.")
        if not twofactor.is_required(user):
            return
        if twofactor.has_device(user):
            self.stdout.write(
                f"{username} already has a two-factor device. If it is lost: manage.py resettwofactor {username}"
            )
        else:
            self.stdout.write(twofactor.enrolment(twofactor.new_device(user), qr_code=self.stdout.isatty()))

    def ask_password(self, user):
        password = os.environ.get("STAFF_PASSWORD") or getpass.getpass("Password: ")
        if "STAFF_PASSWORD" not in os.environ and password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
