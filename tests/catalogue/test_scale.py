"""
The queries a public page makes do not grow with the catalogue: the same with 500 events as
with 1,000 (`make bench` runs these tests at 10,000 and 100,000, with SCALE_TEST_EVENTS), on the
first page of a list and on a deep one. A list makes 3 with its counts and facets cached (the catalogue's
version, the page's events, their convening bodies), and 1 once the cards of its events are
cached too (catalogue/cards.py), as a page served whole from the cache does; an event's
page 1 once the event and its page's body are cached.
"""

import datetime
import itertools
import os
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Event
from publishing.parameters import BENCHMARK_PARAMETER

SIZES = [int(size) for size in os.environ.get("SCALE_TEST_EVENTS", "500,1000").split(",")]


@dataclass
class Catalogue:
    size: int

    @property
    def deep_page(self):
        """Page 400 of 10,000 events, page 20 of 500: far from the first, short of the last."""
        return self.size // 25

    @property
    def busy_year(self):
        """Last year, which holds more events than any year before it."""
        return datetime.date.today().year - 1


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size}-events")
def catalogue(request, django_db_setup, django_db_blocker):
    """
    A generated catalogue of this many events, taken out again after the module's tests. From
    10,000 events on, the command's own proportions; a smaller one has fewer bodies and years,
    so that a body's events of one year still fill two pages.
    """
    size = request.param
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "generatecatalogue",
            events=size,
            instruments=min(size, 2000),
            bodies=min(300, max(30, size // 30)),
            years=min(40, max(5, size // 250)),
            search=False,
            verbosity=0,
        )
        # The foreign keys checked once now, rather than again at the end of each test.
        connection.check_constraints()
        yield Catalogue(size)
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


LIST_PATHS = [
    "/en/events/",
    "/en/events/?page={deep_page}",
    "/en/events/?body=generated-body-1",
    "/en/events/?body=generated-body-1&year={busy_year}&page=2",
    "/fr/events/?state=past&topic=generated-topic-1",
    "/en/instruments/",
    "/en/instruments/?kind=guide&page=2",
]


@pytest.mark.django_db
def test_a_list_makes_1_query_with_warm_caches_whatever_the_size_and_page(client, catalogue):
    for path in LIST_PATHS:
        path = path.format(deep_page=catalogue.deep_page, busy_year=catalogue.busy_year)
        client.get(path)  # Builds the facet index and caches the counts, the facets and the cards of this page.

        assert queries(client, path) == 1, (
            f"{path}: the version only: the counts, the facets and the cards from the cache"
        )
        assert queries(client, path, fresh=False) == 1, f"{path}: the page itself, from the cache: the version only"


@pytest.mark.django_db
def test_a_deep_page_and_the_last_page_make_as_many_queries_as_page_1(client, catalogue):
    client.get("/en/events/?page=2")  # Builds the facet index; each page's cards are still to render.
    first = queries(client, "/en/events/")

    assert first == LIST_PAGE_QUERIES
    assert queries(client, f"/en/events/?page={catalogue.deep_page}") == first
    assert queries(client, "/en/events/?page=last") == first


@pytest.mark.django_db
def test_an_event_page_makes_1_query_from_the_cache_and_as_many_afresh_whatever_the_size(client, catalogue):
    events = Event.objects.published().filter(slug__startswith="generated-", series=None).order_by("pk")
    event = events[catalogue.size // 20]
    path = event.get_absolute_url()
    # Read once a process, whichever page asks first: not a query of this page.
    ContentType.objects.get_for_model(Event)
    afresh = queries(client, path)
    client.get(path)

    assert queries(client, path) == 1, "the version only: the event and its page's body from the cache"
    assert queries(client, path, fresh=False) == 1
    assert afresh == EVENT_PAGE_QUERIES


# The version, the page's events and their convening bodies, and the names and addresses of its
# events for its JSON-LD (then cached, as the cards are).
LIST_PAGE_QUERIES = 4
# The version, the event with its series, one query for each of the seven relations the page shows
# (its documents among them), and its versions for the date it was last corrected.
EVENT_PAGE_QUERIES = 10
