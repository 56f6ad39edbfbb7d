"""
A database that cannot be reached: a quick 503 with Retry-After and a page saying so, never a
500 or a hang; an admin edit sent meanwhile is not saved, and saves when sent again.
"""

import json
import logging
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.admin_forms import admin_url, form_data
from tests.factories import make_topic
from topics.models import Topic
from wcointegrity.settings import database_config

BRIEFLY_UNAVAILABLE = "<h1>The catalogue is briefly unavailable</h1>"
HEADINGS = {"en": BRIEFLY_UNAVAILABLE, "fr": "<h1>Le catalogue est momentanément indisponible</h1>"}
NOT_SAVED = "Your changes have not been saved."


def no_database(*args, **kwargs):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


@pytest.fixture
def outage(monkeypatch):
    """From here on, every query fails as it does when the database server is down."""
    monkeypatch.setattr(connection, "cursor", no_database)


@pytest.fixture
def visitor():
    """A client that gets the response a browser would, even when Django caught an exception on the way."""
    return Client(raise_request_exception=False)


def warnings_and_errors(caplog):
    return [(record.name, record.levelname) for record in caplog.records if record.levelno >= logging.WARNING]


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "language"), [("/en/", "en"), ("/en/events/", "en"), ("/fr/instruments/", "fr")])
def test_public_pages_are_a_503_saying_the_catalogue_is_briefly_unavailable(visitor, outage, caplog, path, language):
    response = visitor.get(path)

    assert_unavailable(response)
    assertContains(response, HEADINGS[language], status_code=503, html=True)
    assertContains(response, f'<html lang="{language}">', status_code=503)
    assertNotContains(response, NOT_SAVED, status_code=503)
    assert warnings_and_errors(caplog) == [("wcointegrity.outage", "WARNING")]


@pytest.mark.django_db
def test_the_admin_is_a_503_too(visitor, admin_user, monkeypatch, caplog):
    visitor.force_login(admin_user)
    monkeypatch.setattr(connection, "cursor", no_database)
    caplog.clear()

    response = visitor.get(admin_url(Topic, "changelist"))

    assert_unavailable(response)
    assertContains(response, BRIEFLY_UNAVAILABLE, status_code=503, html=True)
    assert warnings_and_errors(caplog) == [("wcointegrity.outage", "WARNING")]


@pytest.mark.django_db
def test_the_api_is_a_503_in_json(visitor, outage):
    response = visitor.get("/api/events/")

    assert_unavailable(response)
    assert response.json() == {"detail": "The catalogue is briefly unavailable"}


@pytest.mark.django_db
def test_the_process_is_alive_but_not_ready(client, outage):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_an_admin_save_during_an_outage_is_not_saved_says_so_and_saves_when_sent_again(
    client, admin_user, monkeypatch, caplog
):
    topic = make_topic("Risk management")
    client.force_login(admin_user)
    url = admin_url(topic, "change", topic.pk)
    data = form_data(client.get(url), name_en="Risk management in Customs")

    monkeypatch.setattr(Topic, "save", no_database)
    caplog.clear()
    response = client.post(url, data)

    assert_unavailable(response)
    assertContains(response, f"<strong>{NOT_SAVED}</strong>", status_code=503, html=True)
    assertContains(response, "go back to it in a few moments and save again", status_code=503)
    assert warnings_and_errors(caplog) == [("wcointegrity.outage", "WARNING")]
    topic.refresh_from_db()
    assert topic.name == "Risk management"

    monkeypatch.undo()
    response = client.post(url, data)

    assertRedirects(response, admin_url(Topic, "changelist"))
    topic.refresh_from_db()
    assert topic.name == "Risk management in Customs"


def test_postgresql_connections_fail_fast_and_are_pooled_when_asked(monkeypatch):
    url = "postgres://catalogue@db.example.org/catalogue"
    monkeypatch.setenv("CONN_MAX_AGE", "600")
    monkeypatch.delenv("DATABASE_POOL", raising=False)

    unpooled = database_config(url)
    monkeypatch.setenv("DATABASE_POOL", "true")
    monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", "8")
    pooled = database_config(url)
    embedded = database_config("sqlite:///catalogue.sqlite3")

    assert unpooled["OPTIONS"] == {"connect_timeout": 5}
    assert unpooled["CONN_MAX_AGE"] == 600
    assert pooled["OPTIONS"] == {"connect_timeout": 5, "pool": {"min_size": 1, "max_size": 8, "timeout": 5.0}}
    assert pooled["CONN_MAX_AGE"] == 0
    assert unpooled["CONN_HEALTH_CHECKS"] and pooled["CONN_HEALTH_CHECKS"]
    assert "pool" not in embedded.get("OPTIONS", {})


# Serves `paths` in a process of its own, its settings read from the environment, and prints
# what it answered, and whether through a pool, to standard error (the log is on standard output).
SERVE = """
import json, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
client = Client(raise_request_exception=False)
answers = []
for path in sys.argv[1:]:
    started = time.monotonic()
    response = client.get(path)
    answers.append({
        "path": path,
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "seconds": time.monotonic() - started,
    })
pooled = getattr(connection, "pool", None) is not None
print(json.dumps({"answers": answers, "pooled": pooled}), file=sys.stderr)
"""


def serve(database_url, *paths, **environment):
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "LOG_"))}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "wcointegrity.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVE, *paths],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    log = [json.loads(line) for line in result.stdout.splitlines()]
    served = json.loads(result.stderr.splitlines()[-1])
    return {answer["path"]: answer for answer in served["answers"]}, served["pooled"], log


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is psycopg's, for PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_pages_are_served_through_the_connection_pool():
    # The server of DATABASE_URL, and the test database on it.
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}").geturl()

    answers, pooled, log = serve(url, "/readyz", "/en/", "/en/events/", "/admin/login/", DATABASE_POOL="true")

    assert {path: answer["status"] for path, answer in answers.items()} == {
        "/readyz": 200,
        "/en/": 200,
        "/en/events/": 200,
        "/admin/login/": 200,
    }
    assert pooled
    assert not [line for line in log if line["level"] in {"WARNING", "ERROR", "CRITICAL"}]


@pytest.mark.own_process
def test_a_database_server_that_is_down_gives_a_503_within_the_pool_timeout():
    answers, pooled, log = serve(
        # Nothing listens on port 1: every connection is refused, and the pool waits for one in vain.
        "postgres://catalogue@127.0.0.1:1/catalogue",
        "/en/events/",
        "/healthz",
        DATABASE_POOL="true",
        DATABASE_POOL_TIMEOUT="1",
    )

    events, healthz = answers["/en/events/"], answers["/healthz"]
    assert (events["status"], events["retry_after"]) == (503, "10")
    assert events["seconds"] < 10
    assert healthz["status"] == 200
    assert pooled
    warnings = [line["logger"] for line in log if line["request_id"] and line["level"] != "INFO"]
    assert warnings == ["wcointegrity.outage"]
