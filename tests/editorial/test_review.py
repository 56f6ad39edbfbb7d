"""
Nothing goes public unreviewed: the "Publish" action publishes the versions the publisher
confirmed, or nothing; the bodies, topics, sources and series that public pages show are
changed by publishers only, with the history, locking and audit of events; and a topic or
body that no public record uses yet shows nowhere outside the admin.
"""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from bodies.models import Body
from editorial.models import AuditAction, AuditEntry
from events.models import Event, Role, Series
from publishing.models import PublicationStatus
from publishing.previews import PREVIEWED, PREVIEWS_KEPT, previewed_version, remember_previewed
from sources.models import Source
from tests.admin_forms import admin_url, form_data, open_and_save, page_form_data, preview, run_action
from tests.factories import make_body, make_event, make_series, make_source, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED


def confirmation_data(page):
    """What the confirmation page's form sends when the publisher confirms."""
    return page_form_data(page, "publish-confirmation")


def status_of(record):
    record.refresh_from_db()
    return record.publication_status


# The "Publish" action publishes what the publisher confirmed.


def test_the_publish_action_lists_the_versions_to_publish_before_publishing_them(publisher):
    records = [make_event(f"Meeting {n}", slug=f"meeting-{n}", publication_status=IN_REVIEW) for n in range(2)]
    open_and_save(publisher, records[0], title_en="Meeting 0, corrected")
    preview(publisher, *records)

    page = run_action(publisher, Event, "publish", records)

    assert page.status_code == 200
    assertContains(page, "Meeting 0, corrected")
    assertContains(page, "version 2")
    assertContains(page, "version 1")
    assertContains(page, f'href="{records[1].get_absolute_url()}preview/"')
    assert [status_of(record) for record in records] == [IN_REVIEW, IN_REVIEW]

    confirmed = publisher.post(admin_url(Event, "changelist"), confirmation_data(page))

    assert confirmed.status_code == 302
    assert [status_of(record) for record in records] == [PUBLISHED, PUBLISHED]
    assert AuditEntry.objects.filter(action=AuditAction.PUBLISH, username="bruno").count() == 2


def test_a_record_changed_after_the_publisher_reviewed_it_is_not_published(editor, publisher):
    changed = make_event("Working group", slug="wg", publication_status=IN_REVIEW)
    unchanged = make_event("Expert meeting", slug="em", publication_status=IN_REVIEW)
    preview(publisher, changed, unchanged)
    page = run_action(publisher, Event, "publish", [changed, unchanged])

    open_and_save(editor, changed, title_en="Working group on something else")
    confirmed = publisher.post(admin_url(Event, "changelist"), confirmation_data(page), follow=True)

    assert (status_of(changed), status_of(unchanged)) == (IN_REVIEW, PUBLISHED)
    assertContains(confirmed, "“Working group on something else” was not published")
    assertContains(confirmed, "amina changed it after you reviewed it")
    assert publisher.get("/en/events/wg/").status_code == 404


def test_a_record_changed_since_the_publisher_previewed_it_is_not_ticked_for_publishing(editor, publisher):
    changed = make_event("Working group", slug="wg", publication_status=IN_REVIEW)
    unchanged = make_event("Expert meeting", slug="em", publication_status=IN_REVIEW)
    preview(publisher, changed, unchanged)
    open_and_save(editor, changed, title_en="Working group on something else")

    page = run_action(publisher, Event, "publish", [changed, unchanged])
    publisher.post(admin_url(Event, "changelist"), confirmation_data(page))

    assertContains(page, "Changed since your preview (version 1): review it again")
    assertContains(page, "Previewed: version 1")
    assertContains(
        page,
        f'<input type="checkbox" name="_selected_action" value="{unchanged.pk}" id="publish-{unchanged.pk}" checked>',
    )
    assertContains(
        page, f'<input type="checkbox" name="_selected_action" value="{changed.pk}" id="publish-{changed.pk}">'
    )
    assert (status_of(changed), status_of(unchanged)) == (IN_REVIEW, PUBLISHED)


