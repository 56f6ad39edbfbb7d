import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from bodies.models import Body
from documents.models import Document
from events.models import DatePrecision, Event, EventFormat, Participation, Role, Series
from instruments.models import Instrument
from sources.models import Source
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

CATALOGUE_APPS = {"bodies", "topics", "uncac", "sources", "instruments", "events"}
PROJECT_MODELS = [model for model in admin.site._registry if model._meta.app_label in CATALOGUE_APPS]


def one_record_of_each_model():
    """One record of each catalogue model, each its model's only one, linked where a record needs another."""
    body = make_body("Integrity Sub-Committee")
    article = make_article(title="Public procurement")
    return {
        Body: body,
        Topic: make_topic("Risk management"),
        Chapter: article.chapter,
        Article: article,
        Source: make_source(title="Press release on the Arusha Declaration"),
        Instrument: make_instrument("Revised Arusha Declaration"),
        Series: make_series(body, name="Sessions of the Implementation Review Group"),
        Event: make_event("24th session of the Integrity Sub-Committee", bodies=[body]),
    }


one_of_each = built_once(one_record_of_each_model, scope="class")


def logged_in_superuser():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", password="a long enough password"))
    return client


superuser = built_once(logged_in_superuser, scope="class")

SEARCH_TERMS = {
    Body: "sub-committee",
    Topic: "risk",
    Chapter: "preventive",
    Article: "procurement",
    Source: "press release",
    Instrument: "arusha",
    Series: "review group",
    Event: "24th",
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


by_model = pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.label)


def test_every_project_model_is_registered():
    assert {Body, Topic, Chapter, Article, Source, Instrument, Series, Event} <= set(PROJECT_MODELS)


# A NUL character, a number too large for any integer column, a right-to-left script.
ODD_TERMS = ["\x00", "99999999999999999999", "שלום"]


class TestOneRecordOfEachModel:
    """One record of each model, and a superuser's login, made once for the class: its tests only read them."""

    @by_model
    def test_changelist_add_and_change_pages_open_and_search_finds_the_matching_records_only(
        self, superuser, one_of_each, model
    ):
        """The search survives odd terms too."""
        assert model in one_of_each, f"Add a {model._meta.label} and a search term for it to {__name__}."
        record, search_term = one_of_each[model], SEARCH_TERMS[model]

        changelist = superuser.get(admin_url(model, "changelist"))
        add = superuser.get(admin_url(model, "add"))
        change = superuser.get(admin_url(model, "change", record.pk))
        found = superuser.get(admin_url(model, "changelist"), {"q": search_term})
        not_found = superuser.get(admin_url(model, "changelist"), {"q": "zzz-no-such-record"})
        odd = {term: superuser.get(admin_url(model, "changelist"), {"q": term}) for term in ODD_TERMS}

        assert changelist.status_code == 200
        assert list(changelist.context["cl"].result_list) == [record]
        assert add.status_code == 200
        assert change.status_code == 200
        assert change.context["original"] == record
        assert found.status_code == 200
        assert list(found.context["cl"].result_list) == [record]
        assert not_found.status_code == 200
        assert list(not_found.context["cl"].result_list) == []
        assert {term: response.status_code for term, response in odd.items()} == dict.fromkeys(ODD_TERMS, 200)

    def test_an_inline_makes_the_pattern_of_its_new_rows_once_a_page(self, superuser, one_of_each):
        event = one_of_each[Event]
        change = superuser.get(admin_url(event, "change", event.pk))

        inlines = change.context["inline_admin_formsets"]
        assert {inline.opts.model for inline in inlines} >= {Participation, Document}
        for inline in inlines:
            assert inline.formset.empty_form is inline.formset.empty_form, inline.opts.model
        assertContains(change, 'id="documents-document-content_type-object_id-empty"')


