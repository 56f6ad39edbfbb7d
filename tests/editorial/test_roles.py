"""
The staff roles, as staff meet them in the admin: an editor curates, a publisher also
publishes, deletes, corrects the UNCAC and reads the audit log, an administrator does
everything, staff accounts included. Each can do exactly that, and nothing more.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains

from alerts.models import Subscription
from bodies.models import Body
from documents.models import Document
from editorial.models import AuditAction, AuditEntry
from editorial.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from events.models import Event, Series
from instruments.models import Instrument
from links.models import Link
from publishing.models import PublicationStatus
from sources.models import Source
from tests.admin_forms import admin_url, form_data, make_staff, open_and_save, run_action
from tests.factories import (
    built_once,
    make_article,
    make_body,
    make_event,
    make_instrument,
    make_series,
    make_source,
    make_topic,
)
from topics.models import Topic
from uncac.models import Article, Chapter

pytestmark = pytest.mark.django_db

User = get_user_model()


CURATED = [Event, Series, Instrument, Body, Topic, Source]
REFERENCE = [Chapter, Article]
ALL = {"add", "change", "delete", "view"}
CURATE = {"add", "change", "view"}

# What each role finds on the admin's front page: the models, with what it may do to each.
INDEX = {
    EDITOR: {
        **{model: CURATE for model in CURATED},
        **{model: {"view"} for model in REFERENCE},
        Document: {"change", "view"},
        Link: {"view"},
        Subscription: {"view"},
    },
    PUBLISHER: {
        **{model: ALL for model in CURATED + REFERENCE},
        AuditEntry: {"view"},
        Document: {"change", "view"},
        Link: {"change", "view"},
        Subscription: {"view"},
    },
}


def record_of(model):
    """A record of `model` that nothing links to, so that it may be deleted; events and instruments are drafts."""
    return {
        Event: lambda: make_event(publication_status=PublicationStatus.DRAFT),
        Series: make_series,
        Instrument: lambda: make_instrument(publication_status=PublicationStatus.DRAFT),
        Body: make_body,
        Topic: make_topic,
        Source: make_source,
        Chapter: lambda: Chapter.objects.create(number=3, title="Criminalization and law enforcement"),
        Article: make_article,
        User: lambda: User.objects.create_user("someone", password="a long enough password"),
        Group: lambda: Group.objects.create(name="Readers"),
    }[model]()


def logged_in(client, role):
    user = make_staff(role.lower(), role)
    client.force_login(user)
    return user


def expected_status(role, model, view):
    """What a page of the admin answers each role: 200 where the role may go, 403 elsewhere."""
    if role == ADMINISTRATOR:
        return 200
    if model in (User, Group):
        return 403
    if role == PUBLISHER:
        return 200
    if model in REFERENCE:
        return 200 if view in {"changelist", "change"} else 403  # an editor reads the UNCAC
    return 403 if view == "delete" else 200


def visit_as_each_role():
    """
    Each role's visit to the admin: what its front page offers, the status of every page of one
    record of each model and of the audit log, and what the event and instrument lists and add
    forms offer to publish.
    """
    caches["default"].clear()
    records = {model: record_of(model) for model in CURATED + REFERENCE + [User, Group]}
    audit_entry = AuditEntry.objects.create(action=AuditAction.LOGIN, username="amina")
    visits = {}
    for role in (EDITOR, PUBLISHER, ADMINISTRATOR):
        client = Client()
        logged_in(client, role)
        visit = {"statuses": {}, "publishing": {}}
        visit["front page"] = {
            entry["model"]: {perm for perm, allowed in entry["perms"].items() if allowed}
            for app in client.get("/admin/").context["app_list"]
            for entry in app["models"]
        }
        visit["audit log"] = (
            client.get(admin_url(AuditEntry, "changelist")).status_code,
            client.get(admin_url(AuditEntry, "change", audit_entry.pk)).status_code,
        )
        for model, record in records.items():
            pages = {
                "changelist": client.get(admin_url(model, "changelist")),
                "add": client.get(admin_url(model, "add")),
                "change": client.get(admin_url(model, "change", record.pk)),
                "delete": client.get(admin_url(model, "delete", record.pk)),
                "history": client.get(admin_url(model, "history", record.pk)),
            }
            visit["statuses"] |= {(model._meta.label, view): page.status_code for view, page in pages.items()}
            if model in (Event, Instrument):
                action_choices = pages["changelist"].context["action_form"].fields["action"].choices
                status_choices = pages["add"].context["adminform"].form.fields["publication_status"].choices
                visit["publishing"][model] = (
                    {name for name, _label in action_choices},
                    {value for value, _label in status_choices},
                )
        visits[role] = visit
    return visits


visits = built_once(visit_as_each_role, scope="class")


class TestEachRolesVisitOfTheAdmin:
    """Read-only visits, made once for the class: one record of each model, seen by each role."""

    @pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
    def test_the_admin_front_page_offers_each_role_exactly_its_models_and_actions(self, visits, role):
        assert visits[role]["front page"] == INDEX[role]

    def test_the_administrator_finds_every_model_of_the_admin(self, visits):
        offered = set(visits[ADMINISTRATOR]["front page"])

        assert offered == set(admin.site._registry)
        assert {User, Group, AuditEntry} <= offered

    @pytest.mark.parametrize("role", [EDITOR, PUBLISHER, ADMINISTRATOR])
    def test_each_role_opens_exactly_the_pages_it_should(self, visits, role):
        expected = {}
        for model in CURATED + REFERENCE + [User, Group]:
            label = model._meta.label
            expected |= {(label, view): expected_status(role, model, view) for view in ("changelist", "add", "delete")}
            expected[label, "change"] = expected[label, "history"] = expected_status(role, model, "change")

        assert visits[role]["statuses"] == expected

    @pytest.mark.parametrize(
        ("role", "status"),
        [(EDITOR, 403), (PUBLISHER, 200), (ADMINISTRATOR, 200)],
        ids=[EDITOR, PUBLISHER, ADMINISTRATOR],
    )
    def test_the_audit_log_is_for_publishers_and_administrators(self, visits, role, status):
        assert visits[role]["audit log"] == (status, status)

    @pytest.mark.parametrize(
        ("role", "can_publish"), [(EDITOR, False), (PUBLISHER, True), (ADMINISTRATOR, True)], ids=str
    )
    def test_only_publishers_and_administrators_are_offered_publishing(self, visits, role, can_publish):
        for model, (actions, statuses) in visits[role]["publishing"].items():
            assert ("publish" in actions, "unpublish" in actions) == (can_publish, can_publish), model
            assert "submit_for_review" in actions, model
            assert (PublicationStatus.PUBLISHED in statuses) == can_publish, model
        assert set(visits[role]["publishing"]) == {Event, Instrument}


def test_an_editor_reads_the_uncac_but_cannot_change_it(client):
    logged_in(client, EDITOR)
    article = make_article(12, title="Private sector")
    url = admin_url(Article, "change", article.pk)

    page = client.get(url)
    response = client.post(url, {"number": "12", "title": "Changed", "chapter": article.chapter_id, "_save": "Save"})

    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Private sector"


def test_a_publisher_corrects_the_uncac(client):
    logged_in(client, PUBLISHER)
    article = make_article(12, title="Private sectr")

    response = open_and_save(client, article, title_en="Private sector")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Private sector"


def test_an_editor_adds_and_changes_records(client):
    logged_in(client, EDITOR)
    body = make_body("Integrity Sub-Committee")

    added = client.post(
        admin_url(Event, "add"),
        form_data(
            client.get(admin_url(Event, "add")),
            title_en="25th session",
            slug="isc-25",
            start_date="2026-02-02",
            convening_bodies=str(body.pk),
        ),
    )
    event = Event.objects.get(slug="isc-25")
    changed = open_and_save(client, event, title_en="25th session of the ISC")
    topic = open_and_save(client, make_topic("Risk"), name_en="Risk management")

    assert (added.status_code, changed.status_code, topic.status_code) == (302, 302, 302)
    event.refresh_from_db()
    assert (event.title, event.publication_status) == ("25th session of the ISC", PublicationStatus.DRAFT)
    assert Topic.objects.filter(name="Risk management").exists()


def test_an_editor_cannot_delete_one_by_one_or_in_bulk(client):
    logged_in(client, EDITOR)

    for model in CURATED:
        record = record_of(model)

        one = client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
        bulk = run_action(client, model, "delete_selected", [record])
        confirmed = client.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
        )

        assert one.status_code == 403, model
        assert bulk.status_code in {200, 302} and confirmed.status_code in {200, 302}, model
        assert model._base_manager.filter(pk=record.pk).exists(), model
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_a_publisher_deletes_and_the_audit_log_says_who(client):
    logged_in(client, PUBLISHER)

    for deleted, model in enumerate(CURATED + REFERENCE, start=1):
        record = record_of(model)

        response = client.post(admin_url(model, "delete", record.pk), {"post": "yes"})

        assert response.status_code == 302, model
        assert not model._base_manager.filter(pk=record.pk).exists(), model
        assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == deleted, model
        assert AuditEntry.objects.about(record).get(action=AuditAction.DELETE).username == "publisher", model


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_editors_and_publishers_cannot_raise_their_own_rights(client, role):
    user = logged_in(client, role)
    url = admin_url(User, "change", user.pk)

    response = client.post(url, {"username": user.username, "is_staff": "on", "is_superuser": "on"})
    group = client.post(admin_url(Group, "change", Group.objects.get(name=role).pk), {"name": role})

    assert (response.status_code, group.status_code) == (403, 403)
    user.refresh_from_db()
    assert not user.is_superuser
    assert set(user.get_all_permissions()) == set(
        User.objects.get(pk=make_staff(f"other-{role}", role).pk).get_all_permissions()
    )


def test_an_administrator_gives_a_colleague_a_role(client):
    logged_in(client, ADMINISTRATOR)
    colleague = User.objects.create_user("amina", password="a long enough password", is_staff=True)
    publisher = Group.objects.get(name=PUBLISHER)

    response = open_and_save(client, colleague, groups=str(publisher.pk))

    assert response.status_code == 302
    assert list(colleague.groups.all()) == [publisher]
    assert colleague.has_perm("events.publish_event")


def test_setuproles_puts_a_role_back_to_exactly_its_permissions(client):
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.add(Permission.objects.get(codename="delete_user"))
    editor.permissions.remove(Permission.objects.get(codename="change_event"))
    user = logged_in(client, EDITOR)

    call_command("setuproles", verbosity=0)

    user = User.objects.get(pk=user.pk)
    assert user.has_perm("events.change_event")
    assert not user.has_perm("auth.delete_user")
    assertContains(client.get(admin_url(Event, "changelist")), "Add event")
