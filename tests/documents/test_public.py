"""
A record's documents as the public sees them: on its page (each text once, with its language
versions, the visitor's language first and the members-only links last), in the API, the
exports, the Atom feeds (enclosures) and the calendars (ATTACH); a draft's nowhere.
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pytest_django.asserts import assertContains

from documents.models import Document, DocumentAccess, DocumentKind
from documents.public import download_label, visible_documents
from publishing.cache import forget_kept
from publishing.models import PublicationStatus
from tests.factories import make_event, make_instrument

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
SIZE_1_2_MB = 1_258_291
ATOM = "{http://www.w3.org/2005/Atom}"


def add_document(record, title, language, title_fr="", url="", **fields):
    """A document of `record`: a 24-page PDF of 1.2 MB uploaded here, or with `url`, an address elsewhere."""
    fields.setdefault("kind", DocumentKind.FULL_TEXT)
    document = Document(record=record, title_en=title, title_fr=title_fr, language=language, url=url, **fields)
    if not url:
        document.media_type = PDF
        document.size = fields.get("size", SIZE_1_2_MB)
        document.page_count = fields.get("page_count", 24)
        document.file.save(f"{language}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


class Catalogue:
    """
    The Revised Arusha Declaration in English and French (files), in Spanish (an address) and
    for members (a link); a guide in French only; a meeting with an agenda, a report elsewhere and
    a members' note; and drafts whose documents must never show.
    """

    def __init__(self):
        self.arusha = make_instrument("Revised Arusha Declaration", slug="arusha")
        self.guide_fr = add_document(
            self.arusha,
            "Integrity Development Guide",
            "fr",
            title_fr="Guide pour le développement de l'éthique",
            kind=DocumentKind.GUIDE,
            size=2048,
            page_count=1,
            position=0,
        )
        self.members = add_document(
            self.arusha,
            "Revised Arusha Declaration",
            "en",
            url="https://members.wcoomd.org/arusha-en",
            access=DocumentAccess.MEMBERS,
            edition="2003",
            position=1,
        )
        self.english = add_document(
            self.arusha,
            "Revised Arusha Declaration",
            "en",
            title_fr="Déclaration d'Arusha révisée",
            edition="2003",
            date=datetime.date(2003, 6, 26),
            position=2,
        )
        self.spanish = add_document(
            self.arusha,
            "Revised Arusha Declaration",
            "es",
            url="https://www.wcoomd.org/arusha-es.pdf",
            edition="2003",
            position=3,
        )
        # The same English title, written a little differently, is the same text.
        self.french = add_document(
            self.arusha,
            "Revised  arusha declaration",
            "fr",
            title_fr="Déclaration d'Arusha révisée",
            edition="2003",
            position=4,
        )

        self.meeting = make_event("Integrity Sub-Committee, 20th session", slug="isc-20", start="2021-03-01")
        self.agenda = add_document(self.meeting, "Agenda", "en", kind=DocumentKind.AGENDA)
        self.report = add_document(
            self.meeting, "Report", "en", kind=DocumentKind.REPORT, url="https://www.wcoomd.org/isc-20-report"
        )
        self.note = add_document(
            self.meeting,
            "Members' note",
            "en",
            kind=DocumentKind.OTHER,
            url="https://members.wcoomd.org/isc-20-note",
            access=DocumentAccess.MEMBERS,
        )

        self.secret_event = make_event("Secret meeting", slug="secret", publication_status=PublicationStatus.DRAFT)
        self.secret_instrument = make_instrument(
            "Secret guide", slug="secret-guide", publication_status=PublicationStatus.IN_REVIEW
        )
        self.secrets = [
            add_document(record, "Hidden paper", "en", url="https://hidden.example.org/paper")
            for record in (self.secret_event, self.secret_instrument)
        ]
        self.secrets += [
            add_document(record, "Hidden file", "en") for record in (self.secret_event, self.secret_instrument)
        ]


@pytest.fixture(scope="module")
def catalogue(storage, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield Catalogue()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def arusha_pages(catalogue, django_db_blocker):
    """The declaration's page in English and in French, as a visitor gets them."""
    client = Client()
    # The French page leaves French active in the thread, for the records built after it: not past here.
    with django_db_blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
        return {language: client.get(f"/{language}/instruments/arusha/") for language in ("en", "fr")}


def shown(groups):
    return [[(document.language, document.access) for document in group] for group in groups]


def documents_section(response):
    content = response.content.decode()
    start = content.index('id="documents-heading"')
    return content[start : content.index("</section>", start)]


def address(document, language="en"):
    with translation.override(language):
        return f"http://testserver{document.get_absolute_url()}"


def test_the_visitors_language_comes_first_and_members_only_links_last(catalogue):
    members = ("en", "members")

    in_english = visible_documents(catalogue.arusha, "en")
    in_french = visible_documents(catalogue.arusha, "fr-ca")

    assert shown(in_english) == [[("en", "public"), ("es", "public"), ("fr", "public"), members], [("fr", "public")]]
    assert shown(in_french) == [[("fr", "public")], [("fr", "public"), ("en", "public"), ("es", "public"), members]]
    assert in_english[0].languages == ["en", "es", "fr"]


