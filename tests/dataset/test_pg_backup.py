"""
`backupcatalogue` and `restorecatalogue`: a pg_dump of the PostgreSQL database restores
into an empty database whole, every row of every table; the password never appears on a
command line; SQLite is refused with the way to back it up instead.
"""

import copy
import shutil
import subprocess
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from reversion.models import Revision, Version

from bodies.models import Body
from events.models import Event, Participation, Series
from instruments.models import Instrument
from publishing.models import PublicationStatus
from sources.models import Source
from tests.factories import make_event, make_instrument, make_topic
from topics.models import Topic
from uncac.models import Article

# Tables that must hold rows for the comparison to prove anything.
MAIN_MODELS = [
    Event,
    Event.topics.through,
    Participation,
    Series,
    Instrument,
    Instrument.uncac_articles.through,
    Body,
    Topic,
    Source,
    Article,
    get_user_model(),
    Revision,
    Version,
]


@contextmanager
def database_alias(alias, settings_dict):
    """A database that Django reaches as `alias` for the duration of the block."""
    connections.settings[alias] = settings_dict
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def settings_for(**settings_dict):
    """A complete DATABASES entry from the few values given, as Django fills it in."""
    return connections.configure_settings({"default": settings_dict})["default"]


REMOTE_POSTGRESQL = settings_for(
    ENGINE="django.db.backends.postgresql",
    NAME="catalogue",
    USER="backup",
    PASSWORD="a secret passphrase",
    HOST="db.example.org",
    PORT="6432",
    OPTIONS={"sslmode": "require"},
)


@pytest.fixture
def client_programs(monkeypatch):
    """pg_dump and pg_restore as they are called, without running them: [(arguments, environment)]."""
    calls = []

    def fake_run(arguments, env, **kwargs):
        calls.append((arguments, env))
        for argument in arguments:
            if argument.startswith("--file="):
                Path(argument.removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(shutil, "which", lambda program: f"/usr/bin/{program}")
    monkeypatch.setattr(subprocess, "run", fake_run)
    return calls


def test_the_password_reaches_pg_dump_in_its_environment_never_on_its_command_line(tmp_path, client_programs):
    backup = tmp_path / "catalogue.dump"
    with database_alias("remote", REMOTE_POSTGRESQL):
        call_command("backupcatalogue", str(backup), database="remote", stdout=StringIO())

    [(arguments, environment)] = client_programs
    assert arguments[0] == "/usr/bin/pg_dump"
    assert {"--format=custom", "--no-owner", "--no-privileges"} <= set(arguments)
    assert "secret" not in " ".join(arguments)
    assert environment["PGPASSWORD"] == "a secret passphrase"
    dbname = next(argument for argument in arguments if argument.startswith("--dbname="))
    for part in ("host=db.example.org", "port=6432", "user=backup", "dbname=catalogue", "sslmode=require"):
        assert part in dbname.split("=", 1)[1].split()
    assert backup.read_bytes() == b"PGDMP"
    assert backup.stat().st_mode & 0o077 == 0
    assert not backup.with_name("catalogue.dump.partial").exists()


def test_the_password_reaches_pg_restore_in_its_environment_never_on_its_command_line(tmp_path, client_programs):
    backup = tmp_path / "catalogue.dump"
    backup.write_bytes(b"PGDMP")
    with database_alias("remote", REMOTE_POSTGRESQL):
        call_command("restorecatalogue", str(backup), database="remote", interactive=False, stdout=StringIO())

    [(arguments, environment)] = client_programs
    assert arguments[0] == "/usr/bin/pg_restore"
    assert {"--clean", "--if-exists", "--no-owner", "--single-transaction"} <= set(arguments)
    assert arguments[-1] == str(backup)
    assert "secret" not in " ".join(arguments)
    assert environment["PGPASSWORD"] == "a secret passphrase"


def test_a_restore_asks_first_and_does_nothing_unless_told_yes(tmp_path, client_programs, monkeypatch):
    backup = tmp_path / "catalogue.dump"
    backup.write_bytes(b"PGDMP")
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "y")

    with database_alias("remote", REMOTE_POSTGRESQL), pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restorecatalogue", str(backup), database="remote")

    assert "'catalogue'" in questions[0]
    assert client_programs == []


