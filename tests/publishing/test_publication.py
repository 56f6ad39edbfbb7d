"""
Publication: drafts, records in review and records scheduled for later are never public, a
scheduled record goes public at its time, and only publishers publish, by whatever path.
"""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django_filters.views import FilterView
from pytest_django.asserts import assertContains, assertNotContains

from editorial.models import AuditAction, AuditEntry
from events.models import Event, Role
from instruments.models import Instrument, InstrumentKind
from publishing.models import PublicationStatus
from tests.admin_forms import (
    admin_url,
    form_data,
    make_staff,
    open_and_save,
    open_and_save_form,
    page_form_data,
    preview,
    run_action,
    save_again,
)
from tests.factories import (
    built_once,
    make_article,
    make_body,
    make_event,
    make_instrument,
    make_series,
    make_topic,
)

pytestmark = pytest.mark.django_db

HIDDEN = "zanzibar"  # in the title of every record that is not public, and of nothing else
# The names of the topic, body and series that only records that are not public use.
LONELY = ["seaweed farming", "ferry authority", "island meetings"]
DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED
LATER = datetime.timedelta(days=30)


def hidden_states():
    """The three ways of not being public, as the fields that make them."""
    return {
        "draft": {"publication_status": DRAFT},
        "in-review": {"publication_status": IN_REVIEW},
        "scheduled": {"publication_status": PUBLISHED, "publish_at": timezone.now() + LATER},
    }


class Catalogue:
    """
    Published records linked in every possible way to records that are not public (a draft,
    one in review and one scheduled of each kind), and a topic, UNCAC article, series,
    body and country that only those hidden records use.
    """

    def __init__(self):
        self.body = make_body("Integrity Sub-Committee", slug="isc")
        self.topic = make_topic("Risk management", slug="risk")
        self.article = make_article(7, title="Codes of conduct")
        self.series = make_series(self.body, name="Sessions of the ISC", slug="isc-sessions")
        self.programme = make_instrument(
            "Integrity programme", slug="programme", kind=InstrumentKind.PROGRAMME, issuing_body=self.body
        )
        self.event = make_event(
            "Public session",
            slug="public-session",
            start="2019-05-27",
            bodies=[self.body],
            series=self.series,
            session_number=2,
            country="BE",
            topics=[self.topic],
            uncac_articles=[self.article],
            instruments=[self.programme],
        )
        self.instrument = make_instrument(
            "Public guide",
            slug="public-guide",
            issuing_body=self.body,
            programme=self.programme,
            year_adopted=2019,
            topics=[self.topic],
            uncac_articles=[self.article],
            is_featured=True,
        )
        self.event.instruments.add(self.instrument)

        # Used by hidden records only.
        self.lonely_topic = make_topic("Seaweed farming", slug="seaweed")
        self.lonely_article = make_article(61, title="Development assistance")
        self.lonely_body = make_body("Ferry authority", slug="ferry", parent=self.body)
        self.lonely_series = make_series(self.lonely_body, name="Island meetings", slug="island-meetings")
        self.lonely_country = ("TZ", "Tanzania")

        self.hidden_events, self.hidden_instruments = [], []
        for number, (state, fields) in enumerate(hidden_states().items()):
            instrument = make_instrument(
                f"Zanzibar {state} guide",
                title_fr=f"Guide de Zanzibar ({state})",
                slug=f"hidden-guide-{state}",
                kind=InstrumentKind.PROGRAMME,
                issuing_body=self.lonely_body,
                programme=self.programme,
                year_adopted=1999,
                topics=[self.topic, self.lonely_topic],
                uncac_articles=[self.article, self.lonely_article],
                is_featured=True,
                **fields,
            )
            self.event.instruments.add(instrument)
            make_instrument(f"Public part {number}", slug=f"public-part-{number}", programme=instrument)
            event = make_event(
                f"Zanzibar {state} meeting",
                title_fr=f"Réunion de Zanzibar ({state})",
                slug=f"hidden-meeting-{state}",
                start="1999-03-01",
                bodies=[self.body, self.lonely_body],
                participants=[(self.body, Role.PRESENTER)],
                series=self.series,
                session_number=[1, 3, 4][number],
                country=self.lonely_country[0],
                topics=[self.topic, self.lonely_topic],
                uncac_articles=[self.article, self.lonely_article],
                instruments=[self.programme, self.instrument, instrument],
                **fields,
            )
            self.hidden_events.append(event)
            self.hidden_instruments.append(instrument)
        make_event("Lonely series meeting", slug="lonely", series=self.lonely_series, publication_status=DRAFT)

    @property
    def hidden(self):
        return [*self.hidden_events, *self.hidden_instruments]


