"""
Revision history: every save through the admin is kept with its author, the history page
shows what each one changed, and an earlier version can be restored (as a new save, never
touching the publication state) by those who may change the record.
"""

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from reversion.models import Version

from bodies.models import Body
from editorial.models import AuditAction, AuditEntry
from events.models import Event, Role
from instruments.models import Instrument
from publishing.models import PublicationStatus
from tests.admin_forms import PASSWORD, admin_url, open_and_save, open_and_save_form, reloaded, run_action, save_again
from tests.factories import make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db


def versions(record):
    return list(Version.objects.get_for_object(record).select_related("revision__user"))


def kept_as_it_is(record, username):
    """
    The record as it is now, kept as its first version by `username`, with the fields and related
    records that a save through the admin keeps.
    """
    with reversion.create_revision():
        reversion.set_user(get_user_model().objects.get(username=username))
        reversion.add_to_revision(record)
    return versions(record)[0]


def history_rows(client, record):
    return client.get(admin_url(record, "history", record.pk)).context["versions"]


@pytest.fixture
def event():
    """A draft event with a participant, a topic and texts in both languages."""
    return make_event(
        "9th meeting of the working group",
        title_fr="9e réunion du groupe de travail",
        slug="wg-9",
        publication_status=PublicationStatus.DRAFT,
        bodies=[make_body("UNODC")],
        participants=[(make_body("INTERPOL"), Role.PRESENTER)],
        topics=[make_topic("Risk management")],
    )


def test_each_save_through_the_admin_is_a_version_that_the_history_page_shows_field_by_field(editor, publisher, event):
    """
    Each version keeps its author and values; the page shows each text once per language, and
    each time as people read it.
    """
    interpol = event.participations.get().body
    wco = make_body("WCO Secretariat")
    _response, data = open_and_save_form(editor, event)
    save_again(
        editor,
        event,
        data,
        title_en="9th meeting of the Working Group",
        title_fr="9e réunion du Groupe",
        **{"participations-0-body": str(wco.pk), "participations-0-role": Role.CHAIR},
    )
    open_and_save(publisher, event, publication_status=PublicationStatus.PUBLISHED)
    event.refresh_from_db()
    saved = versions(event)

    page = publisher.get(admin_url(event, "history", event.pk))
    rows = page.context["versions"]

    assert [version.revision.user.username for version in saved] == ["bruno", "amina", "amina"]
    assert saved[0].field_dict["publication_status"] == PublicationStatus.PUBLISHED
    assert saved[1].field_dict["title_en"] == "9th meeting of the Working Group"
    assert [row["revision"].user.username for row in rows] == ["bruno", "amina", "amina"]
    assert ("Publication status", "Draft", "Published") in rows[0]["changes"]
    published = {label: after for label, _before, after in rows[0]["changes"]}
    assert published["Public from"] == f"{event.publish_at:%Y-%m-%d %H:%M} UTC"
    assert [label for label, _before, _after in rows[1]["changes"]] == ["Title [en]", "Title [fr]", "Participations"]
    assert ("Title [en]", "9th meeting of the working group", "9th meeting of the Working Group") in rows[1]["changes"]
    assert ("Title [fr]", "9e réunion du groupe de travail", "9e réunion du Groupe") in rows[1]["changes"]
    assert ("Participations", f"{interpol}, Presenter", f"{wco}, Chair") in rows[1]["changes"]
    versions_table = page.content.decode().split('id="version-history"')[1].split('id="publication-history"')[0]
    assert (versions_table.count("<td>amina</td>"), versions_table.count("<td>bruno</td>")) == (2, 1)
    assertContains(page, "<del>9th meeting of the working group</del>")
    assertContains(page, "<ins>9th meeting of the Working Group</ins>")
    assertContains(page, "Restore this version", count=2)


def test_a_bulk_action_is_a_version_with_its_author(editor, event):
    run_action(editor, Event, "submit_for_review", [event])

    (version,) = versions(event)
    assert version.revision.user.username == "amina"
    assert version.field_dict["publication_status"] == PublicationStatus.IN_REVIEW


def restore(client, record, version):
    return client.post(admin_url(record, "restore", record.pk, version.pk))


def test_restoring_an_event_brings_back_its_texts_participants_and_links_as_a_new_save(editor, publisher, event):
    original_participants = list(event.participations.values_list("body", "role"))
    original_topics = list(event.topics.all())
    first = kept_as_it_is(event, "amina")
    open_and_save(
        editor,
        event,
        title_en="Renamed",
        title_fr="Renommé",
        topics=str(make_topic("Customs reform").pk),
        convening_bodies=str(make_body("World Bank").pk),
        **{"participations-0-body": str(make_body("OECD").pk), "participations-0-role": Role.CHAIR},
    )
    open_and_save(publisher, event, publication_status=PublicationStatus.PUBLISHED)
    event.refresh_from_db()
    publication = (event.publication_status, event.publish_at, event.first_published_at)
    lock_version = event.lock_version

    response = restore(publisher, event, first)

    assertRedirects(response, admin_url(event, "history", event.pk))
    event.refresh_from_db()
    assert (event.title_en, event.title_fr) == ("9th meeting of the working group", "9e réunion du groupe de travail")
    assert list(event.participations.values_list("body", "role")) == original_participants
    assert list(event.topics.all()) == original_topics
    assert [body.name for body in event.convening_bodies.all()] == ["UNODC"]
    assert (event.publication_status, event.publish_at, event.first_published_at) == publication
    assert event.lock_version == lock_version + 1
    latest = versions(event)[0]
    assert latest.revision.user.username == "bruno"
    assert "Restored the version of" in latest.revision.comment
    assert len(versions(event)) == 4
    entry = AuditEntry.objects.get(action=AuditAction.RESTORE)
    assert (entry.username, entry.object_id) == ("bruno", str(event.pk))
    assertContains(publisher.get(response["Location"]), "Restored the version of")


