from django.core.management.base import BaseCommand

from events.models import Event
from events.search import EVENT_DOCUMENT
from instruments.models import Instrument
from instruments.search import INSTRUMENT_DOCUMENT


class Command(BaseCommand):
    help = (
        "Rebuild the search vectors of every event and instrument (PostgreSQL). Run it after changing what "
        "a search reads (events/search.py, instruments/search.py); saving records keeps them up to date otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to update.")

    def handle(self, *args, database, **options):
        for model, document in ((Event, EVENT_DOCUMENT), (Instrument, INSTRUMENT_DOCUMENT)):
            records = model._base_manager.using(database).all()
            document.refresh(records)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {records.count()} search vectors rebuilt.")
