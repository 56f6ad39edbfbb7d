"""
With a read replica, the public's reads go to it: anonymous GET and HEAD requests outside
the admin. Staff, the admin, writes and everything outside a request use the default database.
A replica that lags behind makes the public see changes late, never renews the catalogue's
version more than once, and leaves nothing stale in the cache once it has caught up.
"""

import copy
import datetime
import sqlite3
import threading

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from publishing import cache
from publishing.replica import PublicReadMiddleware, ReplicaRouter
from tests.factories import make_event

router = ReplicaRouter()


class Staff:
    is_authenticated = True


def databases_during(method, path, user=None):
    """Where the router sends reads and writes of events while the site answers this request."""
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Event)
        seen["write"] = router.db_for_write(Event)

    PublicReadMiddleware(view)(request)
    return seen["read"], seen["write"]


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("path", ["/en/", "/fr/events/", "/en/events/irg-10/", "/api/events/", "/sitemap.xml"])
def test_an_anonymous_visitor_reads_from_the_replica_and_writes_to_the_default_database(method, path):
    assert databases_during(method, path) == ("replica", "default")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_read_from_the_default_database(method):
    assert databases_during(method, "/en/events/") == ("default", "default")


@pytest.mark.parametrize("path", ["/en/events/", "/admin/events/event/"])
def test_staff_read_from_the_default_database(path):
    assert databases_during("get", path, user=Staff()) == ("default", "default")


def test_the_admin_reads_from_the_default_database_even_before_a_login():
    assert databases_during("get", "/admin/login/") == ("default", "default")


def test_outside_a_request_everything_uses_the_default_database():
    assert databases_during("get", "/en/events/") == ("replica", "default")
    assert router.db_for_read(Event) == "default"
    assert router.db_for_write(Event) == "default"


def test_only_the_default_database_is_migrated_and_records_of_both_may_be_related():
    assert router.allow_migrate("default", "events")
    assert not router.allow_migrate("replica", "events")
    on_default, on_replica, elsewhere = Event(), Event(), Event()
    on_default._state.db, on_replica._state.db, elsewhere._state.db = "default", "replica", "archive"
    assert router.allow_relation(on_default, on_replica)
    assert router.allow_relation(on_replica, on_replica)
    assert router.allow_relation(on_default, elsewhere) is None


# Whole requests, with a replica that is the test database itself


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """The alias "replica", a mirror of the test database, as settings.py makes it from DATABASE_REPLICA_URL."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["TEST"]["MIRROR"] = "default"
    connections.settings["replica"] = settings_dict
    try:
        yield "replica"
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def routed(settings, replica):
    settings.DATABASE_ROUTERS = ["publishing.replica.ReplicaRouter"]
    caches["default"].clear()  # Cached pages would be served without a query.
    make_event("Integrity conference", slug="integrity-conference")


def queries_per_database(client, url):
    """The queries run on the default database and on the replica to answer `url`, and the response."""
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["replica"]) as read,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return len(default), len(read), response


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_pages_are_read_from_the_replica_and_staff_pages_from_the_default_database(
    client, admin_client, routed
):
    for url in ["/en/events/", "/en/events/integrity-conference/", "/api/events/"]:
        on_default, on_replica, response = queries_per_database(client, url)

        assert (on_default, on_replica > 0) == (0, True), f"public {url}"
        assert "Integrity conference" in response.content.decode(), f"public {url}"

    for url in ["/en/events/", "/admin/events/event/"]:
        on_default, on_replica, response = queries_per_database(admin_client, url)

        assert (on_replica, on_default > 0) == (0, True), f"staff {url}"
        assert "Integrity conference" in response.content.decode(), f"staff {url}"


# A replica that lags behind the primary


class LaggingReplica:
    """
    The replica alias, made to stop applying the primary's changes: on PostgreSQL its connection
    reads one snapshot, taken when the lag starts; on SQLite, a copy of the database made then.
    """

    def __init__(self, tmp_path):
        self.connection = connections["replica"]
        self.copy = tmp_path / "replica.sqlite3"
        self.name = None
        self.lagging = False

    def start(self):
        if self.connection.vendor == "postgresql":
            self.connection.ensure_connection()
            with self.connection.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT count(*) FROM publishing_catalogueversion")  # The snapshot is taken here.
        else:
            primary = connections["default"]
            primary.ensure_connection()
            with sqlite3.connect(self.copy) as copy:
                primary.connection.backup(copy)
            copy.close()
            self.connection.close()
            self.name, self.connection.settings_dict["NAME"] = self.connection.settings_dict["NAME"], str(self.copy)
        self.lagging = True

    def catch_up(self):
        if not self.lagging:
            return
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        else:
            self.connection.close()
            self.connection.settings_dict["NAME"] = self.name
        self.lagging = False


@pytest.fixture
def replica_lag(routed, tmp_path):
    lag = LaggingReplica(tmp_path)
    try:
        yield lag
    finally:
        lag.catch_up()


EVENTS = "/en/events/"


def renewals(queries):
    return [query for query in queries if query["sql"].startswith('UPDATE "publishing_catalogueversion"')]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_while_the_replica_lags_a_scheduled_publication_renews_the_version_once(client, replica_lag):
    now = timezone.now()
    make_event("Scheduled session", publish_at=now + datetime.timedelta(hours=1))
    replica_lag.start()

    with (
        time_machine.travel(now + datetime.timedelta(hours=2)),
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        pages = [client.get(EVENTS) for _ in range(5)]

    assert len(renewals(on_default.captured_queries)) == 1
    assert len({page["ETag"] for page in pages}) == 1
    assert all("Scheduled session" in page.content.decode() for page in pages)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_no_page_rendered_from_a_lagging_replica_is_served_once_it_has_caught_up(client, replica_lag):
    now = timezone.now()
    event = make_event("Vienna session", slug="vienna-session")
    make_event("Scheduled session", publish_at=now + datetime.timedelta(hours=1))
    replica_lag.start()
    event.publication_status = Event.Status.DRAFT
    event.save()

    with time_machine.travel(now + datetime.timedelta(hours=2)):
        # The replica's row says that the scheduled session is due: the primary's version is served,
        # and so the primary's records.
        during = client.get(EVENTS).content.decode()
        replica_lag.catch_up()
        after = client.get(EVENTS).content.decode()

    assert "Scheduled session" in after
    assert "Vienna session" not in after
    assert "Scheduled session" in during
    assert "Vienna session" not in during


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Two writers at once: SQLite's in-memory test database refuses the second rather than making it wait.",
)
@pytest.mark.django_db(transaction=True)
def test_requests_that_find_a_scheduled_publication_due_together_renew_the_version_once(monkeypatch):
    now = timezone.now()
    make_event("Scheduled session", publish_at=now + datetime.timedelta(hours=1))
    both_found_it_due = threading.Barrier(2, timeout=10)
    renew = cache.renew_catalogue_version
    renewals = []

    def renew_together(**kwargs):
        both_found_it_due.wait()
        renew(**kwargs)

    monkeypatch.setattr(cache, "renew_catalogue_version", renew_together)
    monkeypatch.setattr(cache, "notify", lambda connection: renewals.append(connection.alias))
    tokens = []

    def request():
        try:
            tokens.append(cache.read_version().token)
        finally:
            connections.close_all()

    with time_machine.travel(now + datetime.timedelta(hours=2)):
        requests = [threading.Thread(target=request) for _ in range(2)]
        for thread in requests:
            thread.start()
        for thread in requests:
            thread.join()

    assert renewals == ["default"]
    assert len(tokens) == 2
    assert len(set(tokens)) == 1
