"""
Who a client is, for the rate limits and the login lockouts: its IPv4 address, an IPv4 address
written as IPv6 being the same client, or its IPv6 network's first 64 bits; and a warning when
every client looks the same because the site is behind a proxy it was not told of.
"""

import datetime
import logging

import pytest
from django.core.cache import caches
from django.core.checks import Tags, run_checks
from django.test import RequestFactory

from ratelimits import clients as clientip

FEED = "/en/events/feed/"


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("::FFFF:cb00:7105", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:DB8:1:2::9", "2001:db8:1:2::"),
        ("fe80::1%eth0", "fe80::"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_each_client_has_one_bucket(address, bucket):
    assert clientip.client_bucket(RequestFactory().get("/", REMOTE_ADDR=address)) == bucket


@pytest.fixture
def low_rates(settings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC), tick=False)
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {"feeds": "2/m"}
    caches[settings.RATELIMIT_USE_CACHE].clear()


@pytest.mark.django_db
def test_ipv4_addresses_written_as_ipv6_are_counted_as_those_ipv4_addresses(client, low_rates):
    for _ in range(2):
        client.get(FEED, REMOTE_ADDR="::ffff:203.0.113.5")

    assert client.get(FEED, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert client.get(FEED, REMOTE_ADDR="::ffff:203.0.113.6").status_code == 200


@pytest.fixture
def warned_afresh(monkeypatch):
    monkeypatch.setattr(clientip, "warned_of_unknown_proxy", False)


def warnings_about_proxies(caplog):
    return [record for record in caplog.records if "PROXY_COUNT" in record.getMessage()]


@pytest.mark.django_db
@pytest.mark.parametrize("proxy_address", ["127.0.0.1", "::1", ""], ids=["IPv4", "IPv6", "Unix socket"])
def test_a_proxy_on_this_machine_that_the_site_was_not_told_of_is_warned_about_once(
    client, low_rates, warned_afresh, caplog, settings, proxy_address
):
    settings.PROXY_COUNT = 0
    caplog.set_level(logging.WARNING)

    client.get("/healthz", REMOTE_ADDR=proxy_address, headers={"X-Forwarded-For": "198.51.100.7"})
    assert len(warnings_about_proxies(caplog)) == 1
    client.get(FEED, REMOTE_ADDR=proxy_address, headers={"X-Forwarded-For": "198.51.100.8"})
    client.post(
        "/admin/login/",
        {"username": "x", "password": "y"},
        REMOTE_ADDR=proxy_address,
        headers={"X-Forwarded-For": "198.51.100.9"},
    )

    [warning] = warnings_about_proxies(caplog)
    assert warning.levelname == "WARNING"
    assert "198.51.100" not in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxy_count", "remote_address", "forwarded"),
    [
        (1, "127.0.0.1", "198.51.100.7"),  # a proxy the site knows of
        (0, "127.0.0.1", None),  # no proxy: a client on this machine
        (0, "192.0.2.10", "198.51.100.7"),  # a client elsewhere writing the header itself
    ],
)
def test_no_warning_without_an_unknown_proxy(
    client, low_rates, warned_afresh, caplog, settings, proxy_count, remote_address, forwarded
):
    settings.PROXY_COUNT = proxy_count
    caplog.set_level(logging.WARNING)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}

    client.get(FEED, REMOTE_ADDR=remote_address, headers=headers)

    assert warnings_about_proxies(caplog) == []


def proxy_check_messages():
    # The security checks only: the models' checks ask the database about its features.
    checks = run_checks(tags=[Tags.security])
    return [message for message in checks if message.id in {"ratelimits.E001", "ratelimits.W001"}]


def test_the_checks_warn_of_a_proxy_for_https_with_no_proxy_for_addresses(settings):
    settings.PROXY_COUNT = 0
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    [message] = proxy_check_messages()

    assert message.id == "ratelimits.W001"
    assert "PROXY_COUNT" in message.msg


def test_the_checks_say_nothing_when_the_proxies_are_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_COUNT = 1

    assert proxy_check_messages() == []


def test_the_checks_refuse_a_negative_proxy_count(settings):
    settings.PROXY_COUNT = -1

    [message] = proxy_check_messages()

    assert message.id == "ratelimits.E001"


def test_the_warning_comes_from_asgi_requests_too(warned_afresh, caplog, settings):
    settings.PROXY_COUNT = 0
    caplog.set_level(logging.WARNING)
    scope = {"type": "http", "client": ["::1", 50000], "headers": [(b"x-forwarded-for", b"198.51.100.7")]}

    clientip.warn_of_unknown_proxy(sender=None, scope=scope)

    assert len(warnings_about_proxies(caplog)) == 1
