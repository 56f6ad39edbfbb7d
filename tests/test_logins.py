"""Staff logins: strong passwords, lockout after repeated failures, safe redirects, sessions, two factors, audit."""

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects

from editorial.models import AuditAction, AuditEntry
from editorial.roles import EDITOR, TWO_FACTOR_REQUIRED, grant

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    user = get_user_model().objects.create_user("amina", password=PASSWORD)
    grant(user, EDITOR)
    return user


def log_in(client, username="amina", password=PASSWORD, address="192.0.2.10", **fields):
    return client.post(LOGIN, {"username": username, "password": password, **fields}, REMOTE_ADDR=address)


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")  # 11
    validate_password("Tr0ub4dor&3x")


def test_a_staff_member_logs_in_and_reaches_the_admin(client, editor):
    response = log_in(client)

    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, editor):
    response = log_in(client, password="not the password")

    assert response.status_code == 200
    assertContains(response, "Please enter the correct username and password")


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="not the password")

    response = log_in(client)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assertContains(response, "Too many failed logins", status_code=429)
    assertContains(response, "Try again in 15 minutes", status_code=429)
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_repeated_failures_from_one_address_lock_that_address_out(client, editor, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username=f"guess-{attempt}", password="not the password", address="198.51.100.7")

    assert log_in(client, address="198.51.100.7").status_code == 429
    assertRedirects(log_in(client, address="198.51.100.8"), "/admin/", fetch_redirect_response=False)


def test_a_lockout_ends_after_the_cooloff(client, editor, settings):
    with time_machine.travel("2026-01-05 09:00 +0000", tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, password="not the password")
        assert log_in(client).status_code == 429
    with time_machine.travel("2026-01-05 09:16 +0000", tick=False):
        assertRedirects(log_in(client), "/admin/", fetch_redirect_response=False)


def test_the_next_parameter_never_leads_off_site(client, editor):
    response = log_in(client, next="https://example.org/")

    assertRedirects(response, "/admin/", fetch_redirect_response=False)


def test_the_next_parameter_leads_back_within_the_admin(client, editor):
    response = log_in(client, next="/admin/events/event/")

    assertRedirects(response, "/admin/events/event/", fetch_redirect_response=False)


def test_the_session_changes_at_login_and_ends_at_logout(client, editor):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key

    log_in(client)
    during = client.session.session_key
    client.post("/admin/logout/")

    assert during != before
    assert client.get("/admin/").status_code == 302
    client.cookies[settings.SESSION_COOKIE_NAME] = during  # The old session, replayed after logout.
    assert client.get("/admin/").status_code == 302


def test_a_non_staff_user_cannot_log_in_to_the_admin(client):
    get_user_model().objects.create_user("visitor", password=PASSWORD)

    response = log_in(client, username="visitor")

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


def test_with_a_device_the_code_is_needed(client, device):
    response = log_in(client)

    assertContains(response, "Enter the code that your authenticator app shows.")
    assert client.get("/admin/").status_code == 302


def test_with_a_device_a_wrong_code_is_refused(client, device):
    response = log_in(client, otp_token="000000" if code_for(device) != "000000" else "111111")

    assertContains(response, "That two-factor code is not right or has expired.")
    assert client.get("/admin/").status_code == 302


def test_with_a_device_the_right_code_logs_in(client, device):
    response = log_in(client, otp_token=code_for(device))

    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


def test_an_administrator_can_require_two_factors_of_a_user(client, editor):
    editor.groups.add(Group.objects.get(name=TWO_FACTOR_REQUIRED))

    response = log_in(client)

    assertContains(response, "must use two-factor authentication, and no device is set up")
    assert client.get("/admin/").status_code == 302


def test_two_factors_can_be_required_of_all_staff(client, editor, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True

    response = log_in(client)

    assertContains(response, "must use two-factor authentication")


def test_a_session_without_the_second_factor_loses_the_admin_once_a_device_exists(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)

    assert client.get("/admin/").status_code == 302


def test_logins_failures_and_logouts_are_in_the_audit_log(client, editor, settings):
    log_in(client, password="not the password")
    log_in(client)
    client.post("/admin/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username="mallory", password="guess")

    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "username"))

    assert entries[:3] == [
        (AuditAction.LOGIN_FAILED, "amina"),
        (AuditAction.LOGIN, "amina"),
        (AuditAction.LOGOUT, "amina"),
    ]
    assert (AuditAction.LOCKED_OUT, "mallory") in entries
    assert all(entry.at.utcoffset().total_seconds() == 0 for entry in AuditEntry.objects.all())
