"""
The public cache holds one entry for each page as its view reads it: a parameter the view
does not read, an Accept header the API answers alike or a session cookie that names no
session neither adds an entry nor skips the cache. A cache that fails is a cache that holds
nothing: every page is rendered afresh, never answered with an error. Rendering the costly
pages anew is limited per client; serving them from the cache is not.
"""

import datetime
import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.test import override_settings
from django.urls import path
from pytest_django.asserts import assertContains

from publishing.parameters import check_query_parameters
from tests.factories import built_once, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/en/",
    "list": "/en/events/",
    "filtered list": "/en/events/?year=2019",
    "record": "/en/events/vienna-session/",
    "other list": "/fr/instruments/",
    "topics": "/en/topics/",
    "topic": "/en/topics/ethics/",
    "bodies": "/en/bodies/",
    "body": "/en/bodies/wco/",
    "uncac": "/en/uncac/",
    "timeline": "/en/timeline/",
    "search": "/en/search/?q=vienna",
    "calendar": "/en/events/calendar.ics",
    "feed": "/en/events/feed/",
    "sitemap": "/sitemap.xml",
    "robots": "/robots.txt",
    "api list": "/api/events/",
    "api record": "/api/events/vienna-session/",
}
# What each page shows of the catalogue below.
SHOWN = {
    "home": "Vienna session",
    "list": "Vienna session",
    "filtered list": "Vienna session",
    "record": "Vienna session",
    "other list": "Revised Arusha Declaration",
    "topics": "Ethics",
    "topic": "Vienna session",
    "bodies": "World Customs Organization",
    "body": "Vienna session",
    "uncac": "UNCAC",
    "timeline": "2019",
    "search": "/en/events/vienna-session/",
    "calendar": "SUMMARY:Vienna session",
    "feed": "Vienna session",
    "sitemap": "/en/events/vienna-session/",
    "robots": "Sitemap:",
    "api list": '"title":"Vienna session"',
    "api record": '"title":"Vienna session"',
}


def build_catalogue():
    body = make_body("World Customs Organization", slug="wco")
    topic = make_topic("Ethics", slug="ethics")
    make_event("Vienna session", slug="vienna-session", start="2019-06-03", bodies=[body], topics=[topic])
    make_instrument("Revised Arusha Declaration")


# The tests only read it, but for one that adds events of its own, rolled back after it.
catalogue = built_once(build_catalogue)


@contextmanager
def cache_writes():
    """The keys written to the public cache inside the block."""
    backend = caches[settings.CATALOGUE_CACHE]
    keys = []

    def record_set(key, *args, **kwargs):
        keys.append(key)
        return set_one(key, *args, **kwargs)

    def record_set_many(data, *args, **kwargs):
        keys.extend(data)
        return set_many(data, *args, **kwargs)

    set_one, set_many = backend.set, backend.set_many
    with mock.patch.object(backend, "set", record_set), mock.patch.object(backend, "set_many", record_set_many):
        yield keys


def with_query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def test_a_parameter_the_page_does_not_read_is_served_the_same_entry(client, catalogue):
    """On each of PAGES."""
    for page, url in PAGES.items():
        first = client.get(url)
        assert first.status_code == 200, page

        with cache_writes() as written:
            again = client.get(with_query(url, "utm_source=newsletter&utm_campaign=spring&x=1"))

        assert again.status_code == 200, page
        assert written == [], f"{page}: nothing new is cached"
        assert again.content == first.content, page
        assert b"utm_" not in again.content, page


def test_a_parameter_the_page_does_not_read_is_not_in_its_links(client, catalogue):
    for n in range(21):
        make_event(f"Session {n}", start="2019-03-01")

    page = client.get("/en/events/?utm_source=newsletter&year=2019").content.decode()

    assert 'href="?year=2019&amp;page=2"' in page
    assert "utm_source" not in page


def test_the_same_parameters_in_another_order_share_an_entry(client, catalogue):
    for url, other in [
        ("/en/events/?year=2019&body=wco", "/en/events/?body=wco&year=2019"),
        ("/en/events/?topic=ethics&year=2019&sort=title", "/en/events/?sort=title&year=2019&topic=ethics"),
        ("/api/events/?lang=fr&year=2019", "/api/events/?year=2019&lang=fr"),
        ("/en/events/?year=2019&year=2020", "/en/events/?year=2020&year=2019"),
    ]:
        first = client.get(url)

        with cache_writes() as written:
            again = client.get(other)

        assert written == [], other
        assert again.status_code == 200, other
        assert again.content == first.content, other


def test_the_api_is_cached_once_for_every_accept_header_that_it_answers_alike(client, catalogue):
    """Each Accept header in turn, after the page was cached without one: none of them adds an entry."""
    first = client.get("/api/events/")

    for accept in [
        "application/json",
        "*/*",
        "application/*",
        "application/json, text/plain;q=0.5",
        "text/html, */*;q=0.1",
    ]:
        with cache_writes() as written:
            again = client.get("/api/events/", headers={"accept": accept})

        assert written == [], accept
        assert again.status_code == 200, accept
        assert again.content == first.content, accept


def test_the_api_still_refuses_what_it_cannot_answer_and_indents_when_asked(client, catalogue):
    compact = client.get("/api/events/")

    refused = client.get("/api/events/", headers={"accept": "text/html"})
    indented = client.get("/api/events/", headers={"accept": "application/json; indent=2"})

    assert refused.status_code == 406
    assert indented.status_code == 200
    assert indented.content != compact.content
    assert indented.json() == compact.json()