@pytest.fixture
def event_form():
    """A complete add form for an event, with its related records."""
    isc = make_body("Integrity Sub-Committee", short_name="ISC")
    unodc = make_body("UNODC")
    interpol = make_body("INTERPOL")
    series = make_series(isc, name="Sessions of the ISC")
    topic = make_topic("Risk management")
    instrument = make_instrument("Revised Arusha Declaration")
    article = make_article(number=7)
    source = make_source(title="WCO news")
    data = {
        "title_en": "24th session of the Integrity Sub-Committee",
        "title_fr": "24e session du Sous-comité sur l'éthique",
        "slug": "isc-24",
        "series": series.pk,
        "session_number": "24",
        "start_date": "2025-02-03",
        "end_date": "",
        "date_precision": DatePrecision.DAY,
        "status": "scheduled",
        "city_en": "Brussels",
        "city_fr": "Bruxelles",
        "country": "BE",
        "format": EventFormat.HYBRID,
        "convening_bodies": [isc.pk, unodc.pk],
        "wco_role": Role.ORGANISER,
        "participations-TOTAL_FORMS": "1",
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
        "participations-0-body": interpol.pk,
        "participations-0-role": Role.PRESENTER,
        "participations-0-note_en": "Presented its integrity strategy.",
        "participations-0-note_fr": "A présenté sa stratégie en matière d’éthique.",
        "documents-document-content_type-object_id-TOTAL_FORMS": "0",
        "documents-document-content_type-object_id-INITIAL_FORMS": "0",
        "topics": [topic.pk],
        "instruments": [instrument.pk],
        "uncac_articles": [article.pk],
        "sources": [source.pk],
        "summary_en": "Members shared their integrity action plans.",
        "summary_fr": "",
        "contact_email": "",
        "publication_status": "published",
        "_save": "Save",
    }
    related = {
        "isc": isc,
        "unodc": unodc,
        "interpol": interpol,
        "series": series,
        "topic": topic,
        "instrument": instrument,
        "article": article,
        "source": source,
    }
    return data, related


def test_event_added_through_the_admin_is_stored_with_all_its_relations_unless_it_ends_before_it_starts(
    admin_client, event_form
):
    data, related = event_form

    refused = admin_client.post(admin_url(Event, "add"), {**data, "end_date": "2025-02-01"})

    assertContains(refused, "The event cannot end before it starts.")
    assert Event.objects.count() == 0

    response = admin_client.post(admin_url(Event, "add"), data)

    assertRedirects(response, admin_url(Event, "changelist"))
    event = Event.objects.get()
    assert event.title == "24th session of the Integrity Sub-Committee"
    assert event.title_fr == "24e session du Sous-comité sur l'éthique"
    assert not event.summary_fr
    assert event.slug == "isc-24"
    assert event.series == related["series"]
    assert event.session_number == 24
    assert event.start_date == datetime.date(2025, 2, 3)
    assert event.end_date == datetime.date(2025, 2, 3)
    assert event.date_precision == DatePrecision.DAY
    assert (event.city, event.country.code) == ("Brussels", "BE")
    assert event.format == EventFormat.HYBRID
    assert set(event.convening_bodies.all()) == {related["isc"], related["unodc"]}
    assert event.wco_role == Role.ORGANISER
    assert [(p.body, p.role, p.note_en, p.note_fr) for p in event.participations.all()] == [
        (
            related["interpol"],
            Role.PRESENTER,
            "Presented its integrity strategy.",
            "A présenté sa stratégie en matière d’éthique.",
        )
    ]
    assert list(event.topics.all()) == [related["topic"]]
    assert list(event.instruments.all()) == [related["instrument"]]
    assert list(event.uncac_articles.all()) == [related["article"]]
    assert list(event.sources.all()) == [related["source"]]
    assert event.summary == "Members shared their integrity action plans."
    assert event.is_published
    assert event.first_published_at is not None


@pytest.fixture
def non_staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a long enough password"))
    return client


@pytest.mark.parametrize("visitor", ["client", "non_staff_client"])
def test_the_admin_sends_anyone_but_staff_to_the_login_page(request, visitor):
    url = admin_url(Event, "changelist")

    response = request.getfixturevalue(visitor).get(url)

    assertRedirects(response, f"{reverse('admin:login')}?next={url}")


def test_instrument_change_page_links_to_the_events_where_it_was_presented(admin_client):
    instrument = make_instrument("Revised Arusha Declaration")
    event = make_event("Global Integrity Conference", instruments=[instrument])
    make_event("Unrelated meeting")

    response = admin_client.get(admin_url(Instrument, "change", instrument.pk))

    assertContains(response, f'<a href="{admin_url(Event, "change", event.pk)}">Global Integrity Conference</a>')
    assert "Unrelated meeting" not in response.content.decode()


def test_body_change_page_lists_its_subsidiary_bodies(admin_client):
    cosp = make_body("Conference of the States Parties")
    irg = make_body("Implementation Review Group", parent=cosp)
    make_body("Unrelated body")

    response = admin_client.get(admin_url(Body, "change", cosp.pk))

    assertContains(response, f'<a href="{admin_url(Body, "change", irg.pk)}">Implementation Review Group</a>')
    assert "Unrelated body" not in response.content.decode()


def test_admin_search_finds_a_record_by_its_text_in_either_language(admin_client):
    make_event("24th session of the Integrity Sub-Committee", title_fr="24e session du Sous-comité sur l'éthique")

    for term in ["Integrity Sub-Committee", "Sous-comité"]:
        response = admin_client.get(admin_url(Event, "changelist"), {"q": term}, headers={"accept-language": "fr"})
        assert response.context["cl"].result_count == 1, term
