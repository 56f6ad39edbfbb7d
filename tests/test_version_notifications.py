"""
On PostgreSQL each process keeps the catalogue's version in memory while it listens for the
notifications of its changes (publishing/notifications.py): a change that another process
commits is seen by the next request, and nothing read inside a transaction is kept.
"""

import time

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from publishing import notifications
from publishing.cache import read_version
from publishing.notifications import memory
from tests.factories import make_topic

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


def test_the_version_is_read_once_while_nothing_changes(listening):
    quietly(make_topic)  # A change, so that the version's row exists.
    first, first_queries = queries_to_read_version()
    again, again_queries = queries_to_read_version()

    assert (first_queries, again_queries) == (1, 0)
    assert again == first


def test_a_change_committed_by_another_process_is_seen_by_the_next_request(listening):
    quietly(make_topic)
    read_version()

    change_from_another_process()
    wait_for(lambda: memory.value is None)
    version, queries = queries_to_read_version()

    assert (version.token, queries) == ("changed-elsewhere", 1)


def test_a_change_made_here_is_seen_at_once(listening):
    quietly(make_topic)
    before = read_version()

    make_topic()
    after, queries = queries_to_read_version()

    assert after.token != before.token
    assert queries == 1


def test_a_version_read_in_a_transaction_is_not_kept(listening):
    quietly(make_topic)
    with transaction.atomic():
        read_version()

    assert memory.value is None
    assert queries_to_read_version()[1] == 1


def test_without_notifications_every_request_reads_the_version(settings):
    settings.CATALOGUE_VERSION_NOTIFICATIONS = False
    memory.stop()
    make_topic()
    read_version()

    assert queries_to_read_version()[1] == 1
    assert not memory.listening