catalogue = built_once(Catalogue, scope="class")


def url_patterns(resolver=None, namespace=""):
    """Every named URL pattern of the site outside the admin, as (name, pattern)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == admin.site.name:
                continue
            yield from url_patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif entry.name:
            yield namespace + entry.name, entry


# Query strings tried on every filtered list whose filters take their parameters: one for each
# parameter, aimed at what only hidden records use, in every language...
FILTERS = [
    "year=1999",
    "topic=seaweed",
    "article=61",
    "body=ferry",
    "country=TZ",
    "series=island-meetings",
    "kind=programme",
]
# ...and these, on what public and hidden records share, in the first language.
SHARED_FILTERS = [
    "topic=risk",
    "article=7",
    "body=isc",
    "series=isc-sessions",
    "year=1999&body=isc&topic=risk&article=7",
]


def public_urls():
    """
    Every page outside the admin in every language: each page without parameters, each
    page of every record of its model (hidden ones included), each filtered list with the
    FILTERS that it takes. Built from the URL patterns, so that a new page is covered too.

    Of the public events and instruments, the detail page and the API's detail of each, where
    its hidden neighbours would show, but their other pages (citations, calendar, preview,
    record of changes: the record alone) of one only. A language changes the words of a page,
    not which records it shows: the languages after the first try one query for each
    parameter on the filtered lists (FILTERS, not SHARED_FILTERS).
    """
    urls = set()
    for index, (code, _name) in enumerate(settings.LANGUAGES):
        queries = FILTERS + SHARED_FILTERS if index == 0 else FILTERS
        with translation.override(code):
            for name, pattern in url_patterns():
                parameters = list(pattern.pattern.regex.groupindex)
                view_class = getattr(pattern.callback, "view_class", None)
                if not parameters:
                    urls.add(reverse(name))
                    if view_class is not None and issubclass(view_class, FilterView):
                        taken = view_class.filterset_class.base_filters
                        urls.update(
                            f"{reverse(name)}?{query}"
                            for query in queries
                            if all(parameter in taken for parameter, _value in parse_qsl(query))
                        )
                    continue
                queryset = getattr(view_class, "queryset", None)
                model = getattr(view_class, "model", None) or getattr(queryset, "model", None)
                assert model is not None, f"{name}: tell public_urls() which records fill in {parameters}"
                records = list(model._base_manager.all())
                if hasattr(model.objects, "published") and not name.endswith("detail"):
                    public = list(model.objects.published())
                    records = [record for record in records if record not in public[1:]]
                for record in records:
                    urls.add(reverse(name, kwargs={parameter: getattr(record, parameter) for parameter in parameters}))
    return sorted(urls)


def sitemap_locations(sitemap):
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ET.fromstring(sitemap).findall("sm:url/sm:loc", namespace)]


def page_and_preview(record):
    url = record.get_absolute_url()
    return [url, f"{url}preview/"]


def crawl(client, urls):
    """The pages that show a record that is not public, the status of each page, the paths that the sitemap lists."""
    shown, statuses, listed = [], {}, []
    for url in urls:
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code in {200, 400, 404}, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if url == "/sitemap.xml":
            listed = [urlsplit(location).path for location in sitemap_locations(content)]
        if any(text in content.decode().lower() for text in [HIDDEN, *LONELY]):
            shown.append(url)
    return shown, statuses, listed


@pytest.fixture(scope="class")
def urls(catalogue, django_db_blocker):
    """The public URLs of the catalogue, listed once for the class."""
    with django_db_blocker.unblock():
        return public_urls()


class TestWhatIsNotPublic:
    """On a catalogue built once for the class: its tests only read it."""

    def test_public_urls_cover_every_kind_of_page(self, urls):
        for path in [
            "/en/",
            "/fr/",
            "/en/events/",
            "/fr/events/?topic=seaweed",
            "/en/events/calendar.ics?series=isc-sessions",
            "/fr/instruments/public-part-2/",
            "/en/events/hidden-meeting-draft/",
            "/en/events/hidden-meeting-scheduled/preview/",
            "/fr/instruments/hidden-guide-in-review/",
            "/en/instruments/?article=61",
            "/en/bodies/",
            "/en/bodies/ferry/",
            "/en/topics/seaweed/",
            "/fr/uncac/",
            "/en/uncac/articles/61/",
            "/sitemap.xml",
        ]:
            assert path in urls

    def test_records_that_are_not_public_appear_on_no_public_page_and_their_own_are_not_found(
        self, client, catalogue, urls, django_user_model
    ):
        """
        For a visitor logged in with an account that is not staff, then for an anonymous one. Every
        page that the sitemap lists is among the pages crawled, and opens. The second visitor's
        pages are put together from what the first one's left in the caches, as on the site.
        """
        reader = Client()
        reader.force_login(django_user_model.objects.create_user("reader", password="a long enough password"))
        own_pages = []
        for language in ["en", "fr"]:
            with translation.override(language):
                own_pages += [page for record in catalogue.hidden for page in page_and_preview(record)]

        for visitor, visitor_client in [("logged-in reader", reader), ("anonymous", client)]:
            shown, statuses, listed = crawl(visitor_client, urls)

            assert shown == [], visitor
            assert {url: statuses.get(url) for url in own_pages} == dict.fromkeys(own_pages, 404), visitor
            assert listed, visitor
            assert {path: statuses.get(path) for path in listed} == dict.fromkeys(listed, 200), visitor

    def test_the_sitemap_lists_no_record_that_is_not_public(self, client, catalogue):
        """That every page it lists opens, with nothing hidden on it, the crawl above checks."""
        locations = sitemap_locations(client.get("/sitemap.xml").content)

        assert "http://testserver/en/events/public-session/" in locations
        assert not [url for url in locations if "hidden" in url]

    def test_counts_on_every_page_count_public_records_only(self, client, catalogue):
        home = client.get("/en/")
        topics = {topic.slug: topic for topic in client.get("/en/topics/").context["object_list"]}
        articles = {
            article.number: article
            for chapter in client.get("/en/uncac/").context["object_list"]
            for article in chapter.articles.all()
        }
        bodies = {body.slug: body for body in client.get("/en/bodies/").context["object_list"]}

        assert (home.context["event_count"], home.context["instrument_count"]) == (1, 5)
        assert [instrument.title for instrument in home.context["key_instruments"]] == ["Public guide"]
        assert (topics["risk"].event_count, topics["risk"].instrument_count) == (1, 1)
        assert "seaweed" not in topics
        assert (articles[7].event_count, articles[7].instrument_count) == (1, 1)
        assert (articles[61].event_count, articles[61].instrument_count) == (0, 0)
        assert bodies["isc"].event_count == 1
        assert "ferry" not in bodies
        assert client.get("/en/bodies/ferry/").status_code == client.get("/en/topics/seaweed/").status_code == 404
        assert client.get("/en/events/").context["paginator"].count == 1

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_filters_offer_no_choice_that_only_hidden_records_use(self, client, catalogue, language):
        events = client.get(f"/{language}/events/")
        instruments = client.get(f"/{language}/instruments/")

        assertContains(events, "Risk management")
        assertContains(events, "Sessions of the ISC")
        for text in ["Seaweed farming", "Development assistance", "Island meetings", "Tanzania", "Tanzanie"]:
            assertNotContains(events, text)
            assertNotContains(instruments, text)

    def test_the_public_page_of_a_published_record_leaves_out_its_hidden_neighbours(self, client, catalogue):
        event = client.get("/en/events/public-session/")
        instrument = client.get("/en/instruments/public-guide/")
        part = client.get("/en/instruments/public-part-0/")

        assert [i.title for i in event.context["event"].instruments.all()] == ["Integrity programme", "Public guide"]
        assert event.context["event"].series_neighbours() == (None, None)
        assert [e.title for e in instrument.context["instrument"].events.all()] == ["Public session"]
        assert part.status_code == 200
        assertNotContains(part, "Zanzibar")


# Scheduled publication


def test_a_scheduled_record_goes_public_at_its_time_without_a_restart(client):
    when = timezone.now() + datetime.timedelta(hours=2)
    topic = make_topic("Seaweed farming", slug="seaweed")
    event = make_event("Zanzibar scheduled meeting", slug="scheduled", publish_at=when, topics=[topic])
    instrument = make_instrument("Zanzibar scheduled guide", slug="scheduled-guide", publish_at=when)

    def visible():
        """On which pages the scheduled records show."""
        pages = {
            "event list": ("/en/events/", "Zanzibar scheduled meeting"),
            "event": (event.get_absolute_url(), "Zanzibar scheduled meeting"),
            "instrument list": ("/fr/instruments/", "Zanzibar scheduled guide"),
            "instrument": (instrument.get_absolute_url(), "Zanzibar scheduled guide"),
            "topic filter": ("/en/events/?topic=seaweed", "Zanzibar scheduled meeting"),
            "sitemap": ("/sitemap.xml", "/en/events/scheduled/"),
        }
        responses = {name: (client.get(url), text) for name, (url, text) in pages.items()}
        return {
            name: response.status_code == 200 and text in response.content.decode()
            for name, (response, text) in responses.items()
        }

    assert not any(visible().values())
    with time_machine.travel(when - datetime.timedelta(seconds=5)):
        assert not any(visible().values())
    with time_machine.travel(when + datetime.timedelta(seconds=5)):
        assert all(visible().values()), visible()
        assert client.get("/en/").context["event_count"] == 1


def test_publishing_sets_public_from_and_first_published_once():
    event = make_event(publication_status=DRAFT)
    assert (event.publish_at, event.first_published_at) == (None, None)

    with time_machine.travel(datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC), tick=False):
        event.publication_status = PUBLISHED
        event.save()
    first = datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC)
    assert (event.publish_at, event.first_published_at) == (first, first)

    with time_machine.travel(datetime.datetime(2030, 2, 1, 9, tzinfo=datetime.UTC), tick=False):
        event.publication_status = DRAFT
        event.save()
        assert (event.publish_at, event.first_published_at) == (None, first)
        event.publication_status = PUBLISHED
        event.save()
    event.refresh_from_db()
    assert event.publish_at == datetime.datetime(2030, 2, 1, 9, tzinfo=datetime.UTC)
    assert event.first_published_at == first


def test_a_schedule_cancelled_before_its_time_is_not_a_first_publication():
    with time_machine.travel(datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC), tick=False):
        event = make_event(publish_at=datetime.datetime(2030, 6, 1, tzinfo=datetime.UTC))
        event.publication_status = DRAFT
        event.save()
        assert event.first_published_at is None
    with time_machine.travel(datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        event.publication_status = PUBLISHED
        event.save()
    event.refresh_from_db()
    assert event.first_published_at == event.publish_at == datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC)


# Only publishers publish, by whatever path.

MODELS = pytest.mark.parametrize("model", [Event, Instrument], ids=["event", "instrument"])


def make_record(model, **fields):
    make = make_event if model is Event else make_instrument
    return make(f"Zanzibar {model._meta.model_name}", **fields)


def state_of(record):
    record.refresh_from_db()
    return record.publication_status, record.publish_at, record.title


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff("ed", "Editor"))
    return client


@pytest.fixture
def publisher_client(client):
    client.force_login(make_staff("pat", "Publisher"))
    return client


@MODELS
def test_an_editor_cannot_publish_through_the_change_form_nor_schedule_with_a_forged_public_from(editor_client, model):
    """The form refused, the page is saved again, as it would be sent now, in review with a forged date."""
    record = make_record(model, publication_status=DRAFT)
    before = state_of(record)

    response, data = open_and_save_form(editor_client, record, publication_status=PUBLISHED, title_en="Changed")

    assert response.status_code == 200
    assert "publication_status" in response.context["adminform"].form.errors
    assert state_of(record) == before
    assert not AuditEntry.objects.filter(action=AuditAction.PUBLISH).exists()

    forged, _data = save_again(
        editor_client,
        record,
        data,
        title_en=before[2],
        publication_status=IN_REVIEW,
        publish_at_0="2030-01-01",
        publish_at_1="10:00",
    )

    assert forged.status_code == 302
    assert state_of(record)[:2] == (IN_REVIEW, None)


@MODELS
def test_an_editor_cannot_add_a_published_record(editor_client, model):
    body = make_body()
    page = editor_client.get(admin_url(model, "add"))
    choices = [value for value, _label in page.context["adminform"].form.fields["publication_status"].choices]
    fields = {"title_en": "Zanzibar addition", "slug": "zanzibar-addition", "publication_status": PUBLISHED}
    if model is Event:
        fields.update(start_date="2026-02-02", convening_bodies=str(body.pk))
    else:
        fields.update(kind=InstrumentKind.GUIDE)

    forged = editor_client.post(admin_url(model, "add"), form_data(page, **fields))
    fields["publication_status"] = IN_REVIEW
    honest = editor_client.post(admin_url(model, "add"), form_data(page, **fields))

    assert choices == [DRAFT, IN_REVIEW]
    assert forged.status_code == 200
    assert honest.status_code == 302
    assert list(model.objects.values_list("slug", "publication_status")) == [("zanzibar-addition", IN_REVIEW)]


@MODELS
def test_an_editor_cannot_publish_with_the_bulk_action(editor_client, model):
    record = make_record(model, publication_status=IN_REVIEW)
    page = editor_client.get(admin_url(model, "changelist"))
    offered = [name for name, _label in page.context["action_form"].fields["action"].choices]

    response = run_action(editor_client, model, "publish", [record])

    assert "publish" not in offered and "submit_for_review" in offered
    assert response.status_code in {200, 302}
    assert state_of(record)[0] == IN_REVIEW


@MODELS
def test_an_editor_cannot_publish_through_a_forged_changelist_edit(editor_client, model):
    record = make_record(model, publication_status=DRAFT)

    editor_client.post(
        admin_url(model, "changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(record.pk),
            "form-0-publication_status": PUBLISHED,
            "form-0-publish_at_0": "2020-01-01",
            "form-0-publish_at_1": "10:00",
            "_save": "Save",
        },
    )

    assert state_of(record)[:2] == (DRAFT, None)


def test_no_inline_of_the_admin_exposes_the_publication_fields(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    publication_fields = {"publication_status", "publish_at", "first_published_at"}

    checked = 0
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            fields = set(inline.get_formset(request).form.base_fields)
            assert not fields & publication_fields, type(inline).__name__
            checked += 1
    assert checked


@MODELS
def test_an_editor_sees_a_published_record_read_only_and_cannot_post_to_it(editor_client, admin_client, model):
    for number, fields in enumerate([hidden_states()["scheduled"], {"publication_status": PUBLISHED}]):
        record = make_record(model, slug=f"record-{number}", **fields)
        before = state_of(record)
        url = admin_url(model, "change", record.pk)

        page = editor_client.get(url)
        # The complete form, as someone allowed to change the record would see it.
        forged = form_data(admin_client.get(url), title_en="Changed", publication_status=DRAFT)
        response = editor_client.post(url, forged)

        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert response.status_code == 403
        assert state_of(record) == before


@MODELS
def test_an_editor_submits_a_draft_for_review_with_the_form_or_the_bulk_action(editor_client, model):
    by_form, by_action, published = (make_record(model, publication_status=DRAFT) for _ in range(3))
    published.publication_status = PUBLISHED
    published.save()

    form = open_and_save(editor_client, by_form, publication_status=IN_REVIEW)
    action = run_action(editor_client, model, "submit_for_review", [by_action, published])

    assert form.status_code == action.status_code == 302
    assert state_of(by_form)[0] == state_of(by_action)[0] == IN_REVIEW
    assert state_of(published)[0] == PUBLISHED
    entries = AuditEntry.objects.filter(action=AuditAction.SUBMIT)
    assert sorted((entry.object_id, entry.username) for entry in entries) == sorted(
        [(str(by_form.pk), "ed"), (str(by_action.pk), "ed")]
    )


@MODELS
def test_a_publisher_publishes_with_the_form_and_the_history_shows_it(publisher_client, model):
    record = make_record(model, publication_status=IN_REVIEW)

    response = open_and_save(publisher_client, record, publication_status=PUBLISHED)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_public and record.first_published_at == record.publish_at
    entry = AuditEntry.objects.get(action=AuditAction.PUBLISH)
    assert (entry.user.username, entry.object_id) == ("pat", str(record.pk))
    page = publisher_client.get(admin_url(model, "change", record.pk))
    assertContains(page, "Published (pat)")
    assertContains(page, "View it on the site")
    assert publisher_client.get(record.get_absolute_url()).status_code == 200


def publish_with_the_action(client, model, records):
    """Preview `records`, run the "Publish" action on them and confirm the versions that its page lists."""
    preview(client, *records)
    page = run_action(client, model, "publish", records)
    assert page.status_code == 200
    return client.post(admin_url(model, "changelist"), page_form_data(page, "publish-confirmation"))


@MODELS
def test_a_publisher_publishes_and_unpublishes_with_the_bulk_actions(publisher_client, model):
    records = [make_record(model, publication_status=DRAFT, slug=f"record-{n}") for n in range(2)]

    publish_with_the_action(publisher_client, model, records)
    public = [state_of(record)[0] for record in records]
    run_action(publisher_client, model, "unpublish", records[:1])

    assert public == [PUBLISHED, PUBLISHED]
    assert state_of(records[0])[:2] == (DRAFT, None)
    assert records[0].first_published_at is not None
    assert state_of(records[1])[0] == PUBLISHED
    assert sorted(AuditEntry.objects.exclude(action=AuditAction.LOGIN).values_list("action", "username")) == sorted(
        [(AuditAction.PUBLISH, "pat"), (AuditAction.PUBLISH, "pat"), (AuditAction.UNPUBLISH, "pat")]
    )


def test_a_publisher_publishes_what_a_search_and_a_filter_found(publisher_client):
    body = make_body("Zanzibar Revenue Authority")
    found = make_event("Regional workshop", bodies=[body], series=make_series(body), publication_status=IN_REVIEW)
    other = make_event("Another workshop", publication_status=IN_REVIEW)

    preview(publisher_client, found, other)
    url = admin_url(Event, "changelist") + f"?q=Zanzibar&convening_bodies__id__exact={body.pk}&state=in_review"
    page = publisher_client.post(url, {"action": "publish", "_selected_action": [found.pk, other.pk], "index": "0"})
    publisher_client.post(url, page_form_data(page, "publish-confirmation"))

    assert (state_of(found)[0], state_of(other)[0]) == (PUBLISHED, IN_REVIEW)


@MODELS
def test_a_publisher_schedules_with_a_future_public_from_and_unpublishes(publisher_client, model):
    record = make_record(model, publication_status=IN_REVIEW)
    when = (timezone.now() + LATER).replace(second=0, microsecond=0)

    open_and_save(
        publisher_client,
        record,
        publication_status=PUBLISHED,
        publish_at_0=f"{when:%Y-%m-%d}",
        publish_at_1=f"{when:%H:%M}",
    )
    scheduled = state_of(record)
    hidden_meanwhile = publisher_client.get(record.get_absolute_url()).status_code
    url = admin_url(model, "change", record.pk)
    page = publisher_client.get(url)
    publisher_client.post(url, form_data(page, publication_status=DRAFT))

    assert scheduled[:2] == (PUBLISHED, when)
    assert hidden_meanwhile == 404
    assertContains(page, f"Scheduled for publication (pat), public from {when:%Y-%m-%d %H:%M} UTC")
    assert state_of(record)[:2] == (DRAFT, None)
    assert list(AuditEntry.objects.about(record).order_by("pk").values_list("action", flat=True)) == [
        AuditAction.SCHEDULE,
        AuditAction.UNPUBLISH,
    ]


@MODELS
def test_moving_public_from_of_a_published_record_is_recorded(publisher_client, model):
    record = make_record(model)
    when = (timezone.now() + LATER).replace(second=0, microsecond=0)

    open_and_save(publisher_client, record, publish_at_0=f"{when:%Y-%m-%d}", publish_at_1=f"{when:%H:%M}")

    record.refresh_from_db()
    assert record.is_scheduled
    entry = AuditEntry.objects.get(action=AuditAction.SCHEDULE)
    assert (entry.username, entry.detail) == ("pat", f"public from {when:%Y-%m-%d %H:%M} UTC")


@MODELS
def test_a_publisher_correcting_a_published_record_does_not_publish_it_again(publisher_client, model):
    record = make_record(model)
    record.publish_at = record.first_published_at = timezone.now() - datetime.timedelta(days=3, microseconds=7)
    record.save()

    response = open_and_save(publisher_client, record, title_en="Corrected title")

    assert response.status_code == 302
    assert state_of(record)[2] == "Corrected title"
    assert record.publish_at.replace(microsecond=0) == record.first_published_at.replace(microsecond=0)
    assert record.is_public
    assert not AuditEntry.objects.exclude(action=AuditAction.LOGIN).exists()


# The changelist


@MODELS
def test_the_changelist_reads_as_many_queries_for_6_records_as_for_3(client, model):
    """For each role, the whole list and the list of scheduled records."""
    staff = [make_staff("editor", "Editor"), make_staff("publisher", "Publisher")]
    queries = [{}, {"state": "scheduled"}]

    def add(count):
        for state in list(hidden_states().values()) * count:
            if model is Event:
                body = make_body()
                make_event(bodies=[body], series=make_series(body), country="FR", **state)
            else:
                make_instrument(issuing_body=make_body(), **state)

    def counted():
        """For each role and query: the queries run and the records listed."""
        counts = {}
        for user in staff:
            client.force_login(user)
            for query in queries:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(admin_url(model, "changelist"), query)
                assert response.status_code == 200
                counts[user.username, str(query)] = (len(captured), response.context["cl"].result_count)
        return counts

    add(1)
    small = counted()
    add(1)
    large = counted()

    for key, (queries_for_3, listed) in small.items():
        assert large[key] == (queries_for_3, 2 * listed), key
        assert listed > 0, key
