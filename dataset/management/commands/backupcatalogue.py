import os
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import psycopg
from django.core.files.storage import storages
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


# The folder of the documents storage that holds the documents' files (documents.models.stored_name).
FILES_FOLDER = "documents"


def files_archive(path):
    """Where the files of the backup `path` are: an archive beside it."""
    return path.with_name(path.name + ".files.tar")


def documents_storage():
    return storages["documents"]


def stored_files(storage, folder=FILES_FOLDER):
    """The name of every file under `folder` of `storage`, whatever the storage (a folder, a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for name in sorted(folders):
        yield from stored_files(storage, f"{folder}/{name}")


def is_stored_file_name(name):
    """Whether `name`, read from an archive, is a plain name under FILES_FOLDER."""
    parts = PurePosixPath(name).parts
    return len(parts) > 1 and parts[0] == FILES_FOLDER and not any(part in ("", ".", "..") for part in parts)


def write_files_archive(path, storage):
    """Every file of the documents storage into a tar archive at `path`, one file at a time; (count, bytes)."""
    count = total = 0
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name in stored_files(storage):
            member = tarfile.TarInfo(name)
            member.size = storage.size(name)
            member.mode = 0o600
            with storage.open(name, "rb") as file:
                archive.addfile(member, file)
            count, total = count + 1, total + member.size
    return count, total


class Command(BaseCommand):
    help = (
        "Back up the whole PostgreSQL database to a file, in pg_dump's custom format, without owners "
        "or privileges, and every file of the documents storage (local or S3) to an archive beside it "
        "(<file>.files.tar), for restorecatalogue. On SQLite, use dumpdata."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The file to write; a previous backup there is replaced once this one is done."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up, by its alias.")

    def handle(self, path, database, **options):
        conninfo, environment = libpq_connection(database)
        path = Path(path)
        # The database first, then the files: files are never deleted, so every file that the
        # database names is there when the files are read.
        with replaced_when_done(path) as partial:
            run(
                "pg_dump",
                ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", f"--dbname={conninfo}"],
                environment,
            )
        self.stdout.write(f"Backed up the database {database!r} to {path} ({path.stat().st_size} bytes).")
        archive = files_archive(path)
        with replaced_when_done(archive) as partial:
            count, total = write_files_archive(partial, documents_storage())
        self.stdout.write(f"Backed up {count} files of the documents ({total} bytes) to {archive}.")


@contextmanager
def replaced_when_done(path):
    """
    A file beside `path`, readable by its owner only (a backup holds the staff's accounts and
    sessions), moved into place at the end of the block: a failed backup leaves the previous one whole.
    """
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
