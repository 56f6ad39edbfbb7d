"""
"Cite this": a record's citation in the page's language, its RIS, BibTeX and CSL-JSON files read
back by rispy, bibtexparser and citeproc-py, the citation_* tags of its page, and the same files
of any list as it is filtered.
"""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.core import checks
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html
from pytest_django.asserts import assertContains, assertNotContains

from citations import registry
from documents.models import Document, DocumentAccess, DocumentKind
from events.models import DatePrecision
from instruments.models import InstrumentKind
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event, make_instrument
from tests.fetching import fetched_once
from tests.linkeddata.reading import nodes, value, values

pytestmark = pytest.mark.django_db

SITE = "https://integrity.example.org"
CATALOGUE = {"en": "WCO Integrity Catalogue", "fr": "Catalogue de l'éthique de l'OMD"}
TITLES = {
    "en": "15th session of the Integrity Sub-Committee",
    "fr": "15e session du Sous-Comité de l'éthique",
}
BODIES = {"en": "Integrity Sub-Committee", "fr": "Sous-Comité de l'éthique"}


def build_catalogue():
    isc = make_body(BODIES["en"], name_fr=BODIES["fr"], short_name="ISC", slug="isc")
    council = make_body("Policy Commission", slug="pc")
    session = make_event(
        TITLES["en"],
        title_fr=TITLES["fr"],
        slug="isc-15",
        start="2016-03-01",
        end="2016-03-02",
        city="Brussels",
        country="BE",
        bodies=[isc],
    )
    common = {"record": session, "kind": DocumentKind.REPORT, "title_en": "Report"}
    Document.objects.create(language="en", url="https://www.example.org/report", position=0, **common)
    pdf = Document.objects.create(
        language="en", file="documents/report.pdf", media_type="application/pdf", position=1, **common
    )
    members = "https://members.example.org/report.pdf"
    Document.objects.create(language="fr", url=members, access=DocumentAccess.MEMBERS, position=2, **common)
    pdf_fr = Document.objects.create(
        language="fr", file="documents/rapport.pdf", media_type="application/pdf", position=3, **common
    )
    make_event(
        "Workshop <b>on</b> 100% integrity & {ethics}_",
        slug="workshop",
        start="2019-05-01",
        date_precision=DatePrecision.MONTH,
        bodies=[isc, council],
    )
    make_event("Policy Commission 2020", slug="pc-2020", start="2020-06-01", bodies=[council])
    make_event("ISC draft", slug="isc-draft", bodies=[isc], publication_status=PublicationStatus.DRAFT)
    make_instrument(
        "Integrity Development Guide", slug="guide", kind=InstrumentKind.GUIDE, issuing_body=isc, year_adopted=2015
    )
    make_instrument(
        "Revised Arusha Declaration",
        slug="arusha",
        kind=InstrumentKind.DECLARATION,
        issuing_body=council,
        year_adopted=2003,
    )
    return {"pdf": {"en": pdf, "fr": pdf_fr}}


catalogue = built_once(build_catalogue)


@pytest.fixture(autouse=True)
def site(settings, catalogue):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["integrity.example.org", "testserver"]


get = fetched_once("catalogue")


def today_ris():
    return timezone.localdate().strftime("%Y/%m/%d/")


def bibtex_entries(text):
    return bibtexparser.loads(text, BibTexParser(common_strings=True)).entries


def download(get, url, content_type):
    response = get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_events_ris_holds_its_facts_in_the_pages_language(get, language):
    text = download(get, f"/{language}/events/isc-15/cite.ris", "application/x-research-info-systems")
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "CONF"
    assert entry["title"] == TITLES[language]
    assert entry["secondary_title"] == TITLES[language]
    assert entry["authors"] == [BODIES[language]]
    assert entry["date"] == "2016/03/01/"
    assert entry["year"] == "2016"
    assert entry["place_published"] in ("Brussels, Belgium", "Brussels, Belgique")
    assert entry["publisher"] == CATALOGUE[language]
    assert entry["urls"] == [f"{SITE}/{language}/events/isc-15/"]
    assert entry["access_date"] == today_ris()
    assert entry["language"] == language


