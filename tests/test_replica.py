"""
With a read replica, the public's reads go to it: anonymous GET and HEAD requests outside
the admin. Staff, the admin, writes and everything outside a request use the default database.
"""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.factories import make_event
from wcointegrity.routers import PublicReadMiddleware, ReplicaRouter

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
    settings.DATABASE_ROUTERS = ["wcointegrity.routers.ReplicaRouter"]
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
@pytest.mark.parametrize("url", ["/en/events/", "/en/events/integrity-conference/", "/api/events/"])
def test_public_pages_are_read_from_the_replica(client, routed, url):
    on_default, on_replica, response = queries_per_database(client, url)

    assert on_default == 0
    assert on_replica > 0
    assert "Integrity conference" in response.content.decode()


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.parametrize("url", ["/en/events/", "/admin/events/event/"])
def test_staff_pages_are_read_from_the_default_database(admin_client, routed, url):
    on_default, on_replica, response = queries_per_database(admin_client, url)

    assert on_replica == 0
    assert on_default > 0
    assert "Integrity conference" in response.content.decode()