def test_the_session_remembers_the_latest_previews_only():
    request = SimpleNamespace(session={})
    records = [SimpleNamespace(_meta=Event._meta, pk=n, lock_version=n) for n in range(PREVIEWS_KEPT + 1)]

    for record in [records[1], *records]:
        remember_previewed(request, record)

    assert len(request.session[PREVIEWED]) == PREVIEWS_KEPT
    assert [previewed_version(request, record) for record in records[:2]] == [None, 1]
    assert previewed_version(request, records[-1]) == PREVIEWS_KEPT


def test_a_forged_confirmation_publishes_nothing_it_does_not_name_in_its_version(publisher):
    record = make_event("Working group", publication_status=IN_REVIEW)

    publisher.post(
        admin_url(Event, "changelist"),
        {"action": "publish", "_selected_action": [record.pk], "post": "yes", "reviewed": ["nonsense", "7:x"]},
    )

    assert status_of(record) == IN_REVIEW


def test_the_change_form_refuses_to_publish_unless_it_says_its_version_and_nothing_changed_since(editor, publisher):
    record = make_event("Working group", publication_status=IN_REVIEW)
    url = admin_url(record, "change", record.pk)
    reviewed = publisher.get(url)

    unversioned = publisher.post(url, form_data(reviewed, publication_status=PUBLISHED, opened_version=None))
    assert unversioned.status_code == 200
    assert status_of(record) == IN_REVIEW
    open_and_save(editor, record, title_en="Working group on something else")
    response = publisher.post(url, form_data(reviewed, publication_status=PUBLISHED))

    assert response.status_code == 200
    assert "amina changed this record" in response.context["adminform"].form.non_field_errors()[0]
    assert status_of(record) == IN_REVIEW


def test_the_preview_says_which_version_it_shows(editor):
    record = make_event("Working group", slug="wg", publication_status=IN_REVIEW)
    open_and_save(editor, record)

    assertContains(editor.get("/en/events/wg/preview/"), "Version 2")


# Bodies, topics, sources and series: what public pages show is changed by publishers only.

SHARED = {
    Topic: (make_topic, "topics", "name_en"),
    Body: (make_body, "convening_bodies", "name_en"),
    Source: (make_source, "sources", "title"),
    Series: (make_series, "series", "name_en"),
}
SHARED_MODELS = pytest.mark.parametrize("model", list(SHARED), ids=lambda model: model._meta.model_name)


def used_by(model, **event_fields):
    """A record of `model` that an event with `event_fields` uses."""
    make, relation, _field = SHARED[model]
    record = make()
    link = {relation: record if model is Series else [record]}
    if model is Body:
        link = {"bodies": [record]}
    make_event(**link, **event_fields)
    return record


@SHARED_MODELS
def test_an_editor_changes_what_only_drafts_use_and_sees_what_public_or_reviewed_records_use_read_only(
    editor, publisher, model
):
    """
    In review too: a change after the publisher's review would go public with the record, unreviewed.
    The one event that uses the record goes from draft to review to scheduled to published.
    """
    record = used_by(model, publication_status=DRAFT)
    event = Event.objects.get()
    _make, _relation, field = SHARED[model]
    url = admin_url(record, "change", record.pk)

    renamed = open_and_save(editor, record, **{field: "Renamed"})

    assert renamed.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Renamed"

    statuses = {
        IN_REVIEW: {"publication_status": IN_REVIEW},
        "scheduled": {"publication_status": PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=30)},
        PUBLISHED: {"publication_status": PUBLISHED, "publish_at": None},
    }

    for status, event_fields in statuses.items():
        for name, value in event_fields.items():
            setattr(event, name, value)
        event.save()
        record.refresh_from_db()
        before = getattr(record, field)

        page = editor.get(url)
        publisher_page = publisher.get(url)
        forged = editor.post(url, form_data(publisher_page, **{field: "Changed unreviewed"}))

        assert page.status_code == 200, status
        assert page.context["has_change_permission"] is False, status
        assertContains(page, "only a publisher may change it")
        assert forged.status_code == 403, status
        record.refresh_from_db()
        assert getattr(record, field) == before, status
        # The refused post changed nothing, so the publisher's page is still the current version's.
        assert publisher_page.status_code == 200, status
        corrected = publisher.post(url, form_data(publisher_page, **{field: f"Corrected, {status}"}))
        assert corrected.status_code == 302, status
        record.refresh_from_db()
        assert getattr(record, field) == f"Corrected, {status}"