def test_a_missing_backup_file_is_refused(tmp_path, client_programs):
    with database_alias("remote", REMOTE_POSTGRESQL), pytest.raises(CommandError, match="no backup file"):
        call_command("restorecatalogue", str(tmp_path / "nothing.dump"), database="remote", interactive=False)

    assert client_programs == []


@pytest.mark.parametrize(
    ("command", "options"), [("backupcatalogue", {}), ("restorecatalogue", {"interactive": False})]
)
def test_sqlite_is_refused_with_the_way_to_back_it_up(tmp_path, client_programs, command, options):
    embedded = settings_for(ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "db.sqlite3"))
    with database_alias("embedded", embedded), pytest.raises(CommandError, match="dumpdata.*loaddata"):
        call_command(command, str(tmp_path / "catalogue.dump"), database="embedded", **options)

    assert client_programs == []


# The real thing, on PostgreSQL


ROWS = "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"


def contents(alias):
    """For every table of the database: its number of rows and a checksum of them; the sequences' positions."""
    with connections[alias].cursor() as cursor:
        quote = connections[alias].ops.quote_name
        tables = {}
        for table in sorted(connections[alias].introspection.table_names(cursor)):
            cursor.execute(ROWS.format(table=quote(table)))  # noqa: S608 -- the database's own table names.
            tables[table] = cursor.fetchone()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        return tables, dict(cursor.fetchall())


@pytest.fixture(scope="module")
def restored(django_db_setup):
    """
    The alias "restored", of a database on the same server as the tests' own. Known before
    the test starts, so that the test may use it; a mirror for the test runner, which then
    leaves it alone.
    """
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] += "_restored"
    settings_dict["TEST"]["MIRROR"] = "default"
    with database_alias("restored", settings_dict) as alias:
        yield alias


@contextmanager
def empty_database(alias):
    """The database of `alias` created empty, and dropped afterwards."""
    quoted = connection.ops.quote_name(connections[alias].settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE template0")
    try:
        yield alias
    finally:
        connections[alias].close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore need PostgreSQL; on SQLite, test_backup.py covers dumpdata and loaddata.",
)
@pytest.mark.django_db(transaction=True, databases=["default", "restored"])
def test_a_backup_restores_into_an_empty_database_whole(tmp_path, restored):
    call_command("loadcatalogue", verbosity=0)
    staff = get_user_model().objects.create_user("amina", password="a long enough passphrase", is_staff=True)
    with reversion.create_revision():
        reversion.set_user(staff)
        reversion.set_comment("Drafted")
        make_event("A draft event", publication_status=PublicationStatus.DRAFT, topics=[make_topic("Draft topic")])
        make_instrument("An instrument in review", publication_status=PublicationStatus.IN_REVIEW)
    before = contents("default")
    backup = tmp_path / "catalogue.dump"

    call_command("backupcatalogue", str(backup), stdout=StringIO())

    with empty_database(restored):
        call_command("restorecatalogue", str(backup), database=restored, interactive=False, stdout=StringIO())

        assert contents(restored) == before
        tables, _sequences = before
        assert all(tables[model._meta.db_table][0] > 0 for model in MAIN_MODELS)
        draft = Event.objects.using(restored).get(title="A draft event")
        assert draft.publication_status == PublicationStatus.DRAFT
        assert Version.objects.using(restored).get_for_object(draft).get().revision.user.username == "amina"

        # Restored over a catalogue that has changed since: the backup's state again, exactly.
        Event.objects.using(restored).filter(title="A draft event").delete()
        Topic.objects.using(restored).create(name="Added after the backup", slug="added-after-the-backup")
        call_command("restorecatalogue", str(backup), database=restored, interactive=False, stdout=StringIO())

        assert contents(restored) == before