def test_a_bibtex_entry_keeps_each_body_whole_escapes_tex_and_the_known_month(client):
    text = download(client.get, "/en/events/workshop/cite.bib", "application/x-bibtex")
    [entry] = bibtex_entries(text)
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["ID"] == "event-workshop"
    assert entry["author"] == "{Integrity Sub-Committee} and {Policy Commission}"
    assert entry["title"] == r"{Workshop <b>on</b> 100\% integrity \& \{ethics\}\_}"
    assert (entry["year"], entry["month"], entry["date"]) == ("2019", "May", "2019-05")
    assert entry["howpublished"] == CATALOGUE["en"]
    assert entry["url"] == f"{SITE}/en/events/workshop/"
    assert entry["urldate"] == timezone.localdate().isoformat()


def test_the_formatted_citation_shows_a_title_as_text_never_as_markup(client):
    page = html.fromstring(client.get("/en/events/workshop/").content)
    [citation] = page.find_class("cite__text")
    assert "Workshop <b>on</b> 100% integrity & {ethics}_" in citation.text_content()
    assert [element.tag for element in citation.iterdescendants()] == ["i"]


def cited_by_citeproc(item, locale):
    # citeproc-py reads CSL 1.0.1, which has no `event-title`: it leaves it out, with a warning.
    item = {key: value for key, value in item.items() if key != "event-title"}
    style = CitationStylesStyle("harvard-cite-them-right", locale=locale, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


@pytest.mark.parametrize(
    ("language", "locale", "accessed"), [("en", "en-GB", "Accessed"), ("fr", "fr-FR", "Consulté le")]
)
def test_csl_json_is_read_by_citeproc_and_the_page_shows_the_same_citation(get, language, locale, accessed):
    text = download(get, f"/{language}/events/isc-15/cite.csl.json", "application/vnd.citationstyles.csl+json")
    [item] = json.loads(text)
    assert item["type"] == "event"
    assert item["issued"] == {"date-parts": [[2016, 3, 1]]}
    assert item["event-date"] == {"date-parts": [[2016, 3, 1], [2016, 3, 2]]}
    assert item["author"] == [{"literal": BODIES[language]}]
    cited = cited_by_citeproc(item, locale)
    assert cited.startswith(f"{BODIES[language]} (2016)")
    assert TITLES[language] in cited and f"{SITE}/{language}/events/isc-15/" in cited and accessed in cited

    page = get(f"/{language}/events/isc-15/")
    block = html.fromstring(page.content).get_element_by_id("cite-heading").getparent()
    assert block.find("h2").text == {"en": "Cite this", "fr": "Citer cette fiche"}[language]
    assert block.find_class("cite__text")[0].text_content() == cited
    links = {link.text: link.get("href") for link in block.iter("a")}
    assert links == {
        "RIS": f"/{language}/events/isc-15/cite.ris",
        "BibTeX": f"/{language}/events/isc-15/cite.bib",
        "CSL-JSON": f"/{language}/events/isc-15/cite.csl.json",
    }


@pytest.mark.parametrize(
    ("slug", "ris_type", "csl_type", "author"),
    [("guide", "RPRT", "report", BODIES["en"]), ("arusha", "GEN", "document", "Policy Commission")],
)
def test_an_instrument_is_cited_as_its_kind_issued_by_its_body_in_its_year(client, slug, ris_type, csl_type, author):
    [entry] = rispy.loads(
        download(client.get, f"/en/instruments/{slug}/cite.ris", "application/x-research-info-systems")
    )
    [item] = json.loads(download(client.get, f"/en/instruments/{slug}/cite.csl.json", "application/vnd"))
    assert (entry["type_of_reference"], item["type"]) == (ris_type, csl_type)
    assert entry["authors"] == [author] and item["author"] == [{"literal": author}]
    assert entry["date"][4:] == "///" and len(item["issued"]["date-parts"][0]) == 1
    assert entry["urls"] == [f"{SITE}/en/instruments/{slug}/"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_record_s_ris_and_its_page_s_json_ld_give_the_same_facts(get, language):
    [entry] = rispy.loads(download(get, f"/{language}/events/isc-15/cite.ris", "application/x-research-info-systems"))
    found, by_id = nodes(get(f"/{language}/events/isc-15/"))
    [event] = found["Event"]
    organisers = [value(by_id[organiser], "name") for organiser in values(event, "organizer")]

    assert entry["title"] == value(event, "name")
    assert entry["authors"] == organisers == [BODIES[language]]
    assert entry["date"] == value(event, "startDate").replace("-", "/") + "/"
    assert entry["urls"] == [value(event, "url")]


def meta_tags(response):
    tree = html.fromstring(response.content)
    tags = {}
    for meta in tree.head.iter("meta"):
        if (meta.get("name") or "").startswith("citation_"):
            tags.setdefault(meta.get("name"), []).append(meta.get("content"))
    return tags


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_head_has_the_citation_tags_zotero_reads(get, catalogue, language):
    tags = meta_tags(get(f"/{language}/events/isc-15/"))
    url = f"{SITE}/{language}/events/isc-15/"
    assert tags == {
        "citation_title": [TITLES[language]],
        "citation_author": [BODIES[language]],
        "citation_publication_date": ["2016/03/01"],
        "citation_conference_title": [TITLES[language]],
        "citation_publisher": [CATALOGUE[language]],
        "citation_public_url": [url],
        "citation_abstract_html_url": [url],
        "citation_language": [language],
        # The first public file in the page's order, not the address elsewhere nor the members' link.
        "citation_pdf_url": [f"{SITE}{catalogue['pdf'][language].get_absolute_url()}"],
    }
    guide = meta_tags(get(f"/{language}/instruments/guide/"))
    assert guide["citation_technical_report_institution"] == [BODIES[language]]
    assert guide["citation_publication_date"] == ["2015"]
    assert "citation_pdf_url" not in guide


def test_a_draft_has_no_citation(client):
    for suffix in ("cite.ris", "cite.bib", "cite.csl.json"):
        assert client.get(f"/en/events/isc-draft/{suffix}").status_code == 404
    assertNotContains(client.get("/en/events/export.ris"), "ISC draft")


LIST_FILES = {
    "export.ris": lambda text: [entry["urls"][0] for entry in rispy.loads(text)],
    "export.bib": lambda text: [entry["url"] for entry in bibtex_entries(text)],
    "export.csl.json": lambda text: [item["URL"] for item in json.loads(text)],
}


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("export.ris", ""),
        ("export.ris", "?body=isc"),
        ("export.bib", "?body=pc&sort=title"),
        ("export.csl.json", "?q=integrity"),
    ],
)
def test_a_lists_files_hold_exactly_its_records_in_its_order(client, name, query):
    exported = json.loads(download(client.get, f"/en/events/export.json{query}", "application/json"))
    assert LIST_FILES[name](download(client.get, f"/en/events/{name}{query}", "")) == [row["url"] for row in exported]


