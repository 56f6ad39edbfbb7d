"""
What the public is served from the cache is never stale and never private: every change to
the catalogue is seen on the next request; staff, the admin, previews and the probes are
never cached; browsers that have the current page are answered 304. The facet counts and
pages read from the facet index are those the database gives.
"""

import datetime
import itertools

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.warmup import warm_up
from events.filters import EventFilter
from events.models import Event
from publishing.cache import catalogue_version, forget_kept
from tests.factories import built_once, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

EVENTS = "/en/events/"


def test_a_public_page_is_cached_with_validators_that_make_browsers_ask_again(client):
    """And a browser that has the current page, by its ETag or its date, is answered 304 with the security headers."""
    make_event("Vienna session")

    first = client.get(EVENTS)
    again = client.get(EVENTS)
    by_etag = client.get(EVENTS, headers={"if-none-match": first["ETag"]})
    by_date = client.get(EVENTS, headers={"if-modified-since": first["Last-Modified"]})

    assert first.context is not None, "the first request renders the page"
    assert again.context is None, "the second is served from the cache"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert set(again["Cache-Control"].split(", ")) == {"public", "no-cache"}
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert "default-src 'self'" in by_etag["Content-Security-Policy"]
    assert by_etag["X-Content-Type-Options"] == "nosniff"
    assert by_date.status_code == 304


def test_the_layers_that_make_bench_switches_off_compute_afresh_every_time(client, settings):
    event = make_event("Vienna session", bodies=[make_body("WCO")])
    settings.CACHE_LAYERS_OFF = {"response", "record", "record-html"}

    def queries():
        ContentType.objects.clear_cache()  # Kept by the process, whichever test read it first.
        with CaptureQueriesContext(connection) as captured:
            response = client.get(event.get_absolute_url())
        assert response.status_code == 200
        assert response.context is not None, "rendered, not served from the cache"
        return len(captured)

    first = queries()
    assert queries() == first, "the record read and its page's body rendered again"
    assert "ETag" in client.get(event.get_absolute_url()), "a browser that has the page is still answered 304"