def test_the_page_shows_each_text_once_with_its_versions_in_the_visitors_order(arusha_pages):
    english = documents_section(arusha_pages["en"])
    french = documents_section(arusha_pages["fr"])

    assert re.findall(r"<h3>(.*?)</h3>", english) == ["Revised Arusha Declaration", "Integrity Development Guide"]
    assert re.findall(r'hreflang="(\w+)"', english) == ["en", "es", "fr", "en", "fr"]
    assert re.findall(r"<h3>(.*?)</h3>", french) == [
        "Guide pour le développement de l&#x27;éthique",
        "Déclaration d&#x27;Arusha révisée",
    ]
    assert re.findall(r'hreflang="(\w+)"', french) == ["fr", "fr", "en", "es", "en"]
    assert "Full text · 2003" in english
    assert "Texte intégral · 2003" in french
    assert re.findall(r'<span class="document__language">(.*?)</span>', french) == [
        "Français\xa0:",
        "Français\xa0:",
        "Anglais\xa0:",
        "Espagnol\xa0:",
        "Anglais\xa0:",
    ]


def test_a_file_says_its_format_size_and_pages_in_the_pages_language(catalogue, arusha_pages):
    english, french = arusha_pages["en"], arusha_pages["fr"]

    with translation.override("en"):
        href = catalogue.english.get_absolute_url()
    assertContains(
        english, f'<a href="{href}" hreflang="en" type="{PDF}">Download (PDF, 1.2\xa0MB, 24 pages)</a>', html=True
    )
    assertContains(english, '<time datetime="2003-06-26">26 June 2003</time>', html=True)
    assertContains(english, "Download (PDF, 2.0\xa0KB, 1 page)")
    with translation.override("fr"):
        href = catalogue.english.get_absolute_url()
    assertContains(
        french, f'<a href="{href}" hreflang="en" type="{PDF}">Télécharger (PDF, 1,2\xa0Mio, 24 pages)</a>', html=True
    )
    assertContains(french, "Télécharger (PDF, 2,0\xa0Kio, 1 page)")


def test_a_label_leaves_out_what_is_not_known():
    document = Document(media_type=PDF, size=None, page_count=None)

    assert download_label(document) == "Download (PDF)"
    assert download_label(Document()) == "Download"


def test_an_address_says_where_it_leads_and_a_members_only_link_is_never_a_download(arusha_pages):
    english, french = arusha_pages["en"], arusha_pages["fr"]

    assertContains(
        english,
        '<a href="https://www.wcoomd.org/arusha-es.pdf" hreflang="es" rel="external noopener">'
        "read it on wcoomd.org</a>",
        html=True,
    )
    assert re.search(
        r'<strong>WCO Members only</strong>, <a href="https://members.wcoomd.org/arusha-en" hreflang="en" '
        r'rel="external noopener">read it on members.wcoomd.org</a>',
        documents_section(english),
    )
    assertContains(french, "<strong>Réservé aux Membres de l&#x27;OMD</strong>")
    assertContains(french, "à lire sur members.wcoomd.org")
    # Its only address is the one given: no download of the site's own points to it.
    assert documents_section(english).count("/documents/") == 3


def test_the_event_page_lists_its_documents(client, catalogue):
    response = client.get("/en/events/isc-20/")

    with translation.override("en"):
        href = catalogue.agenda.get_absolute_url()
    assertContains(response, f'<a href="{href}" hreflang="en" type="{PDF}">Download (PDF, 1.2\xa0MB, 24 pages)</a>')
    assertContains(response, "read it on wcoomd.org")
    assertContains(response, "read it on members.wcoomd.org")


def test_the_api_gives_each_documents_facts_in_the_responses_order(client, catalogue):
    english = client.get("/api/instruments/arusha/").json()["documents"]
    french = client.get("/api/instruments/arusha/", {"lang": "fr"}).json()["documents"]

    assert english[0] == {
        "kind": "full_text",
        "title": "Revised Arusha Declaration",
        "titles": {"en": "Revised Arusha Declaration", "fr": "Déclaration d'Arusha révisée"},
        "language": "en",
        "language_name": "English",
        "edition": "2003",
        "date": "2003-06-26",
        "format": "PDF",
        "media_type": PDF,
        "size": SIZE_1_2_MB,
        "pages": 24,
        "access": "public",
        "url": address(catalogue.english),
    }
    assert [(document["language"], document["access"]) for document in english] == [
        ("en", "public"),
        ("es", "public"),
        ("fr", "public"),
        ("en", "members"),
        ("fr", "public"),
    ]
    assert english[1]["url"] == "https://www.wcoomd.org/arusha-es.pdf"
    assert (english[1]["format"], english[1]["size"], english[1]["pages"]) == ("", None, None)
    assert english[3]["url"] == "https://members.wcoomd.org/arusha-en"
    assert [document["language"] for document in french] == ["fr", "fr", "en", "es", "en"]
    assert french[1]["title"] == "Déclaration d'Arusha révisée"
    assert french[1]["language_name"] == "Français"
    assert french[1]["url"] == address(catalogue.french, "fr")
    event = client.get("/api/events/isc-20/").json()
    assert [document["kind"] for document in event["documents"]] == ["agenda", "report", "other"]


