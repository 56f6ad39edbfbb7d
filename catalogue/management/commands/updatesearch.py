from django.core.management.base import BaseCommand

from catalogue.records import record_types


class Command(BaseCommand):
    help = (
        "Rebuild the search vectors of every event and instrument (PostgreSQL). Run it after changing what "
        "a search reads (events/search.py, instruments/search.py); saving records keeps them up to date otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to update.")

    def handle(self, *args, database, **options):
        for record_type in record_types():
            if record_type.search_document is None:
                continue
            model = record_type.model
            records = model._base_manager.using(database).all()
            record_type.search_document.refresh(records)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {records.count()} search vectors rebuilt.")