def test_a_lists_files_are_offered_beside_its_csv_and_json_with_its_filters(client):
    response = client.get("/fr/instruments/?body=isc")
    links = html.fromstring(response.content).find_class("downloads")[0].iter("a")
    assert [(link.text, link.get("href")) for link in links][2:] == [
        ("RIS", "/fr/instruments/export.ris?body=isc"),
        ("BibTeX", "/fr/instruments/export.bib?body=isc"),
        ("CSL-JSON", "/fr/instruments/export.csl.json?body=isc"),
    ]
    [entry] = rispy.loads(download(client.get, "/fr/instruments/export.ris?body=isc", ""))
    assert entry["publisher"] == CATALOGUE["fr"]


@pytest.mark.parametrize(
    ("name", "content_type"), [("export.ris", "text/plain"), ("export.csl.json", "application/json")]
)
def test_bad_filters_are_refused_with_a_clear_message(client, name, content_type):
    response = client.get(f"/en/events/{name}?year=soon")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(content_type)
    assertContains(response, "Nothing was exported: these filters are not valid.", status_code=400)


def test_list_files_are_rate_limited_as_the_exports(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "exports": "2/m"}
    caches[settings.RATELIMIT_USE_CACHE].clear()
    statuses = [client.get(f"/en/events/export.{suffix}").status_code for suffix in ("ris", "bib", "csl.json")]
    assert statuses == [200, 200, 429]
    # A record's file is no costlier than its page.
    assert client.get("/en/events/isc-15/cite.ris").status_code == 200


def test_a_kind_of_record_without_its_citation_fails_the_system_check(monkeypatch):
    monkeypatch.delitem(registry._registry, "instruments.Instrument")
    errors = checks.run_checks()
    assert [error.id for error in errors if error.id.startswith("citations.")] == ["citations.E001"]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(url).streaming_content)
    return len(queries)


def test_a_list_file_reads_as_many_queries_for_one_record_as_for_all(client):
    queries_of(client, "/en/events/export.bib")
    assert queries_of(client, "/en/events/export.bib?body=pc") == queries_of(client, "/en/events/export.bib")
