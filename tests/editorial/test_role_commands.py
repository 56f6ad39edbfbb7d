"""The commands that set up the staff roles and give them to people."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from editorial.roles import ADMINISTRATOR, EDITOR, PUBLISHER, TWO_FACTOR_REQUIRED

pytestmark = pytest.mark.django_db


def test_migrate_created_the_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, PUBLISHER, ADMINISTRATOR, TWO_FACTOR_REQUIRED}


def test_setuproles_is_idempotent_and_repairs_a_role(capsys):
    Group.objects.get(name=EDITOR).permissions.clear()

    call_command("setuproles")
    call_command("setuproles")

    assert Group.objects.filter(name=EDITOR).count() == 1
    assert Group.objects.get(name=EDITOR).permissions.filter(codename="change_event").exists()
    assert "Editor: up to date" in capsys.readouterr().out


def test_grantrole_creates_a_staff_member_with_one_role(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long enough passphrase")

    call_command("grantrole", "amina", "editor", "--create")
    call_command("grantrole", "amina", "publisher")

    user = get_user_model().objects.get(username="amina")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [PUBLISHER]
    assert user.check_password("a long enough passphrase")


def test_grantrole_refuses_a_weak_password_and_an_unknown_user(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "short")

    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("grantrole", "amina", "editor", "--create")
    with pytest.raises(CommandError, match="There is no user 'amina'"):
        call_command("grantrole", "amina", "editor")
    assert not get_user_model().objects.exists()
