import datetime

import pytest
from django.core.management import call_command
from django.tasks import task
from django_tasks_db.models import DBTaskResult

import periodic
from periodic.scheduling import enqueue_due

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@task()
def tidy():
    return None


@pytest.fixture
def hourly(monkeypatch):
    monkeypatch.setattr(periodic, "_registry", {})
    return periodic.every(HOUR)(tidy)


def queued():
    return list(DBTaskResult.objects.values_list("task_path", flat=True))


def test_a_task_is_enqueued_once_an_interval_however_often_it_is_asked(hourly):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    assert enqueue_due(start) == periodic.registered()
    assert enqueue_due(start) == []
    assert enqueue_due(start + HOUR / 2) == []
    assert queued() == [tidy.module_path]
    assert [entry.name for entry in enqueue_due(start + HOUR)] == [tidy.module_path]
    assert queued() == [tidy.module_path] * 2


def test_the_command_says_what_it_enqueued(hourly, capsys):
    call_command("runperiodic")
    call_command("runperiodic")
    assert capsys.readouterr().out == f"Enqueued {tidy.module_path}\n"
    assert len(queued()) == 1


def test_the_site_s_periodic_tasks_register_themselves_from_their_apps_tasks_modules():
    assert {entry.name for entry in periodic.registered()} >= {"alerts.tasks.send_digests", "links.tasks.check_links"}
