import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg.conninfo import make_conninfo


def libpq_connection(alias):
    """
    How pg_dump and pg_restore reach the database `alias` as Django does: a connection
    string for --dbname (host, port, user, name and any libpq option of the settings), and
    the environment, which alone carries the password, never the command line.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise CommandError(
            f"The database {alias!r} is {connection.display_name}, not PostgreSQL. Back it up with "
            "`manage.py dumpdata` and restore it with `manage.py loaddata` instead."
        )
    libpq_keywords = {option.keyword.decode() for option in psycopg.pq.Conninfo.get_defaults()}
    params = {
        name: value
        for name, value in connection.get_connection_params().items()
        if name in libpq_keywords and value not in (None, "")
    }
    environment = {**os.environ}
    if password := params.pop("password", None):
        environment["PGPASSWORD"] = str(password)
    return make_conninfo(**params), environment


def run(program, arguments, environment):
    """Run the PostgreSQL client `program`; its error output becomes the command's error."""
    executable = shutil.which(program)
    if executable is None:
        raise CommandError(f"{program} was not found: install the PostgreSQL client programs.")
    result = subprocess.run(  # noqa: S603 -- a fixed program, its arguments a list, no shell.
        [executable, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise CommandError(f"{program} failed: {result.stderr.strip()}")


class Command(BaseCommand):
    help = (
        "Back up the whole PostgreSQL database to a file, in pg_dump's custom format, without owners "
        "or privileges, for restorecatalogue. On SQLite, use dumpdata."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The file to write; a previous backup there is replaced once this one is done."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up, by its alias.")

    def handle(self, path, database, **options):
        conninfo, environment = libpq_connection(database)
        path = Path(path)
        # Written beside, then moved into place: a failed backup leaves the previous one whole.
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        # Readable by its owner only: it holds the staff's accounts and sessions.
        partial.touch(mode=0o600)
        try:
            run(
                "pg_dump",
                ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", f"--dbname={conninfo}"],
                environment,
            )
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up the database {database!r} to {path} ({path.stat().st_size} bytes).")
