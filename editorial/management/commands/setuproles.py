from django.core.management.base import BaseCommand

from editorial.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the staff roles (Editor, Publisher, Administrator) or bring their permissions up to date."

    def handle(self, *args, **options):
        created = sync_roles()
        for name in ROLES:
            state = "created" if name in created else "up to date"
            self.stdout.write(f"{name}: {state}")
