from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backupcatalogue import libpq_connection, run


class Command(BaseCommand):
    help = (
        "Restore a backup made by backupcatalogue into the PostgreSQL database, in one transaction: "
        "every table, sequence and record in the backup replaces its namesake. On SQLite, use loaddata."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to restore.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to restore into, by its alias.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, path, database, interactive, **options):
        conninfo, environment = libpq_connection(database)
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"There is no backup file {path}.")
        name = connections[database].settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces the contents of the database {name!r} ({database!r}) with the backup {path}.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        # Django's own connection to the database, if open, would hold locks on its tables.
        connections[database].close()
        run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", f"--dbname={conninfo}"]
            + [str(path)],
            environment,
        )
        self.stdout.write(f"Restored {path} into the database {database!r}.")
