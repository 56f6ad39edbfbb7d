"""
No lost edits: when two staff members open the same record and both save, the second save
is refused with a message telling them to reload, instead of silently overwriting the first.
"""

import pytest
from pytest_django.asserts import assertContains

from bodies.models import Body
from events.models import Event, Role
from instruments.models import Instrument
from publishing.models import PublicationStatus
from tests.admin_forms import admin_url, form_data, open_and_save, run_action, save_again
from tests.factories import make_body, make_event, make_instrument

pytestmark = pytest.mark.django_db

RECORDS = {
    Event: (lambda: make_event("Working group meeting", publication_status=PublicationStatus.DRAFT), "title_en"),
    Instrument: (lambda: make_instrument("Integrity guide", publication_status=PublicationStatus.DRAFT), "title_en"),
    Body: (lambda: make_body("Integrity Sub-Committee"), "name_en"),
}
MODELS = pytest.mark.parametrize("model", list(RECORDS), ids=lambda model: model._meta.model_name)


def open_form(client, record):
    page = client.get(admin_url(record, "change", record.pk))
    assert page.status_code == 200
    return page


@MODELS
def test_the_second_of_two_saves_from_the_same_version_is_refused_until_its_author_reloads(editor, publisher, model):
    make, field = RECORDS[model]
    record = make()
    url = admin_url(record, "change", record.pk)
    editor_page, publisher_page = open_form(editor, record), open_form(publisher, record)
    assert form_data(editor_page)["opened_version"] == form_data(publisher_page)["opened_version"]

    first = editor.post(url, form_data(editor_page, **{field: "Amina's version"}))
    second = publisher.post(url, form_data(publisher_page, **{field: "Bruno's version"}))

    assert first.status_code == 302
    assert second.status_code == 200
    errors = second.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert "amina changed this record" in errors[0]
    assert "Reload the page" in errors[0]
    assertContains(second, "your changes were not saved")
    record.refresh_from_db()
    assert getattr(record, field) == "Amina's version"

    after_reloading, _data = save_again(
        publisher, record, form_data(publisher_page), **{field: "Bruno's version, after reading Amina's"}
    )

    assert after_reloading.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Bruno's version, after reading Amina's"


@MODELS
def test_a_record_saved_twice_by_the_same_person_from_one_page_is_refused_the_second_time(editor, model):
    """The browser's back button and a second submit: the second would undo what was saved in between."""
    make, field = RECORDS[model]
    record = make()
    page = open_form(editor, record)
    first = form_data(page, **{field: "First"})
    editor.post(admin_url(record, "change", record.pk), first)
    save_again(editor, record, first, **{field: "Second"})

    response = editor.post(admin_url(record, "change", record.pk), form_data(page, **{field: "Back to the old page"}))

    assert response.status_code == 200
    record.refresh_from_db()
    assert getattr(record, field) == "Second"


@pytest.mark.parametrize("model", [Event, Instrument], ids=["event", "instrument"])
def test_a_form_opened_before_a_bulk_action_cannot_undo_it(editor, publisher, model):
    make, field = RECORDS[model]
    record = make()
    stale = open_form(editor, record)

    run_action(publisher, model, "submit_for_review", [record])
    response = editor.post(admin_url(record, "change", record.pk), form_data(stale, **{field: "Edited meanwhile"}))

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.IN_REVIEW
    assert getattr(record, field) != "Edited meanwhile"


def test_a_stale_form_cannot_undo_a_change_to_the_participants(editor, publisher):
    interpol = make_body("INTERPOL")
    record = make_event(
        "Working group meeting", publication_status=PublicationStatus.DRAFT, participants=[(interpol, Role.PRESENTER)]
    )
    stale = open_form(publisher, record)
    open_and_save(editor, record, **{"participations-0-role": Role.CHAIR})

    response = publisher.post(
        admin_url(record, "change", record.pk), form_data(stale, **{"participations-0-note_en": "Spoke first."})
    )

    assert response.status_code == 200
    assert [(p.body, p.role, p.note_en or "") for p in record.participations.all()] == [(interpol, Role.CHAIR, "")]


def test_a_record_deleted_while_open_is_explained(editor, publisher):
    record = make_body("Integrity Sub-Committee")
    page = open_form(editor, record)
    data = form_data(page, name_en="Too late")
    publisher.post(admin_url(record, "delete", record.pk), {"post": "yes"})

    response = editor.post(admin_url(record, "change", record.pk), data)

    # The admin itself says the record no longer exists, and nothing comes back to life.
    assert response.status_code == 302
    assert not Body.objects.filter(pk=record.pk).exists()
