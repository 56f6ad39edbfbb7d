"""
Two-factor authentication: required of administrators and superusers on every path into the
admin, set up by the commands that make them, and reset from the server when a device is lost.
"""

import io
import logging

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects

from editorial.models import AuditAction, AuditEntry
from editorial.roles import ADMINISTRATOR, EDITOR, grant
from tests.admin_forms import PASSWORD, admin_url, form_data, make_staff
from tests.factories import make_event

pytestmark = pytest.mark.django_db

User = get_user_model()
LOGIN = "/admin/login/"


def log_in(client, username, **fields):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **fields})


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def make_superuser(username="root"):
    return User.objects.create_superuser(username, password=PASSWORD)


def make_administrator(username="ada"):
    return make_staff(username, ADMINISTRATOR)


def admin_pages():
    """Every page of the admin that an administrator opens: the index, each list, and the account pages."""
    return [
        "/admin/",
        "/admin/password_change/",
        "/admin/autocomplete/?app_label=events&model_name=event&field_name=series",
        *(admin_url(model, "changelist") for model in admin.site._registry),
        admin_url(TOTPDevice, "add"),
    ]


@pytest.mark.parametrize("make_user", [make_administrator, make_superuser], ids=["administrator", "superuser"])
def test_a_password_alone_no_longer_lets_an_administrator_in(client, make_user):
    user = make_user()

    response = log_in(client, user.username)

    assertContains(response, "must use two-factor authentication, and no device is set up")
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("make_user", [make_administrator, make_superuser], ids=["administrator", "superuser"])
def test_an_administrator_with_a_device_is_asked_for_its_code_and_let_in_with_it(client, make_user):
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    asked = log_in(client, user.username)
    assert client.get("/admin/").status_code == 302
    let_in = log_in(client, user.username, otp_token=code_for(device))

    assertContains(asked, "Enter the code that your authenticator app shows.")
    assertRedirects(let_in, "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


def promote_to_administrator(user):
    grant(user, ADMINISTRATOR)


def promote_to_superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])


@pytest.mark.parametrize(
    "promote", [promote_to_administrator, promote_to_superuser], ids=["administrator", "superuser"]
)
def test_a_session_without_the_second_factor_reaches_no_admin_page_once_its_user_is_an_administrator(client, promote):
    user = make_staff("amina", EDITOR)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    event = make_event()

    promote(user)

    refused = {url: client.get(url).status_code for url in admin_pages()}
    assert refused == dict.fromkeys(refused, 302)
    assert client.get(admin_url(event, "change", event.pk)).status_code == 302
    assert client.get(f"/en/events/{event.slug}/preview/").status_code == 404
    assertContains(client.get("/admin/login/?next=/admin/"), "You are authenticated as amina")


def test_whoever_may_change_accounts_counts_as_an_administrator(client):
    user = make_staff("amina", EDITOR)
    user.user_permissions.add(Permission.objects.get(codename="change_user"))

    response = log_in(client, "amina")

    assertContains(response, "must use two-factor authentication, and no device is set up")


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_grantrole_administrator_sets_up_a_device_and_prints_its_address_once(client, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)

    first = run("grantrole", "ada", "administrator", "--create")
    again = run("grantrole", "ada", "administrator")

    device = TOTPDevice.objects.get(user__username="ada")
    assert device.confirmed
    assert device.config_url in first
    assert first.count("otpauth://") == 1
    assert "otpauth://" not in again
    assertRedirects(log_in(client, "ada", otp_token=code_for(device)), "/admin/", fetch_redirect_response=False)


def test_grantrole_gives_an_editor_no_device(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)

    out = run("grantrole", "amina", "editor", "--create")

    assert "otpauth://" not in out
    assert not TOTPDevice.objects.exists()


def test_createsuperuser_sets_up_a_device_and_prints_its_address(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    out = run("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")

    device = TOTPDevice.objects.get(user__username="root")
    assert device.confirmed
    assert device.config_url in out
    assertRedirects(log_in(client, "root", otp_token=code_for(device)), "/admin/", fetch_redirect_response=False)


def test_resettwofactor_replaces_a_lost_device_and_says_so_in_the_audit_log(client, caplog):
    user = make_administrator()
    lost = TOTPDevice.objects.create(user=user, name="lost phone", confirmed=True)

    with caplog.at_level(logging.INFO, logger="wcointegrity.audit"):
        out = run("resettwofactor", "ada")

    device = TOTPDevice.objects.get(user=user)
    assert device.pk != lost.pk
    assert device.config_url in out
    assertRedirects(log_in(client, "ada", otp_token=code_for(device)), "/admin/", fetch_redirect_response=False)
    client.post("/admin/logout/")
    if code_for(lost) != code_for(device):
        assertContains(log_in(client, "ada", otp_token=code_for(lost)), "That two-factor code is not right")
    entry = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert (entry.object_id, entry.object_repr) == (str(user.pk), "ada")
    assert "twofactor_reset" in caplog.text


def test_resettwofactor_names_an_unknown_user():
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        run("resettwofactor", "nobody")


def test_an_administrator_adds_a_device_for_a_colleague(client):
    client.force_login(make_administrator())
    colleague = make_staff("amina", EDITOR)
    url = admin_url(TOTPDevice, "add")

    response = client.post(url, form_data(client.get(url), user=str(colleague.pk), name="phone", confirmed="on"))

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=colleague, confirmed=True).exists()