@pytest.mark.parametrize(
    "change",
    ["retitle", "unpublish", "delete", "add topic", "rename body"],
)
def test_every_change_is_seen_on_the_next_request_with_a_new_etag(client, change):
    body = make_body("Integrity Sub-Committee")
    event = make_event("Vienna session", bodies=[body])
    topic = make_topic("Asset recovery")
    before = client.get(EVENTS)
    assert client.get(EVENTS, headers={"if-none-match": before["ETag"]}).status_code == 304

    if change == "retitle":
        event.title = "Geneva session"
        event.save()
        expected, gone = "Geneva session", "Vienna session"
    elif change == "unpublish":
        event.publication_status = Event.Status.DRAFT
        event.save()
        expected, gone = "No events", "Vienna session"
    elif change == "delete":
        event.delete()
        expected, gone = "No events", "Vienna session"
    elif change == "add topic":
        event.topics.add(topic)
        expected, gone = "Asset recovery", None
    else:
        body.name = "Integrity Committee"
        body.save()
        expected, gone = "Integrity Committee", "Integrity Sub-Committee"

    after = client.get(EVENTS, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert expected in after.content.decode()
    if gone:
        assert gone not in after.content.decode()


def test_a_scheduled_record_appears_when_its_time_comes_without_any_write(client):
    now = timezone.now()
    make_event("Scheduled session", publish_at=now + datetime.timedelta(hours=2))
    # Changes that cannot move the schedule renew the version and leave the scheduled time as it was.
    make_event("Vienna session").topics.add(make_topic("Integrity"))
    assert "Scheduled session" not in client.get(EVENTS).content.decode()

    with time_machine.travel(now + datetime.timedelta(hours=3)):
        assert "Scheduled session" in client.get(EVENTS).content.decode()


def test_time_states_move_on_at_midnight_whatever_the_cache(client):
    with time_machine.travel(datetime.datetime(2030, 5, 1, 23, 0, tzinfo=datetime.UTC)):
        make_event("Tomorrow's session", start="2030-05-02")
        assert "Upcoming" in client.get(EVENTS).content.decode()
    with time_machine.travel(datetime.datetime(2030, 5, 2, 9, 0, tzinfo=datetime.UTC)):
        page = client.get(EVENTS).content.decode()
        assert "Taking place now" in page
        assert "Upcoming" not in page


def test_staff_are_served_afresh_and_nothing_they_see_is_cached(client):
    make_event("Vienna session")
    staff = User.objects.create_user("editor", is_staff=True)
    client.force_login(staff)
    caches["default"].clear()

    response = client.get(EVENTS)

    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")
    client.logout()
    assert client.get(EVENTS).context is not None, "the public's first request renders the page afresh"


def test_a_preview_of_a_draft_is_never_cached(client):
    event = make_event("Draft session", publication_status=Event.Status.DRAFT)
    staff = User.objects.create_superuser("publisher")
    client.force_login(staff)

    response = client.get(f"/en/events/{event.slug}/preview/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(f"/en/events/{event.slug}/preview/").status_code == 404
    assert "Draft session" not in client.get(EVENTS).content.decode()


def test_the_probes_and_the_admin_are_never_cached(client):
    for path in ["/healthz", "/readyz", "/admin/login/"]:
        client.get(path)
        response = client.get(path)

        assert "ETag" not in response, path
        assert "public" not in response.get("Cache-Control", ""), path


def test_an_invalid_filter_is_not_cached(client):
    first = client.get(EVENTS, {"year": "nineteen"})
    again = client.get(EVENTS, {"year": "nineteen"})

    assert first.status_code == again.status_code == 400
    assert again.context is not None
    assert "ETag" not in again


def test_each_change_renews_the_catalogue_s_version():
    first = catalogue_version()
    make_instrument("Revised Arusha Declaration")
    assert catalogue_version().token != first.token


def test_a_new_worker_builds_the_facet_indexes_before_its_first_request(client):
    make_event("Annual meeting", start="2019-05-27", bodies=[make_body("WCO")], topics=[make_topic("Ethics")])

    def first_request_queries(prepare):
        caches["default"].clear()
        forget_kept()  # As a new process would start.
        prepare()
        with CaptureQueriesContext(connection) as captured:
            client.get("/en/events/")
        return len(captured)

    cold = first_request_queries(lambda: None)
    warmed = first_request_queries(warm_up)

    # Read by warm_up() rather than by the request: the index's records, each facet's values, and the
    # body tree with the bodies that are public.
    facets = len(EventFilter.base_filters) - 2  # All but the search and the sort.
    assert cold - warmed == 1 + facets + 2


def build_varied_catalogue():
    """Events with every facet's values in several combinations, some of them not public."""
    parent = make_body("UNODC", slug="unodc")
    child = make_body("IRG", slug="irg", parent=parent)
    other = make_body("WCO", slug="wco")
    topics = [make_topic(f"Topic {n}", slug=f"topic-{n}") for n in range(3)]
    combos = itertools.product([[parent], [child], [other], [parent, child], [child, other]], [0, 1, 2], range(3))
    for n, (bodies, topic, year) in enumerate(combos):
        make_event(
            f"Session {n:02}",
            start=f"{2017 + year}-0{1 + n % 9}-10",
            end=f"{2017 + year + (n % 4 == 0)}-0{1 + n % 9}-12",
            bodies=bodies,
            topics=[topics[topic], *topics[: n % 2]],
            country=["AT", "BE", "CH"][n % 3],
            status=["scheduled", "scheduled", "postponed", "cancelled"][n % 4],
            publication_status="draft" if n % 7 == 0 else "published",
        )


varied_catalogue = built_once(build_varied_catalogue)


FILTER_STATES = [
    {},
    {"year": ["2018"]},
    {"body": ["unodc"]},
    {"body": ["irg", "wco"], "year": ["2017", "2019"]},
    {"topic": ["topic-1"], "country": ["AT"]},
    {"state": ["past", "cancelled"], "body": ["unodc"]},
    {"q": ["Session"], "year": ["2019"]},
]


@pytest.mark.parametrize("state", FILTER_STATES)
def test_facet_counts_from_the_index_are_what_the_database_gives(client, varied_catalogue, state):
    filterset = EventFilter(data=_query(state), queryset=Event.objects.published())
    assert filterset.is_valid()

    assert filterset.record_count == filterset.qs.count()
    for facet in filterset.facet_views:
        for option in facet.options:
            chosen = {**state, facet.name: [option.value]}
            expected = EventFilter(data=_query(chosen), queryset=Event.objects.published()).qs.count()
            assert option.count == expected, (facet.name, option.value)


@pytest.mark.parametrize("state", FILTER_STATES)
def test_pages_read_from_the_index_are_the_database_s_pages(client, varied_catalogue, state):
    caches["default"].clear()
    filterset = EventFilter(data=_query(state), queryset=Event.objects.published().for_listing())
    expected = list(filterset.qs.values_list("title", flat=True))

    for page in range(1, len(expected) // 20 + 2):
        response = client.get(EVENTS, {**state, "page": page})
        assert [event.title for event in response.context["object_list"]] == expected[(page - 1) * 20 : page * 20]


def _query(state):
    query = QueryDict(mutable=True)
    for name, values in state.items():
        query.setlist(name, values)
    return query
