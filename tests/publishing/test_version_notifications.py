"""
On PostgreSQL each process keeps the catalogue's version in memory while it listens for the
notifications of its changes (publishing/notifications.py): a change that another process
commits is seen by the next request, and nothing read inside a transaction is kept. A version
is kept for CATALOGUE_VERSION_MAX_AGE seconds at most, even when a notification is lost, and
not at all when the listener cannot hear its own.
"""

import datetime
import time

import psycopg
import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing import notifications
from publishing.cache import read_version
from publishing.notifications import memory
from tests.factories import make_event, make_topic

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="notifications are PostgreSQL's"),
]


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.01)


def quietly(change):
    """Make `change`, then wait until this process has heard every notification of it."""
    change()
    generation = memory.generation
    while True:
        time.sleep(0.3)
        if memory.generation == generation:
            return
        generation = memory.generation


@pytest.fixture
def listening(settings, monkeypatch):
    settings.CATALOGUE_VERSION_NOTIFICATIONS = True
    monkeypatch.setattr(notifications, "CHECK_SECONDS", 0.2)  # So that the thread stops at once.
    memory.stop()
    memory.get()
    wait_for(lambda: memory.listening)
    yield
    memory.stop()


def queries_to_read_version():
    with CaptureQueriesContext(connection) as captured:
        version = read_version()
    return version, len(captured)


def change_from_another_process():
    """What a renewal in another process does: a new token, and the notification, committed together."""
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:
        other.execute("UPDATE publishing_catalogueversion SET token = 'changed-elsewhere' WHERE id = 1")
        other.execute(f"NOTIFY {notifications.CHANNEL}")


def test_the_version_is_kept_until_a_change_is_heard_from_another_process_or_made_here(listening):
    """And a version read inside a transaction is not kept."""
    quietly(make_topic)  # A change, so that the version's row exists.
    first, first_queries = queries_to_read_version()
    again, again_queries = queries_to_read_version()
    assert (first_queries, again_queries) == (1, 0), "read once while nothing changes"
    assert again == first

    memory.forget()  # As when a change is heard: nothing kept.
    with transaction.atomic():
        read_version()
    assert memory.value is None, "not kept from a transaction"
    assert queries_to_read_version()[1] == 1

    change_from_another_process()
    wait_for(lambda: memory.value is None)
    elsewhere, queries = queries_to_read_version()
    assert (elsewhere.token, queries) == ("changed-elsewhere", 1), "a change committed elsewhere, seen next"

    make_topic()
    here, queries = queries_to_read_version()
    assert here.token != elsewhere.token, "a change made here, seen at once"
    assert queries == 1


def unpublish_from_another_process_without_a_word(slug):
    """An unpublication by another server, whose notification is lost on the way (a pooler, a network fault)."""
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:
        other.execute(
            "UPDATE events_event SET publication_status = 'draft', publish_at = NULL WHERE slug = %s", [slug]
        )
        other.execute("UPDATE publishing_catalogueversion SET token = 'changed-elsewhere' WHERE id = 1")


def test_a_change_whose_notification_is_lost_is_seen_once_the_kept_version_is_too_old(listening, client, settings):
    settings.CATALOGUE_VERSION_MAX_AGE = 5
    quietly(lambda: make_event("Vienna session", slug="vienna-session"))
    assert "Vienna session" in client.get("/en/events/").content.decode()
    assert client.get("/en/events/vienna-session/").status_code == 200

    unpublish_from_another_process_without_a_word("vienna-session")
    assert "Vienna session" in client.get("/en/events/").content.decode(), "the kept version, for a moment"

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=6)):
        assert "Vienna session" not in client.get("/en/events/").content.decode()
        assert client.get("/en/events/vienna-session/").status_code == 404
    assert memory.listening, "the listener still believes that it hears"


@pytest.fixture
def pooler(monkeypatch):
    """
    Connections as through a pooler in transaction mode: the server connection that ran a LISTEN
    goes back to the pool, and the client hears nothing, while its queries still answer.
    """

    class Pooled(psycopg.Connection):
        def execute(self, query, *args, **kwargs):
            if isinstance(query, str) and query.startswith("LISTEN"):
                return self.cursor()
            return super().execute(query, *args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", Pooled.connect)


def test_without_notifications_or_with_a_listener_that_cannot_hear_every_request_reads_the_version(
    pooler, settings, monkeypatch, caplog
):
    """Turned off, nothing listens; a listener that cannot hear keeps nothing and says so."""
    settings.CATALOGUE_VERSION_NOTIFICATIONS = False
    memory.stop()
    make_topic()
    read_version()

    assert queries_to_read_version()[1] == 1
    assert not memory.listening

    settings.CATALOGUE_VERSION_NOTIFICATIONS = True
    monkeypatch.setattr(notifications, "PROBE_SECONDS", 0.5)
    make_topic()
    memory.stop()
    try:
        memory.get()
        wait_for(lambda: memory.listening or "not delivered" in caplog.text)

        assert not memory.listening
        assert [queries_to_read_version()[1] for _ in range(3)] == [1, 1, 1]
    finally:
        memory.stop()
