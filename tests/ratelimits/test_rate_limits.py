"""
Searches, downloads, calendars, feeds and the API are refused with a 429 and Retry-After
past their rate, per client address; the other pages and the admin never are.
"""

import datetime

import pytest
from django.core.cache import caches

from tests.factories import make_event

pytestmark = pytest.mark.django_db

LIMITED = {
    "search page": "/en/search/?q=risk",
    "search in a list": "/en/events/?q=risk",
    "search in the other list": "/fr/instruments/?q=guide",
    "export": "/en/events/export.csv",
    "other export": "/en/instruments/export.json?q=guide",
    "calendar": "/en/events/calendar.ics",
    "feed": "/en/events/feed/",
    "feed of a topic": "/fr/topics/no-such-topic/feed/",
    "api": "/api/events/",
    "api record": "/api/events/no-such-event/",
}


@pytest.fixture(autouse=True)
def low_rates(settings, time_machine):
    # The clock stands still, so that no window ends in the middle of a test.
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC), tick=False)
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {group: "2/m" for group in ("search", "exports", "calendars", "feeds", "api")}
    caches[settings.RATELIMIT_USE_CACHE].clear()


def status_codes(client, url, times, **extra):
    return [client.get(url, **extra).status_code for _ in range(times)]


def retry_after(response):
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    return seconds


@pytest.mark.parametrize("url", LIMITED.values(), ids=LIMITED.keys())
def test_past_its_rate_a_request_is_refused_until_the_window_ends(client, url):
    answers = [client.get(url) for _ in range(3)]

    assert 429 not in [response.status_code for response in answers[:2]]
    retry_after(answers[2])
    assert "no-cache" in answers[2]["Cache-Control"]


def test_the_page_says_why_and_when_to_come_back(client):
    status_codes(client, "/en/search/?q=risk", 2)

    response = client.get("/en/search/?q=risk")

    seconds = retry_after(response)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Too many requests</h1>" in response.content.decode()
    second_or_seconds = "second" if seconds == 1 else "seconds"
    assert f"Please try again in {seconds} {second_or_seconds}." in response.content.decode()


def test_the_api_answers_in_json(client):
    status_codes(client, "/api/events/", 2)

    response = client.get("/api/events/?lang=fr")

    seconds = retry_after(response)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == "fr"
    assert response.json() == {"detail": response.json()["detail"]}
    assert response.json()["detail"].startswith("Trop de demandes : veuillez réessayer dans")
    assert str(seconds) in response.json()["detail"]


def test_a_search_through_the_api_counts_as_a_search_too(client, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "api": "100/m"}
    assert status_codes(client, "/en/events/?q=risk", 2) == [200, 200]

    assert client.get("/api/events/?q=risk").status_code == 429
    assert client.get("/api/events/").status_code == 200


def test_each_group_has_its_own_count(client):
    status_codes(client, "/en/events/feed/", 3)

    assert client.get("/en/events/feed/").status_code == 429
    assert client.get("/en/events/calendar.ics").status_code == 200
    assert client.get("/en/events/export.csv").status_code == 200
    assert client.get("/en/events/?q=risk").status_code == 200


def test_another_address_behind_the_proxies_is_not_limited(client, settings):
    settings.PROXY_COUNT = 1
    status_codes(client, "/en/events/feed/", 2, headers={"X-Forwarded-For": "198.51.100.7"})

    assert client.get("/en/events/feed/", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429
    # What the client wrote before the proxy's own entry does not make it someone else.
    assert client.get("/en/events/feed/", headers={"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}).status_code == 429
    assert client.get("/en/events/feed/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200


def test_ipv6_addresses_count_by_their_64_bit_network(client):
    status_codes(client, "/en/events/feed/", 2, REMOTE_ADDR="2001:db8::1")

    assert client.get("/en/events/feed/", REMOTE_ADDR="2001:db8::2").status_code == 429
    assert client.get("/en/events/feed/", REMOTE_ADDR="2001:db8:0:1::1").status_code == 200


NEVER_LIMITED = [
    "/en/",
    "/en/events/",
    "/en/events/?q=",
    "/en/events/?q=%20%20",
    "/en/events/?year=2019",
    "/en/events/irg-10/",
    "/fr/events/irg-10/",
    "/en/bodies/",
    "/en/timeline/",
    "/sitemap.xml",
    "/healthz",
]


def test_the_other_pages_are_never_limited(client, settings):
    make_event(slug="irg-10", start="2019-06-03")

    for url in NEVER_LIMITED:
        caches[settings.RATELIMIT_USE_CACHE].clear()  # each page counted from nothing, as if alone
        assert 429 not in status_codes(client, url, 5), url


def test_the_limit_lifts_when_the_window_ends(client, time_machine):
    status_codes(client, "/en/events/export.csv", 2)
    seconds = retry_after(client.get("/en/events/export.csv"))

    time_machine.shift(seconds - 1)
    assert retry_after(client.get("/en/events/export.csv")) == 1

    time_machine.shift(1)
    assert status_codes(client, "/en/events/export.csv", 2) == [200, 200]
    assert client.get("/en/events/export.csv").status_code == 429


def test_staff_in_the_admin_are_never_limited(admin_client):
    make_event(slug="irg-10")
    for url in ("/admin/", "/admin/events/event/?q=irg", "/admin/events/event/", "/admin/instruments/instrument/"):
        assert 429 not in status_codes(admin_client, url, 5), url


def test_the_limits_can_be_turned_off(client, settings):
    settings.RATELIMIT_ENABLE = False

    assert 429 not in status_codes(client, "/en/events/feed/", 5)


def test_a_group_without_a_rate_is_not_limited(client, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "feeds": ""}

    assert 429 not in status_codes(client, "/en/events/feed/", 5)
    assert 429 in status_codes(client, "/en/events/calendar.ics", 5)
