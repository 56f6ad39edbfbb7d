"""
Every kind of response carries the security headers: pages, errors, feeds, calendars,
downloads, the API, static files and the admin; the cookies are secure, HttpOnly where they
can be, and bound to this host.
"""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage

from tests.factories import make_event

CSP_DIRECTIVES = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def kinds_of_response():
    return {
        "page": ("/en/events/", 200),
        "detail": ("/en/events/irg-10/", 200),
        "bad filter": ("/en/events/?year=abc", 400),
        "not found": ("/en/events/no-such-event/", 404),
        "feed": ("/en/events/feed/", 200),
        "calendar": ("/en/events/calendar.ics", 200),
        "download": ("/en/events/export.csv", 200),
        "api": ("/api/events/", 200),
        "api error": ("/api/events/?year=abc", 400),
        "admin login": ("/admin/login/", 200),
        "sitemap": ("/sitemap.xml", 200),
        "health": ("/healthz", 200),
        "static": ("/static/" + staticfiles_storage.stored_name("css/site.css"), 200),
    }


KINDS = [
    *("page", "detail", "bad filter", "not found", "feed", "calendar", "download"),
    *("api", "api error", "admin login", "sitemap", "health", "static"),
]


# The static file's hashed name is read when the test runs: the files are collected then.
@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_response_carries_the_security_headers(client, settings, kind):
    settings.SITE_URL = "https://testserver"
    make_event(slug="irg-10")
    responses = kinds_of_response()
    assert set(responses) == set(KINDS)
    url, status = responses[kind]

    response = client.get(url, secure=True)

    assert response.status_code == status
    policy = response["Content-Security-Policy"]
    for directive in CSP_DIRECTIVES:
        assert directive in policy, (kind, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if kind != "static":  # WhiteNoise answers before the framing middleware; the policy forbids framing anyway.
        assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_the_pages_use_no_inline_script_or_style(client):
    make_event(slug="irg-10")
    for url in ("/en/", "/en/events/", "/en/events/irg-10/", "/en/timeline/", "/admin/login/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "javascript:" not in html, url


@pytest.mark.django_db
def test_the_cookies_are_secure_http_only_and_bound_to_this_host(client, django_user_model):
    django_user_model.objects.create_user("amina", password="a long enough passphrase", is_staff=True)
    login_page = client.get("/admin/login/", secure=True)
    csrf = login_page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    assert csrf["samesite"] == "Lax"

    logged_in = client.post(
        "/admin/login/", {"username": "amina", "password": "a long enough passphrase"}, secure=True
    )

    assert logged_in.status_code == 302
    session = logged_in.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_plain_http_gets_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/en/")


@pytest.mark.own_process
def test_the_production_configuration_passes_the_deployment_checks(tmp_path):
    """`check --deploy` finds nothing to warn about in a configuration made of environment variables alone."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "wcointegrity.settings",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
        "SITE_URL": "https://integrity.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_PROXY_SSL_HEADER": "true",
        "PROXY_COUNT": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
