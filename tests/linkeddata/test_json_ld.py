"""The pages' schema.org JSON-LD, read back with pyld, and the data's licence wherever it is named."""

import re

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile

from documents.models import Document, DocumentAccess
from events.models import DatePrecision, EventFormat, EventStatus
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event, make_instrument, make_topic
from tests.fetching import fetched_once
from tests.linkeddata.reading import SCHEMA, data_blocks, nodes, value, values

pytestmark = pytest.mark.django_db


def build():
    wco = make_body("World Customs Organization", short_name="WCO", slug="wco")
    isc = make_body("Integrity Sub-Committee", short_name="ISC", slug="isc", parent=wco)
    ethics = make_topic("Ethics", slug="ethics")
    arusha = make_instrument("Revised Arusha Declaration", slug="arusha", issuing_body=wco, year_adopted=2003)
    draft = make_instrument("A draft guide", slug="draft-guide", publication_status=PublicationStatus.DRAFT)
    june = make_event(
        "Integrity Sub-Committee, 24th session",
        start="2024-06-01",
        date_precision=DatePrecision.MONTH,
        slug="isc-24",
        bodies=[isc],
        city="Brussels",
        country="BE",
        format=EventFormat.IN_PERSON,
        summary="The 24th session & its </script><script>alert(1)</script> work.",
        topics=[ethics],
        instruments=[arusha, draft],
    )
    Document.objects.create(
        record=june,
        kind="report",
        title="Session report",
        language="fr",
        file=ContentFile(b"%PDF-1.4", name="report.pdf"),
        media_type="application/pdf",
        size=8,
    )
    Document.objects.create(
        record=june,
        kind="guide",
        title="Members' notes",
        language="en",
        url="https://members.example.org/notes",
        access=DocumentAccess.MEMBERS,
    )
    Document.objects.create(
        record=arusha, kind="full_text", title="Arusha text", language="en", url="https://example.org/arusha.pdf"
    )
    postponed = make_event(
        "Working Group, 9th meeting",
        start="2025-02-10",
        slug="wg-9",
        bodies=[wco],
        format=EventFormat.ONLINE,
        status=EventStatus.POSTPONED,
    )
    older = make_event("Annual conference", start="2019-05-27", end="2019-05-29", slug="conference", bodies=[wco])
    return {"isc": isc, "june": june, "postponed": postponed, "older": older, "arusha": arusha, "draft": draft}


catalogue = built_once(build)
get = fetched_once("catalogue")


def test_an_event_known_to_the_month_is_an_event_of_that_month_with_its_organisers_place_topics_and_public_documents(
    get,
):
    found, by_id = nodes(get("/en/events/isc-24/"))

    (event,) = found["Event"]
    assert value(event, "name") == "Integrity Sub-Committee, 24th session"
    assert value(event, "url") == "http://testserver/en/events/isc-24/"
    assert value(event, "startDate") == value(event, "endDate") == "2024-06"
    assert value(event, "eventStatus") == SCHEMA + "EventScheduled"
    assert value(event, "eventAttendanceMode") == SCHEMA + "OfflineEventAttendanceMode"
    place = by_id[value(event, "location")]
    address = by_id[value(place, "address")]
    assert (value(address, "addressLocality"), value(address, "addressCountry")) == ("Brussels", "BE")
    organiser = by_id[value(event, "organizer")]
    assert (value(organiser, "name"), value(organiser, "alternateName")) == ("Integrity Sub-Committee", "ISC")
    assert value(organiser, "url") == "http://testserver/en/bodies/isc/"
    assert [value(by_id[topic], "name") for topic in values(event, "about")] == ["Ethics"]
    # Only the published instrument, and only the public document: not the members' notes.
    assert [value(by_id[work], "name") for work in values(event, "workFeatured")] == ["Revised Arusha Declaration"]
    (document,) = [by_id[pk] for pk in values(event, "subjectOf")]
    assert value(document, "name") == "Session report"
    assert value(document, "encodingFormat") == "application/pdf"
    assert value(document, "inLanguage") == "fr"
    assert value(document, "url").startswith("http://testserver/documents/")
    (page,) = found["ItemPage"]
    assert value(page, "license") == "https://creativecommons.org/licenses/by/4.0/"
    assert value(page, "inLanguage") == "en"


def test_no_text_can_close_the_data_block_and_the_csp_still_runs_no_inline_script(client, get):
    response = get("/en/events/isc-24/")

    assert b"</script><script>alert(1)" not in response.content
    (event,) = nodes(response)[0]["Event"]
    assert value(event, "description") == "The 24th session & its </script><script>alert(1)</script> work."
    policy = response["Content-Security-Policy"]
    assert policy == client.get("/en/").headers["Content-Security-Policy"], "as on a page without JSON-LD"
    assert re.search(r"script-src ([^;]*)", policy).group(1) == "'self'"
    assert "unsafe-inline" not in policy


