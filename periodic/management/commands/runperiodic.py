import time

from django.core.management.base import BaseCommand

from periodic.scheduling import enqueue_due


class Command(BaseCommand):
    help = "Enqueue the periodic tasks whose interval has passed, for the worker (manage.py db_worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running, and look again every SECONDS seconds.",
        )

    def handle(self, *args, every=None, **options):
        while True:
            for periodic in enqueue_due():
                self.stdout.write(f"Enqueued {periodic.name}")
            if not every:
                return
            time.sleep(every)
