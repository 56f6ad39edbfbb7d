"""Staff sessions end after a while without activity, and after a working day whatever the activity."""

import datetime

import pytest
import time_machine
from django.conf import settings
from pytest_django.asserts import assertContains, assertRedirects

from editorial.models import AuditAction, AuditEntry
from editorial.roles import EDITOR
from tests.admin_forms import make_staff

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def at(minutes):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def editor_client(client):
    with at(0):
        client.force_login(make_staff("amina", EDITOR))
        assert client.get("/admin/").status_code == 200
    return client


def test_the_defaults_are_half_an_hour_idle_and_twelve_hours_in_all():
    assert (settings.STAFF_SESSION_IDLE_MINUTES, settings.STAFF_SESSION_MAX_HOURS) == (30, 12)


def test_activity_keeps_a_session_open(editor_client):
    for minutes in (29, 58, 87):
        with at(minutes):
            assert editor_client.get("/admin/").status_code == 200


def test_a_session_idle_for_longer_than_the_limit_is_logged_out(editor_client):
    with at(31):
        response = editor_client.get("/admin/events/event/")
        login_page = editor_client.get(response["Location"])

    assertRedirects(response, "/admin/login/?next=/admin/events/event/", fetch_redirect_response=False)
    assertContains(login_page, "Your session ended after 30 minutes without activity. Log in again.")
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, username="amina").exists()
    with at(32):
        assert editor_client.get("/admin/").status_code == 302


def test_a_session_ends_after_the_absolute_limit_however_active(editor_client, settings):
    # Active within the idle limit, made long here so that a few requests span the day.
    settings.STAFF_SESSION_IDLE_MINUTES = 5 * 60
    for minutes in range(4 * 60, 12 * 60, 4 * 60):
        with at(minutes):
            assert editor_client.get("/admin/").status_code == 200, minutes
    with at(12 * 60 + 1):
        response = editor_client.get("/admin/")
        login_page = editor_client.get(response["Location"])

    assertRedirects(response, "/admin/login/?next=/admin/", fetch_redirect_response=False)
    assertContains(login_page, "Your session ended: a session lasts at most 12 hours. Log in again.")


def test_the_limits_come_from_the_settings(editor_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5

    with at(4):
        assert editor_client.get("/admin/").status_code == 200
    with at(10):
        assert editor_client.get("/admin/").status_code == 302


def test_a_new_login_starts_the_session_afresh(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5 * 60
    make_staff("amina", EDITOR)
    with at(0):
        client.post("/admin/login/", {"username": "amina", "password": "a long enough password"})
    with at(5):
        assert client.get("/admin/").status_code == 200
    with at(20):
        client.post("/admin/login/", {"username": "amina", "password": "a long enough password"})
    for minutes in [45, 5 * 60, 9 * 60, 12 * 60 + 10]:
        with at(minutes):
            assert client.get("/admin/").status_code == 200, minutes


def test_an_ended_session_on_a_public_page_is_served_as_to_anyone(editor_client):
    with at(31):
        response = editor_client.get("/en/events/")

    assert response.status_code == 200
    with at(32):
        assert editor_client.get("/admin/").status_code == 302
