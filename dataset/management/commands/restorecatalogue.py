import tarfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backupcatalogue import documents_storage, files_archive, is_stored_file_name, libpq_connection, run


class Command(BaseCommand):
    help = (
        "Restore a backup made by backupcatalogue: every file of the archive beside it (<file>.files.tar) "
        "into the documents storage, then the PostgreSQL database, in one transaction: every table, "
        "sequence and record in the backup replaces its namesake. On SQLite, use loaddata."
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
        archive = files_archive(path)
        # The files first: once the database names them, they are there. A stored file is never
        # changed (a new one is stored under a new name), so one already there is kept.
        if archive.is_file():
            restored, kept = restore_files(archive, documents_storage())
            self.stdout.write(f"Restored {restored} files of the documents from {archive} ({kept} already there).")
        else:
            self.stderr.write(f"No file restored: there is no archive of the documents' files at {archive}.")
        # Django's own connection to the database, if open, would hold locks on its tables.
        connections[database].close()
        run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", f"--dbname={conninfo}"]
            + [str(path)],
            environment,
        )
        self.stdout.write(f"Restored {path} into the database {database!r}.")


def restore_files(path, storage):
    """Put every file of the archive `path` back in `storage` under its own name; (restored, already there)."""
    restored = kept = 0
    try:
        with tarfile.open(path, "r:") as archive:
            members = archive.getmembers()
            wrong = [member.name for member in members if not (member.isfile() and is_stored_file_name(member.name))]
            if wrong:
                raise CommandError(f"{path} is not an archive of the documents' files: it holds {wrong[0]!r}.")
            for member in members:
                if storage.exists(member.name):
                    if storage.size(member.name) == member.size:
                        kept += 1
                        continue
                    storage.delete(member.name)
                saved = storage.save(member.name, File(archive.extractfile(member), name=member.name))
                if saved != member.name:
                    raise CommandError(f"The documents storage saved {member.name} as {saved}.")
                restored += 1
    except tarfile.TarError as error:
        raise CommandError(f"{path} cannot be read: {error}") from None
    return restored, kept
