"""
The queries a public page makes do not grow with the catalogue: the same with 10,000 events
as with 100,000 (`make bench` runs these tests at 100,000 too, with SCALE_TEST_EVENTS), on the
first page of a list and on its 400th. A list makes at most 3 with
its counts and facets cached (the catalogue's version, the page's events, their convening
bodies), and 1 once the cards of its events are cached too (wcointegrity/cards.py), as a page
served whole from the cache does; an event's page 1 once the event and its page's body are cached.
"""

import itertools
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Event
from publishing.parameters import BENCHMARK_PARAMETER

SIZES = [int(size) for size in os.environ.get("SCALE_TEST_EVENTS", "10000").split(",")]


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size}-events")
def catalogue(request, django_db_setup, django_db_blocker):
    """A generated catalogue of this many events, taken out again after the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generatecatalogue", events=request.param, search=False, verbosity=0)
        # The foreign keys checked once now, rather than again at the end of each test.
        connection.check_constraints()
        yield request.param
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def benchmark_parameter(settings):
    """The parameter with which `make bench` misses the page cache (publishing/parameters.py)."""
    settings.BENCHMARK_VIEWS = True


_misses = itertools.count()


def queries(client, path, fresh=True):
    """How many queries `path` makes; `fresh` misses the page cache but not the counts' and facets'."""
    if fresh:
        path += f"{'&' if '?' in path else '?'}{BENCHMARK_PARAMETER}={next(_misses)}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/events/",
        "/en/events/?page=400",
        "/en/events/?body=generated-body-1",
        "/en/events/?body=generated-body-1&year=2019&page=2",
        "/fr/events/?state=past&topic=generated-topic-1",
        "/en/instruments/",
        "/en/instruments/?kind=guide&page=3",
    ],
)
def test_a_list_makes_1_query_with_warm_caches_whatever_the_size_and_page(client, catalogue, path):
    client.get(path)  # Builds the facet index and caches the counts, the facets and the cards of this page.

    assert queries(client, path) == 1, "the version only: the counts, the facets and the cards from the cache"
    assert queries(client, path, fresh=False) == 1, "the page itself, from the cache: the version only"


@pytest.mark.django_db
def test_page_400_and_the_last_page_make_as_many_queries_as_page_1(client, catalogue):
    client.get("/en/events/?page=2")  # Builds the facet index; each page's cards are still to render.
    first = queries(client, "/en/events/")

    assert first <= 3
    assert queries(client, "/en/events/?page=400") == first
    assert queries(client, "/en/events/?page=last") == first


@pytest.mark.django_db
def test_an_event_page_makes_1_query_from_the_cache_and_as_many_afresh_whatever_the_size(client, catalogue):
    event = Event.objects.published().filter(slug__startswith="generated-", series=None).order_by("pk")[500]
    path = event.get_absolute_url()
    afresh = queries(client, path)
    client.get(path)

    assert queries(client, path) == 1, "the version only: the event and its page's body from the cache"
    assert queries(client, path, fresh=False) == 1
    assert afresh == EVENT_PAGE_QUERIES


# The version, the event with its series, and one query for each of the six relations the page shows.
EVENT_PAGE_QUERIES = 8