def test_restoring_a_published_version_does_not_publish_a_draft(editor, publisher, event):
    open_and_save(publisher, event, publication_status=PublicationStatus.PUBLISHED)
    published_version = versions(event)[0]
    run_action(publisher, Event, "unpublish", [event])

    restore(publisher, event, published_version)

    event.refresh_from_db()
    assert (event.publication_status, event.publish_at) == (PublicationStatus.DRAFT, None)
    assert editor.get(event.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("model", [Instrument, Body], ids=["instrument", "body"])
def test_instruments_and_bodies_have_a_history_to_restore_too(publisher, model):
    if model is Instrument:
        record, field, label = (
            make_instrument("Guide", publication_status=PublicationStatus.DRAFT),
            "title_en",
            "Title",
        )
    else:
        record, field, label = make_body("Sub-Committee"), "name_en", "Name"
    original = getattr(record, field)
    _response, data = open_and_save_form(publisher, record)
    first = versions(record)[0]
    save_again(publisher, record, data, **{field: "Renamed"})

    rows = history_rows(publisher, record)
    restore(publisher, record, first)

    assert [row["revision"].user.username for row in rows] == ["bruno", "bruno"]
    assert rows[0]["changes"] == [(f"{label} [en]", original, "Renamed")]
    record.refresh_from_db()
    assert getattr(record, field) == original


def staff_who_may_only_read():
    user = get_user_model().objects.create_user("reader", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_event"))
    return user


def test_restoring_is_refused_to_those_who_cannot_change_the_record(client, editor, publisher, event):
    """
    They read the history without its restore buttons, and a restore they post anyway changes
    nothing; nor does a restore by GET, or of another record's version, by someone who may.
    """
    other = make_event("Another event", publication_status=PublicationStatus.DRAFT)
    first = kept_as_it_is(event, "bruno")
    kept_as_it_is(other, "bruno")
    open_and_save(publisher, event, title_en="Renamed", publication_status=PublicationStatus.PUBLISHED)
    reader = Client()
    reader.force_login(staff_who_may_only_read())

    page = editor.get(admin_url(event, "history", event.pk))
    by_editor = restore(editor, event, first)  # an editor may not change a published event
    by_reader = restore(reader, event, first)
    anonymous = restore(client, event, first)
    by_get = publisher.get(admin_url(event, "restore", event.pk, first.pk))
    someone_elses = restore(publisher, event, versions(other)[0])

    assert page.status_code == 200
    assertContains(page, "Renamed")
    assertNotContains(page, "Restore this version")
    assert (by_editor.status_code, by_reader.status_code) == (403, 403)
    assert anonymous.status_code == 302  # to the login page
    assert by_get.status_code == 405
    assert someone_elses.status_code == 404
    event.refresh_from_db()
    assert event.title == "Renamed"
    assert len(versions(event)) == 2
    assert not AuditEntry.objects.filter(action=AuditAction.RESTORE).exists()


def test_a_version_that_cannot_be_restored_any_more_is_explained(publisher, event):
    first = kept_as_it_is(event, "bruno")
    open_and_save(publisher, event, slug="wg-9-renamed")
    make_event("Someone else's", slug="wg-9")

    response = restore(publisher, event, first)

    page = publisher.get(response["Location"])
    assertContains(page, "cannot be restored")
    event.refresh_from_db()
    assert event.slug == "wg-9-renamed"


def test_the_form_sent_before_a_restore_is_refused(publisher, event):
    """
    A restore is a save like any other: someone who opened the form before it must reload.
    Restored in French, each language's text goes back to its own place.
    """
    first = kept_as_it_is(event, "bruno")
    _response, data = open_and_save_form(publisher, event, title_en="Renamed", title_fr="Renommé")
    stale_form = reloaded(event, data, title_en="Edited meanwhile")

    publisher.post(admin_url(event, "restore", event.pk, first.pk), headers={"accept-language": "fr"})
    event.refresh_from_db()
    restored = (event.title_en, event.title_fr)
    response = publisher.post(admin_url(event, "change", event.pk), stale_form)

    assert restored == ("9th meeting of the working group", "9e réunion du groupe de travail")
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.title == "9th meeting of the working group"