def test_the_schema_describes_the_documents(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    document = schema["components"]["schemas"]["Document"]["properties"]

    assert {"kind", "title", "titles", "language", "size", "pages", "access", "url"} <= set(document)
    assert schema["components"]["schemas"]["Instrument"]["properties"]["documents"]["items"] == {
        "$ref": "#/components/schemas/Document"
    }


def csv_rows(client, url):
    text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def test_the_exports_have_a_documents_column(client, catalogue):
    rows = csv_rows(client, "/en/instruments/export.csv")
    records = json.loads(b"".join(client.get("/en/instruments/export.json").streaming_content))
    events = csv_rows(client, "/en/events/export.csv")

    assert rows["arusha"]["documents"] == "; ".join(
        [
            address(catalogue.english),
            "https://www.wcoomd.org/arusha-es.pdf",
            address(catalogue.french),
            "https://members.wcoomd.org/arusha-en",
            address(catalogue.guide_fr),
        ]
    )
    [arusha] = [record for record in records if record["slug"] == "arusha"]
    assert arusha["documents"][0]["url"] == address(catalogue.english)
    assert arusha["documents"][0]["pages"] == 24
    assert arusha["documents"][3]["access"] == "members"
    assert events["isc-20"]["documents"].startswith(address(catalogue.agenda))


def test_the_feed_has_an_enclosure_for_each_public_file(client, catalogue):
    feed = ET.fromstring(client.get("/en/instruments/feed/").content)
    [entry] = [
        entry for entry in feed.iter(f"{ATOM}entry") if entry.findtext(f"{ATOM}title") == "Revised Arusha Declaration"
    ]
    enclosures = [link.attrib for link in entry.iter(f"{ATOM}link") if link.get("rel") == "enclosure"]

    assert enclosures == [
        {"rel": "enclosure", "href": address(catalogue.english), "length": str(SIZE_1_2_MB), "type": PDF},
        {"rel": "enclosure", "href": address(catalogue.french), "length": str(SIZE_1_2_MB), "type": PDF},
        {"rel": "enclosure", "href": address(catalogue.guide_fr), "length": "2048", "type": PDF},
    ]


def test_the_calendar_attaches_each_public_document(client, catalogue):
    calendar = client.get("/en/events/isc-20/calendar.ics").content.decode().replace("\r\n ", "")

    assert [line for line in calendar.split("\r\n") if line.startswith("ATTACH")] == [
        f"ATTACH;FMTTYPE={PDF}:{address(catalogue.agenda)}",
        "ATTACH:https://www.wcoomd.org/isc-20-report",
    ]


def test_a_drafts_documents_appear_nowhere(client, catalogue):
    urls = [
        "/en/events/",
        "/en/instruments/",
        "/api/events/",
        "/api/instruments/",
        "/en/events/export.csv",
        "/en/events/export.json",
        "/en/instruments/export.csv",
        "/en/instruments/export.json",
        "/en/events/feed/",
        "/en/instruments/feed/",
        "/en/events/calendar.ics",
    ]
    hidden = ["hidden.example.org", "Hidden", *(f"/documents/{document.pk}/" for document in catalogue.secrets)]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert not [text for text in hidden if text.encode() in content], url
    for url in [
        "/en/events/secret/",
        "/en/instruments/secret-guide/",
        "/api/events/secret/",
        "/api/instruments/secret-guide/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/en/events/secret/calendar.ics").status_code == 404


def count_queries(client, url):
    """The queries of a request answered afresh, the whole of a streamed file read."""
    caches["default"].clear()
    forget_kept()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_query_counts_do_not_grow_with_the_documents(client, catalogue):
    urls = [
        "/en/instruments/arusha/",
        "/en/events/isc-20/",
        "/api/instruments/",
        "/api/events/",
        "/en/instruments/export.json",
        "/en/events/export.csv",
        "/en/instruments/feed/",
        "/en/events/calendar.ics",
    ]
    count_queries(client, urls[0])  # What a process reads once, such as the content types, read before counting.
    few = {url: count_queries(client, url) for url in urls}
    for n in range(4):
        add_document(catalogue.arusha, f"Annex {n}", "de")
        add_document(catalogue.meeting, f"Presentation {n}", "fr", kind=DocumentKind.PRESENTATION)
        other = make_event(f"Another meeting {n}")
        add_document(other, "Minutes", "en", kind=DocumentKind.REPORT)
    many = {url: count_queries(client, url) for url in urls}

    assert many == few
    assertContains(client.get("/en/instruments/arusha/"), "Annex 3")
    assertContains(client.get("/en/events/isc-20/"), "Presentation 3")
