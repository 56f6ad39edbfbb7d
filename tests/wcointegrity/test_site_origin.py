"""
Every absolute address the site writes names its one configured origin (SITE_URL), whatever
Host, port or proxy headers a request came with: a forged request cannot change what it, or
any visitor after it, is given from the public cache.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tests.factories import built_once, make_body, make_event, make_topic
from tests.pages.test_meta import Head
from wcointegrity.origin import parse_origin

pytestmark = pytest.mark.django_db

FORGED = {
    "HTTP_HOST": "forged.example:6666",
    "HTTP_X_FORWARDED_HOST": "forged.example:7777",
    "HTTP_X_FORWARDED_PORT": "7777",
    "HTTP_X_FORWARDED_PROTO": "https",
}


def build_catalogue():
    body = make_body("Integrity Sub-Committee", slug="isc")
    topic = make_topic("Risk management", slug="risk-management")
    for n in (1, 2):
        make_event(f"Session {n}", slug=f"session-{n}", bodies=[body], topics=[topic])


catalogue = built_once(build_catalogue)


@pytest.fixture
def trusting_site(settings, catalogue):
    """A site that reads every header a client could forge, and that serves forged.example as well."""
    settings.SITE_URL = "http://testserver"
    settings.ALLOWED_HOSTS = ["testserver", "forged.example"]
    settings.USE_X_FORWARDED_HOST = True
    settings.USE_X_FORWARDED_PORT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


class HeadWithAlternates(Head):
    """A page's head, with the addresses of its versions in each language (its hreflang links)."""

    def __init__(self, content):
        self.alternates = []
        super().__init__(content)

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if tag == "link" and "hreflang" in attrs:
            self.alternates.append(attrs["href"])


def page_addresses(response):
    head = HeadWithAlternates(response.content.decode())
    return [*head.canonicals, head.one("og:url"), *head.alternates]


def api_addresses(response):
    data = response.json()
    return [data["next"], *(link for event in data["results"] for link in (event["html_url"], event["api_url"]))]


def text_of(response):
    return response.content.decode()


EXPECTED = {
    "page": (
        "/en/topics/",
        page_addresses,
        ["http://testserver/en/topics/", "http://testserver/fr/topics/"],
    ),
    "robots.txt": ("/robots.txt", text_of, "Sitemap: http://testserver/sitemap.xml"),
    "sitemap": ("/sitemap.xml", text_of, "<loc>http://testserver/en/events/session-1/</loc>"),
    "feed": ("/en/events/feed/", text_of, 'href="http://testserver/en/events/session-1/"'),
    "body feed": ("/en/bodies/isc/feed/", text_of, 'href="http://testserver/en/bodies/isc/"'),
    "calendar": ("/en/events/calendar.ics", text_of, "URL:http://testserver/en/events/session-1/"),
    "API": (
        "/api/events/?page_size=1",
        api_addresses,
        ["http://testserver/api/events/?page=2&page_size=1", "http://testserver/en/events/"],
    ),
}


@pytest.mark.parametrize("kind", EXPECTED)
def test_a_forged_host_port_or_scheme_reaches_no_visitor(client, trusting_site, kind):
    path, read, expected = EXPECTED[kind]

    forged = client.get(path, **FORGED)
    ordinary = client.get(path)

    for response in (forged, ordinary):
        assert response.status_code == 200, kind
        text = text_of(response)
        assert "forged.example" not in text and "6666" not in text and "7777" not in text, kind
        assert "https://testserver" not in text, kind
        found = read(response)
        if isinstance(expected, str):
            assert expected in found, kind
        else:
            assert all(
                address.startswith(("http://testserver/en/", "http://testserver/fr/", "http://testserver/api/"))
                for address in found
            ), found
            assert len(found) > len(expected), found
            for address in expected:
                assert any(value.startswith(address) for value in found), (address, found)


def test_a_host_not_allowed_is_still_refused(client, trusting_site):
    assert client.get("/en/", HTTP_HOST="evil.example").status_code == 400


def test_the_redirect_to_https_still_reads_the_request_as_it_came(client, settings, catalogue):
    settings.SITE_URL = "https://testserver"
    settings.SECURE_SSL_REDIRECT = True

    plain = client.get("/en/topics/")
    secure = client.get("/en/topics/", secure=True)

    assert plain.status_code == 301 and plain["Location"] == "https://testserver/en/topics/"
    assert secure.status_code == 200
    assert 'rel="canonical" href="https://testserver/en/topics/"' in secure.content.decode()
    assert secure["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://integrity.example.org", "https://integrity.example.org"),
        ("https://Integrity.Example.org:443/", "https://integrity.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_site_url_is_read_as_one_origin(url, origin):
    assert str(parse_origin(url)) == origin


@pytest.mark.parametrize(
    "url",
    [
        "integrity.example.org",
        "ftp://integrity.example.org",
        "https://integrity.example.org/catalogue/",
        "https://editor@integrity.example.org",
        "https://integrity.example.org/?q=1",
        "https://integrity.example.org:99999",
        "https://integrity example.org",
        "https://",
    ],
)
def test_anything_but_an_origin_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="Set SITE_URL to the site's public address"):
        parse_origin(url)


def test_production_settings_require_site_url():
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import wcointegrity.settings"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "Set the SITE_URL environment variable" in result.stderr