def test_a_page_is_cached_once_whatever_accept_says(client, catalogue):
    """Each Accept header in turn, after the page was cached without one: none of them adds an entry."""
    client.get("/en/events/")

    for accept in ["text/html", "application/xhtml+xml", "image/avif", "x/" + "y" * 50]:
        with cache_writes() as written:
            response = client.get("/en/events/", headers={"accept": accept})

        assert written == [], accept
        assert response.status_code == 200, accept


def test_a_session_cookie_that_names_no_session_is_served_from_the_cache(client, catalogue):
    first = client.get("/en/events/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "forged-session-key-0123456789"

    with cache_writes() as written:
        forged = client.get("/en/events/")

    assert written == []
    assert forged.context is None, "served from the cache"
    assert forged.content == first.content
    assert "ETag" in forged


def test_a_page_first_asked_for_with_a_forged_cookie_is_cached_for_everyone(client, catalogue):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    assert client.get("/en/timeline/").status_code == 200
    del client.cookies[settings.SESSION_COOKIE_NAME]

    assert client.get("/en/timeline/").context is None


@pytest.fixture
def redis_down(settings, tmp_path):
    """The public cache and the rate limits in a Redis server that does not answer: nothing listens there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "publishing.sharedcache.RedisCache",
            "LOCATION": f"unix://{tmp_path}/redis.sock",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.RATELIMIT_ENABLE = True


def test_the_redis_cache_makes_one_client_for_all_its_operations(redis_down):
    backend = caches["default"]._cache

    assert backend.get_client("a key") is backend.get_client("another", write=True)


def test_with_redis_down_every_page_is_rendered_afresh(client, catalogue, redis_down, caplog, settings):
    caplog.set_level(logging.WARNING)
    # However slow the machine, the requests below all come within one pause after the failure.
    settings.CACHE_RETRY_SECONDS = 300
    for page, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, page
        assert SHOWN[page] in response.content.decode(), page
        # And again, while the cache is left alone.
        assert client.get(url).status_code == 200, page

    failures = [record for record in caplog.records if "failed" in record.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelno == logging.WARNING
    assert failures[0].exc_info is None


def test_with_redis_down_a_page_is_rendered_again_after_a_while(client, catalogue, redis_down, caplog):
    caplog.set_level(logging.WARNING)
    with mock.patch("publishing.sharedcache.time.monotonic", return_value=1000.0):
        assert client.get("/en/events/").status_code == 200
        assert client.get("/en/events/").status_code == 200
    with mock.patch("publishing.sharedcache.time.monotonic", return_value=1010.0):
        assert client.get("/en/events/").status_code == 200

    assert len([record for record in caplog.records if "failed" in record.getMessage()]) == 2


def test_a_cache_that_refuses_writes_still_serves_what_it_holds(client, catalogue, caplog):
    """A full Redis (maxmemory with noeviction) refuses writes but answers reads."""
    caplog.set_level(logging.WARNING)
    client.get("/en/events/")
    backend = caches[settings.CATALOGUE_CACHE]

    def refuse(*args, **kwargs):
        raise OSError("OOM command not allowed when used memory > 'maxmemory'")

    with mock.patch.object(backend, "set", refuse), mock.patch.object(backend, "set_many", refuse):
        fresh = client.get("/en/instruments/")
        for _ in range(2):
            cached = client.get("/en/events/")
            assert cached.status_code == 200
            assert cached.context is None, "served from the cache, not rendered"

    assert fresh.status_code == 200
    assertContains(fresh, "Revised Arusha Declaration")
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == [
        "The cache 'default' refused a write (OSError: OOM command not allowed when used memory > 'maxmemory')."
    ]


@pytest.fixture
def render_limit(settings, time_machine):
    # The clock stands still, so that no window ends in the middle of a test.
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC), tick=False)
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {"pages": "2/m"}
    caches[settings.RATELIMIT_USE_CACHE].clear()


@pytest.mark.parametrize(
    "urls",
    [
        ["/en/events/?year=2019", "/en/events/?year=2020", "/en/events/?year=2021"],
        ["/en/timeline/", "/fr/timeline/", "/en/instruments/"],
        ["/en/events/calendar.ics", "/en/events/calendar.ics?year=2019", "/fr/events/calendar.ics?year=2020"],
    ],
)
def test_a_client_past_its_rate_of_rendered_pages_is_refused_with_retry_after(client, catalogue, render_limit, urls):
    assert [client.get(url).status_code for url in urls[:2]] == [200, 200]

    refused = client.get(urls[2])

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode() or "Trop de demandes" in refused.content.decode()
    assert client.get(urls[0]).status_code == 200, "a page served from the cache is not refused"
    assert client.get(urls[2], REMOTE_ADDR="203.0.113.9").status_code == 200, "another client is not limited"


def test_pages_served_from_the_cache_are_never_counted(client, catalogue, render_limit):
    for _ in range(5):
        assert client.get("/en/timeline/").status_code == 200
        assert client.get("/en/events/?year=2019").status_code == 200

    assert client.get("/en/events/?year=2020").status_code == 429, "the third page rendered"


def undeclared(request):
    return None


urlpatterns = [path("undeclared/", undeclared)]


def test_every_public_view_says_which_parameters_it_reads():
    assert check_query_parameters() == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_function_view_that_does_not_say_which_parameters_it_reads_is_named():
    warnings = check_query_parameters()

    assert [warning.id for warning in warnings] == ["publishing.W001"]
    assert warnings[0].level == checks.WARNING
    assert f"{__name__}.undeclared" in warnings[0].msg