@SHARED_MODELS
def test_topics_sources_and_series_have_the_history_and_locking_of_events(editor, publisher, model):
    make, _relation, field = SHARED[model]
    record = make()
    url = admin_url(record, "change", record.pk)
    original = getattr(record, field)
    stale = publisher.get(url)

    first = open_and_save(editor, record, **{field: "Amina's version"})
    second = publisher.post(url, form_data(stale, **{field: "Bruno's version"}))
    rows = publisher.get(admin_url(record, "history", record.pk)).context["versions"]
    restored = publisher.post(admin_url(record, "restore", record.pk, rows[0]["version"].pk))

    assert (first.status_code, second.status_code, restored.status_code) == (302, 200, 302)
    assert "amina changed this record" in second.context["adminform"].form.non_field_errors()[0]
    assert [row["revision"].user.username for row in rows] == ["amina"]
    assert any(after == "Amina's version" for _label, _before, after in rows[0]["changes"])
    assert Version.objects.get_for_object(record).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.RESTORE, username="bruno").count() == 1
    record.refresh_from_db()
    assert getattr(record, field) == "Amina's version"
    assert original != "Amina's version"


# A topic or body that only drafts use shows nowhere outside the admin.


@pytest.fixture
def draft_subjects():
    """A published event of a subsidiary of UNODC, and a draft whose new topic and body are its secret."""
    unodc = make_body("United Nations Office on Drugs and Crime", slug="unodc")
    irg = make_body("Implementation Review Group", slug="irg", parent=unodc)
    interpol = make_body("INTERPOL", slug="interpol")
    make_event("Public session", slug="public", bodies=[irg], participants=[(interpol, Role.OBSERVER)])
    secret_topic = make_topic("Seaweed smuggling", slug="seaweed")
    secret_body = make_body("Zanzibar Ferry Authority", slug="ferry", parent=unodc)
    make_event(
        "Draft", slug="draft", bodies=[secret_body], topics=[secret_topic], publication_status=PublicationStatus.DRAFT
    )
    return unodc, irg, interpol


def test_a_topic_or_body_that_only_drafts_use_shows_on_no_public_page(client, draft_subjects):
    pages = [
        "/en/",
        "/en/topics/",
        "/en/bodies/",
        "/en/bodies/unodc/",
        "/en/events/?body=ferry",
        "/en/events/?topic=seaweed",
        "/en/events/calendar.ics?body=ferry",
        "/en/search/?q=seaweed",
        "/en/search/?q=zanzibar",
        "/sitemap.xml",
        "/api/bodies/",
        "/api/topics/",
        "/api/events/?body=ferry",
    ]
    gone = ["/en/topics/seaweed/", "/en/topics/seaweed/feed/", "/en/bodies/ferry/", "/en/bodies/ferry/feed/"]
    gone += ["/api/bodies/ferry/", "/api/topics/seaweed/"]

    home = client.get("/en/").context
    shown = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 400}, url
        content = (b"".join(response.streaming_content) if response.streaming else response.content).decode().lower()
        shown[url] = [word for word in ("seaweed smuggling", "zanzibar ferry", "/ferry/") if word in content]

    assert {url: words for url, words in shown.items() if words} == {}
    assert {url: client.get(url).status_code for url in gone} == dict.fromkeys(gone, 404)
    assert (home["body_count"], home["topic_count"]) == (3, 0)


def test_the_parents_and_participants_of_public_records_stay_public(client, draft_subjects):
    bodies = json.loads(client.get("/api/bodies/").content)

    slugs = [body["slug"] for body in bodies["results"]] if "results" in bodies else [body["slug"] for body in bodies]
    assert sorted(slugs) == ["interpol", "irg", "unodc"]
    for slug in slugs:
        assert client.get(f"/en/bodies/{slug}/").status_code == 200
    assertNotContains(client.get("/en/bodies/unodc/"), "Zanzibar")
