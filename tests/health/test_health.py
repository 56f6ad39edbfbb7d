"""The probes of whoever runs the site: /healthz (the process answers) and /readyz (it can serve pages)."""

import pytest
from django.db import OperationalError

from health import views as health

pytestmark = pytest.mark.django_db


def test_liveness_answers_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_is_a_503_naming_the_part_that_fails_and_no_more(client, monkeypatch, caplog):
    def no_database():
        raise OperationalError("connection to server at 10.0.0.5 failed: password authentication failed")

    monkeypatch.setattr(health.connection, "cursor", no_database)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "10.0.0.5" not in response.content.decode()
    assert "the database does not answer" in caplog.text


def test_readiness_stays_ready_but_degraded_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(health.cache, "set", broken)

    response = client.get("/readyz")

    # Pages are rendered afresh meanwhile: the server stays in rotation.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_probes_take_only_get_and_head(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
