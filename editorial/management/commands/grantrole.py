from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editorial.roles import ROLES, grant, sync_roles


class Command(BaseCommand):
    help = "Make a user a staff member with one role: " + ", ".join(ROLES) + "."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[name.lower() for name in ROLES])

    def handle(self, username, role, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(
                f"There is no user {username!r}; create it first with createsuperuser or the admin."
            ) from None
        sync_roles()
        name = next(name for name in ROLES if name.lower() == role)
        grant(user, name)
        self.stdout.write(f"{username} is now a staff member with the role {name}.")
