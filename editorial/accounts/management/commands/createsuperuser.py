from django.contrib.auth.management.commands import createsuperuser
from django.db.models.signals import post_save

from editorial import twofactor


class Command(createsuperuser.Command):
    help = (
        "Create a superuser, with a two-factor device whose address and QR code are printed once: "
        "a superuser logs in to the admin with a second factor."
    )

    def handle(self, *args, **options):
        new_users = []

        def remember(sender, instance, created=False, **kwargs):
            if created:
                new_users.append(instance)

        post_save.connect(remember, sender=self.UserModel, weak=False, dispatch_uid="createsuperuser_new_user")
        try:
            super().handle(*args, **options)
        finally:
            post_save.disconnect(sender=self.UserModel, dispatch_uid="createsuperuser_new_user")
        for user in new_users:
            self.stdout.write(twofactor.enrolment(twofactor.new_device(user), qr_code=self.stdout.isatty()))