def test_a_postponed_online_event_says_so(client, catalogue):
    found, by_id = nodes(client.get("/en/events/wg-9/"))

    (event,) = found["Event"]

    assert value(event, "eventStatus") == SCHEMA + "EventPostponed"
    assert value(event, "eventAttendanceMode") == SCHEMA + "OnlineEventAttendanceMode"
    assert value(event, "startDate") == "2025-02-10"
    assert by_id[value(event, "location")]["@type"] == [SCHEMA + "VirtualLocation"]


def test_an_instrument_is_a_creative_work_with_its_issuer_and_documents_and_its_page_in_french(client, catalogue):
    found, by_id = nodes(client.get("/fr/instruments/arusha/"))

    (work,) = found["CreativeWork"]
    assert value(work, "name") == "Revised Arusha Declaration"
    assert value(work, "datePublished") == "2003"
    assert value(by_id[value(work, "publisher")], "name") == "World Customs Organization"
    assert [value(by_id[example], "url") for example in values(work, "workExample")] == [
        "https://example.org/arusha.pdf"
    ]
    (page,) = found["ItemPage"]
    assert value(page, "inLanguage") == "fr"
    assert [value(item, "name") for item in found["ListItem"]] == ["Instruments", "Revised Arusha Declaration"]


def test_a_list_gives_its_page_s_records_in_order_and_its_downloads_with_its_filters(client, catalogue):
    found, by_id = nodes(client.get("/en/events/?body=wco&sort=title"))

    (item_list,) = found["ItemList"]
    items = sorted((by_id[item] for item in values(item_list, "itemListElement")), key=lambda i: value(i, "position"))
    assert [(value(item, "position"), value(item, "name")) for item in items] == [
        (1, "Annual conference"),
        (2, "Integrity Sub-Committee, 24th session"),
        (3, "Working Group, 9th meeting"),
    ]
    assert value(items[0], "url") == "http://testserver/en/events/conference/"
    (dataset,) = found["Dataset"]
    assert value(dataset, "license") == "https://creativecommons.org/licenses/by/4.0/"
    downloads = {
        value(by_id[d], "encodingFormat"): value(by_id[d], "contentUrl") for d in values(dataset, "distribution")
    }
    assert downloads == {
        "text/csv": "http://testserver/en/events/export.csv?body=wco&sort=title",
        "application/json": "http://testserver/en/events/export.json?body=wco&sort=title",
    }


def test_the_breadcrumbs_are_the_trail_the_page_shows(client, catalogue):
    found, _ = nodes(client.get("/en/bodies/isc/"))

    trail = sorted(found["ListItem"], key=lambda item: value(item, "position"))
    assert [(value(item, "name"), value(item, "item")) for item in trail] == [
        ("Bodies", "http://testserver/en/bodies/"),
        ("WCO", "http://testserver/en/bodies/wco/"),
        ("ISC", "http://testserver/en/bodies/isc/"),
    ]


def test_a_preview_gives_no_json_ld_and_a_draft_is_never_described(admin_client, client, catalogue):
    assert data_blocks(admin_client.get("/en/instruments/draft-guide/preview/").content) == []
    assert b"A draft guide" not in b"".join(
        block.encode() for block in data_blocks(client.get("/en/instruments/").content)
    )


def test_the_licence_is_named_in_the_footer_the_exports_and_every_answer_of_the_api(client, catalogue, settings):
    settings.DATA_LICENCE_URL = "https://example.org/licence"
    settings.DATA_LICENCE_NAME = "Example Licence"
    link = '<https://example.org/licence>; rel="license"'

    page = client.get("/en/topics/")
    assert '<a href="https://example.org/licence" rel="license">Example Licence</a>' in page.content.decode()
    french = client.get("/fr/topics/").content.decode()
    assert 'réutilisées sous la licence <a href="https://example.org/licence" rel="license">' in french
    assert client.get("/en/events/export.csv?body=wco")["Link"] == link
    assert client.get("/en/instruments/export.json")["Link"] == link
    for address in (
        "/api/",
        "/api/events/",
        "/api/events/isc-24/",
        "/api/events/nothing-here/",
        "/api/events/?year=x",
    ):
        assert client.get(address)["Link"] == link, address
    schema = client.get("/api/schema/?format=json").json()
    assert schema["info"]["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_kind_of_record_without_a_description_is_refused_at_start_up(monkeypatch):
    from events.models import Event
    from linkeddata import checks, schema

    assert checks.check_descriptions(None) == []
    monkeypatch.delitem(schema._describers, Event._meta.label)
    assert [error.id for error in checks.check_descriptions(None)] == ["linkeddata.E001"]


def test_the_api_s_refusal_past_its_rate_names_the_licence_too(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "api": "1/m"}
    caches[settings.RATELIMIT_USE_CACHE].clear()

    client.get("/api/topics/")
    refused = client.get("/api/topics/")

    assert refused.status_code == 429
    assert refused["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
