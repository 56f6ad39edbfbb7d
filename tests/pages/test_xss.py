"""
What staff type is shown as text, never run: markup, scripts and quoting breakers in every
text field of every kind of record come out escaped on every public page that shows them,
in both languages, and exactly as typed in the feeds, calendars, exports and API. Addresses
that are not the web's (javascript:, data:, vbscript:) are refused, and never made a link
even when one is in the database. A payload in the address of a page is never reflected
as markup, and no page links off the site because of the address it was asked for.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from bodies.models import Body
from events.filters import EventFilter
from events.models import Participation, Role
from instruments.filters import InstrumentFilter
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
from tests.fetching import fetched_once
from uncac.models import Chapter

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Each at most 40 characters, so that it fits the shortest text fields whole.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><svg onload=alert(1)>",
    "javascript:alert(1)",
    '{{ 7|add:1 }}{% now "Y" %}${7*7}',
    "'';!--\"<XSS>=&{()}",
    "</textarea><script>alert(1)</script>",
    "]]><![CDATA[<script>alert(1)</script>",
]
PAYLOAD_IDS = ["script", "img-onerror", "close-title", "javascript-text", "template", "quotes", "textarea", "cdata"]
# The word the search finds the records by: it is in every long text, outside the payload.
SEARCH_WORD = "Xylophone"

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "ping", "data"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
URL_IDS = ["javascript", "mixed-case", "leading-space", "tab", "javascript-authority", "data", "vbscript"]


@pytest.fixture(autouse=True)
def generous_rate_limits():
    """The rate limits counted as in production, but too high to refuse any of these requests."""
    with override_settings(RATELIMIT_RATES=dict.fromkeys(settings.RATELIMIT_RATES, "1000000/m")):
        yield


# Reading what the site sends


class Markup(HTMLParser):
    """The start tags of a page with their attributes (entities decoded), and the text of its inline scripts."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.inline_scripts = []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        # A JSON-LD data block is never run (linkeddata/schema.py escapes what could close it).
        if tag == "script" and dict(attrs).get("type") != "application/ld+json":
            self._script = []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip():
                self.inline_scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def is_dangerous(url):
    """Whether a browser would run the address, read as browsers do: without leading controls, tabs or newlines."""
    cleaned = re.sub(r"[\t\n\r]", "", (url or "").lstrip("".join(map(chr, range(33)))))
    return cleaned.lower().startswith(DANGEROUS_SCHEMES)


def around(text, part, width=120):
    position = text.find(part)
    return text[max(0, position - width) : position + len(part) + width]


def assert_safe_markup(html, *payloads):
    """No trace of the payloads as markup: never written raw, no event handler, inline script or script address."""
    for payload in payloads:
        if escape(payload) != payload:
            assert payload not in html, around(html, payload)
    markup = Markup(html)
    assert [(tag, name) for tag, attrs in markup.tags for name, _value in attrs if name.startswith("on")] == []
    assert markup.inline_scripts == []
    assert [
        (tag, name, value)
        for tag, attrs in markup.tags
        for name, value in attrs
        if name in URL_ATTRIBUTES and is_dangerous(value)
    ] == []


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def html_of(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def in_language(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


# The records


@dataclass
class Hostile:
    """
    A payload (named `name`) in every text field of a small catalogue of its own: what the long
    text fields hold in each language (`text`), the event at its heart, and the numbers of its
    UNCAC chapter and article. Its records' slugs end in its name.
    """

    name: str
    payload: str
    text: dict
    event: object
    chapter: int
    article: int

    def slug(self, record):
        return hostile_slug(record, self.name)


def hostile_slug(record, name):
    return f"hostile-{record}-{name}"


def fill_catalogue(name, payload, chapter_number, article_number):
    en, fr = f"{SEARCH_WORD} {payload}", f"{SEARCH_WORD} fr {payload}"
    chapter, _created = Chapter.objects.get_or_create(number=chapter_number, defaults={"title": en})
    chapter.title_en, chapter.title_fr = en, fr
    chapter.save()
    article = make_article(number=article_number, chapter=chapter, title=en, title_fr=fr)
    body = make_body(
        en,
        name_fr=fr,
        slug=hostile_slug("body", name),
        short_name=payload,
        short_name_fr=payload,
        description=en,
        description_fr=fr,
        website="https://www.example.org/",
    )
    unit = make_body(en, name_fr=fr, slug=hostile_slug("unit", name), parent=body, short_name=payload)
    participant = make_body(en, name_fr=fr, slug=hostile_slug("participant", name))
    topic = make_topic(en, name_fr=fr, slug=hostile_slug("topic", name), description=en, description_fr=fr)
    series = make_series(body=body, name=en, name_fr=fr, slug=hostile_slug("series", name))
    source = make_source(title=en, note=en, note_fr=fr, publisher=body)
    instrument = make_instrument(
        en,
        title_fr=fr,
        slug=hostile_slug("instrument", name),
        short_name=payload,
        short_name_fr=payload,
        description=en,
        description_fr=fr,
        platform=en,
        issuing_body=unit,
        year_adopted=2019,
        is_featured=True,
        url="https://www.example.org/guide",
        topics=[topic],
        uncac_articles=[article],
        sources=[source],
    )
    texts = {"title": en, "title_fr": fr, "summary": en, "summary_fr": fr, "city": en, "city_fr": fr, "country": "FR"}
    event = make_event(
        start="2019-06-03",
        end="2019-06-05",
        slug=hostile_slug("event", name),
        bodies=[body],
        series=series,
        session_number=1,
        topics=[topic],
        instruments=[instrument],
        uncac_articles=[article],
        sources=[source],
        **texts,
    )
    Participation.objects.create(event=event, body=participant, role=Role.OBSERVER, note=en, note_fr=fr)
    # The next session, so that the event's page names its neighbour in the series.
    make_event(
        start="2020-06-03",
        slug=hostile_slug("next", name),
        bodies=[unit],
        series=series,
        session_number=2,
        topics=[topic],
        **texts,
    )
    return Hostile(name, payload, {"en": en, "fr": fr}, event, chapter_number, article_number)


# The payloads that break out of each context (an element, an attribute, the title, a CDATA
# section) and a template's syntax, put in the whole catalogue: the others only in the address.
CATALOGUE_PAYLOADS = ["img-onerror", "close-title", "template", "cdata"]


def fill_catalogues():
    """One hostile catalogue for each payload, side by side: the lists show them all, each record's page one."""
    return [
        fill_catalogue(name, PAYLOADS[PAYLOAD_IDS.index(name)], chapter_number=2 + n, article_number=7 + n)
        for n, name in enumerate(CATALOGUE_PAYLOADS)
    ]


hostiles = built_once(fill_catalogues, scope="class")


# A page that several tests of the hostile records read is fetched once.
get = fetched_once("hostiles", scope="class")


def shared_pages(language):
    """The public pages that show the records of every hostile catalogue, in `language`."""
    events = in_language(language, "events:list")
    return [
        in_language(language, "home"),
        events,
        f"{events}?q={SEARCH_WORD}",
        in_language(language, "instruments:list"),
        in_language(language, "bodies:list"),
        in_language(language, "topics:list"),
        in_language(language, "uncac:index"),
        f"{in_language(language, 'search')}?q={SEARCH_WORD}",
        in_language(language, "timeline"),
    ]


def own_pages(hostile, language):
    """The public pages that show the records of one hostile catalogue, in `language`."""
    body, topic, series = hostile.slug("body"), hostile.slug("topic"), hostile.slug("series")
    chapter, article = hostile.chapter, hostile.article
    events = in_language(language, "events:list")
    instruments = in_language(language, "instruments:list")
    return [
        f"{events}?body={body}&topic={topic}&series={series}&article={article}&chapter={chapter}&country=FR",
        in_language(language, "events:detail", slug=hostile.slug("event")),
        in_language(language, "events:detail", slug=hostile.slug("next")),
        f"{instruments}?q={SEARCH_WORD}&body={body}&topic={topic}&article={article}",
        in_language(language, "instruments:detail", slug=hostile.slug("instrument")),
        in_language(language, "bodies:detail", slug=body),
        in_language(language, "bodies:detail", slug=hostile.slug("unit")),
        in_language(language, "bodies:detail", slug=hostile.slug("participant")),
        in_language(language, "topics:detail", slug=topic),
        in_language(language, "uncac:chapter", number=chapter),
        in_language(language, "uncac:article", number=article),
    ]


# Feeds


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ET.fromstring(content(response))  # Well-formed, or this raises.
    assert all(element.tag.startswith(ATOM) for element in feed.iter()), url
    return feed


# Calendars


def read_calendar(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def calendar_name(calendar):
    """X-WR-CALNAME, a text like SUMMARY, which the parser leaves escaped (RFC 5545, 3.3.11) as it does not know it."""
    escaped = calendar["x-wr-calname"].to_ical().decode()
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), escaped)


def categories(component):
    values = component.get("categories")
    values = values if isinstance(values, list) else [values]
    return [str(name) for value in values for name in value.cats]


def test_a_line_break_in_a_text_adds_no_line_to_a_calendar(client):
    injected = "\r\nATTENDEE:mailto:someone@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected"
    make_event(f"Annual meeting{injected}", slug="broken", city=f"Brussels{injected}", summary=f"A summary.{injected}")

    response = client.get(reverse("events:event_calendar", kwargs={"slug": "broken"}))
    calendar = read_calendar(response)

    [event] = calendar.walk("VEVENT")
    assert "ATTENDEE" not in event
    assert "Injected" in str(event["summary"])
    lines = response.content.decode().splitlines()
    assert [line for line in lines if line.startswith(("ATTENDEE", "BEGIN:VEVENT", "SUMMARY:Injected"))] == [
        "BEGIN:VEVENT"
    ]


# Exports and the API


def export(client, name, language, file_format):
    response = client.get(in_language(language, f"{name}:export_{file_format}"))
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")
    return content(response).decode("utf-8")


def csv_rows(text):
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))}


def api(client, path, language):
    response = client.get(path, {"lang": language})
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


class TestHostileRecords:
    """
    Every page, feed, calendar, export and API answer that shows the hostile records: the
    catalogue of each payload, all of them side by side, each checked in turn.
    """

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_every_page_shows_the_texts_escaped(self, get, hostiles, language):
        pages = [(url, hostiles) for url in shared_pages(language)]
        pages += [(url, [hostile]) for hostile in hostiles for url in own_pages(hostile, language)]
        for url, shown in pages:
            html = html_of(get(url))

            for hostile in shown:
                assert escape(hostile.payload) in html, f"{hostile.name}: {url}"  # Shown, as text.
            assert_safe_markup(html, *(hostile.payload for hostile in hostiles))

    def test_the_page_title_and_description_hold_the_text_once_escaped(self, get, hostiles):
        for hostile in hostiles:
            html = html_of(get(hostile.event.get_absolute_url()))

            title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
            description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
            assert title.startswith(escape(hostile.text["en"])), hostile.name
            assert escape(hostile.text["en"]) in description, hostile.name
            assert "&amp;lt;" not in title + description, hostile.name  # Escaped once, not twice.

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_feeds_are_well_formed_and_hold_the_exact_texts(self, client, hostiles, language):
        def entries_hold_the_exact_texts(feed, shown, url):
            entries = feed.findall(f"{ATOM}entry")
            by_title = {hostile.text[language]: hostile for hostile in shown}
            titles = [entry.findtext(f"{ATOM}title") for entry in entries]
            for hostile in shown:
                assert hostile.text[language] in titles, f"{hostile.name}: {url}"
            for entry, title in zip(entries, titles, strict=True):
                assert title in by_title, (url, title)
                hostile = by_title[title]
                summary = entry.findtext(f"{ATOM}summary")
                assert escape(hostile.payload) in summary, f"{hostile.name}: {url}"
                assert_safe_markup(summary, *(each.payload for each in hostiles))
                terms = [category.get("term") for category in entry.findall(f"{ATOM}category")]
                assert terms == [title], f"{hostile.name}: {url}"
                assert not any(is_dangerous(link.get("href")) for link in entry.findall(f"{ATOM}link")), url

        for name in ("events:feed", "instruments:feed"):
            url = in_language(language, name)
            entries_hold_the_exact_texts(read_feed(client, url), hostiles, url)
        for hostile in hostiles:
            url = in_language(language, "bodies:feed", slug=hostile.slug("body"))
            body_feed = read_feed(client, url)
            entries_hold_the_exact_texts(body_feed, [hostile], url)
            title = body_feed.findtext(f"{ATOM}title")
            assert title.startswith(f"{hostile.text[language]} ({hostile.payload})"), hostile.name
            url = in_language(language, "topics:feed", slug=hostile.slug("topic"))
            entries_hold_the_exact_texts(read_feed(client, url), [hostile], url)

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_calendars_hold_the_exact_texts(self, client, hostiles, language):
        every = read_calendar(client.get(in_language(language, "events:calendar")))

        # Each catalogue's event and the next in its series.
        summaries = sorted(str(event["summary"]) for event in every.walk("VEVENT"))
        assert summaries == sorted(hostile.text[language] for hostile in hostiles for _session in (1, 2))
        for hostile in hostiles:
            expected = hostile.text[language]
            of_body = read_calendar(
                client.get(f"{in_language(language, 'events:calendar')}?body={hostile.slug('body')}")
            )
            one = read_calendar(client.get(in_language(language, "events:event_calendar", slug=hostile.slug("event"))))

            assert sorted(str(event["summary"]) for event in of_body.walk("VEVENT")) == [expected, expected]
            assert hostile.payload in calendar_name(of_body), hostile.name
            assert calendar_name(one) == expected
            [event] = one.walk("VEVENT")
            assert str(event["summary"]) == expected
            assert str(event["location"]).startswith(f"{expected}, ")
            assert expected in str(event["description"])
            assert hostile.payload in str(event["description"]), hostile.name  # The convening body's short name.
            assert categories(event) == [expected]

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_exports_hold_the_exact_texts(self, client, hostiles, language):
        for file_format in ("csv", "json"):
            events_text = export(client, "events", language, file_format)
            instruments_text = export(client, "instruments", language, file_format)
            if file_format == "csv":
                events, instruments = csv_rows(events_text), csv_rows(instruments_text)
            else:
                events = {record["slug"]: record for record in json.loads(events_text)}
                instruments = {record["slug"]: record for record in json.loads(instruments_text)}

            for hostile in hostiles:
                expected, payload = hostile.text[language], hostile.payload
                event, instrument = events[hostile.slug("event")], instruments[hostile.slug("instrument")]
                assert {name: event[name] for name in ("title", "city", "series", "summary")} == {
                    "title": expected,
                    "city": expected,
                    "series": expected,
                    "summary": expected,
                }
                assert {name: instrument[name] for name in ("title", "short_name", "description", "platform")} == {
                    "title": expected,
                    "short_name": payload,
                    "description": expected,
                    "platform": hostile.text["en"],  # Not translated.
                }
                if file_format == "json":
                    assert event["convening_bodies"] == [f"{expected} ({payload})"]
                    assert event["topics"] == event["instruments"] == [expected]
                    assert instrument["issuing_body"] == f"{expected} ({payload})"
                else:
                    assert event["convening_bodies"] == f"{expected} ({payload})"
                    assert event["topics"] == event["instruments"] == expected

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_api_holds_the_exact_texts(self, client, hostiles, language):
        listed = api(client, "/api/events/", language)["results"]

        # Each catalogue's event and the next in its series.
        titles = sorted(record["title"] for record in listed)
        assert titles == sorted(hostile.text[language] for hostile in hostiles for _session in (1, 2))
        for hostile in hostiles:
            expected, payload = hostile.text[language], hostile.payload
            event = api(client, f"/api/events/{hostile.slug('event')}/", language)
            instrument = api(client, f"/api/instruments/{hostile.slug('instrument')}/", language)
            body = api(client, f"/api/bodies/{hostile.slug('body')}/", language)
            topic = api(client, f"/api/topics/{hostile.slug('topic')}/", language)
            article = api(client, f"/api/uncac/articles/{hostile.article}/", language)

            assert (event["title"], event["city"], event["summary"], event["series"]["name"]) == (expected,) * 4
            assert [(b["name"], b["short_name"]) for b in event["convening_bodies"]] == [(expected, payload)]
            assert [(p["body"]["name"], p["note"]) for p in event["participants"]] == [(expected, expected)]
            assert [(s["title"], s["note"]) for s in event["sources"]] == [(hostile.text["en"], expected)]
            assert [t["name"] for t in event["topics"]] == [expected]
            assert (instrument["title"], instrument["short_name"], instrument["description"]) == (
                expected,
                payload,
                expected,
            )
            assert instrument["platform"] == hostile.text["en"]
            assert (body["name"], body["short_name"], body["description"]) == (expected, payload, expected)
            assert (topic["name"], topic["description"]) == (expected, expected)
            assert (article["title"], article["chapter"]["title"]) == (expected, expected)


# Spreadsheet formulas in the CSV exports

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    '=HYPERLINK("https://example.org","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


FORMULA_IDS = ["equals", "plus", "minus", "at", "tab", "carriage-return"]


def test_a_csv_cell_that_a_spreadsheet_would_run_is_made_text(client):
    """Each formula in every text of records of its own, the files read once for them all."""
    for name, formula in zip(FORMULA_IDS, FORMULAS, strict=True):
        body = make_body(formula, slug=f"formula-body-{name}", short_name="FX")
        topic = make_topic(formula, slug=f"formula-topic-{name}")
        instrument = make_instrument(
            formula,
            slug=f"formula-instrument-{name}",
            short_name=formula[:60],
            description=formula,
            platform=formula[:100],
            issuing_body=body,
            topics=[topic],
        )
        # Not an address a form would take, but what the database holds is what the file says.
        Instrument.objects.filter(pk=instrument.pk).update(url=formula)
        make_event(
            formula,
            slug=f"formula-event-{name}",
            city=formula[:100],
            summary=formula,
            bodies=[body],
            topics=[topic],
            instruments=[instrument],
            series=make_series(body=body, name=formula, slug=f"formula-series-{name}"),
            session_number=1,
        )

    events = csv_rows(export(client, "events", "en", "csv"))
    instruments = csv_rows(export(client, "instruments", "en", "csv"))
    json_events = {record["slug"]: record for record in json.loads(export(client, "events", "en", "json"))}

    for name, formula in zip(FORMULA_IDS, FORMULAS, strict=True):
        label = f"{formula} (FX)"
        event_row, instrument_row = events[f"formula-event-{name}"], instruments[f"formula-instrument-{name}"]
        for row in (event_row, instrument_row):
            assert [column for column, cell in row.items() if cell.startswith(FORMULA_TRIGGERS)] == [], name
        for column in ("title", "city", "summary", "series", "topics", "instruments"):
            assert event_row[column] == f"'{formula}", (name, column)
        for column in ("title", "description", "topics", "link"):
            assert instrument_row[column] == f"'{formula}", (name, column)
        assert event_row["convening_bodies"] == instrument_row["issuing_body"] == f"'{label}", name
        # JSON is not a spreadsheet: the text as it is.
        assert json_events[f"formula-event-{name}"]["title"] == formula, name


# Addresses that are not the web's

URL_FIELDS = [(Source, "url"), (Instrument, "url"), (Body, "website")]
URL_FIELD_IDS = ["source-url", "instrument-url", "body-website"]


def record_with_url(model, url):
    if model is Source:
        return make_source(url=url)
    if model is Instrument:
        return make_instrument(url=url)
    return make_body(website=url)


@pytest.mark.parametrize(("model", "field"), URL_FIELDS, ids=URL_FIELD_IDS)
def test_validation_refuses_an_address_a_browser_would_run(model, field):
    record = record_with_url(model, "https://www.example.org/page")
    record.full_clean()  # Valid with a web address...

    for url in DANGEROUS_URLS:
        setattr(record, field, url)
        with pytest.raises(ValidationError) as refused:
            record.full_clean()

        assert field in refused.value.message_dict, url  # ...and not with any of these.


def test_an_address_a_browser_would_run_is_never_a_link_even_from_the_database(client):
    """Each address in a body, a source and an instrument of its own, all of them linked from one event."""
    linked = {}
    for name in URL_IDS:
        source = make_source(title=f"Linked source {name}", url=f"https://www.example.org/news/{name}")
        linked[name] = (
            make_body(f"Linked council {name}", slug=f"linked-body-{name}", website="https://www.example.org/"),
            source,
            make_instrument(
                f"Linked guide {name}",
                slug=f"linked-instrument-{name}",
                url="https://www.example.org/guide",
                sources=[source],
            ),
        )
    bodies, sources, instruments = zip(*linked.values(), strict=True)
    make_event("Linked meeting", slug="linked-event", bodies=bodies, sources=sources, instruments=instruments)
    stored = []
    for name, url in zip(URL_IDS, DANGEROUS_URLS, strict=True):
        body, source, instrument = linked[name]
        try:
            with transaction.atomic():
                Source.objects.filter(pk=source.pk).update(url=url)
                Instrument.objects.filter(pk=instrument.pk).update(url=url)
                Body.objects.filter(pk=body.pk).update(website=url)
        except IntegrityError:
            continue  # The database itself refuses such an address: it can reach no page.
        stored.append(url)

    # In the default language only: the addresses are not translated, and every language's pages link them alike.
    language = settings.LANGUAGE_CODE
    pages = [
        in_language(language, "events:detail", slug="linked-event"),
        *(in_language(language, "instruments:detail", slug=f"linked-instrument-{name}") for name in URL_IDS),
        *(in_language(language, "bodies:detail", slug=f"linked-body-{name}") for name in URL_IDS),
        in_language(language, "events:list"),
        in_language(language, "instruments:list"),
        in_language(language, "bodies:list"),
        in_language(language, "home"),
    ]
    for page in pages:
        links = [
            (tag, name, value)
            for tag, attrs in Markup(html_of(client.get(page))).tags
            for name, value in attrs
            if name in URL_ATTRIBUTES and is_dangerous(value)
        ]
        assert links == [], page
    for feed in [in_language(language, "events:feed"), in_language(language, "instruments:feed")]:
        text = content(client.get(feed)).decode()
        for url in stored:
            assert url not in text, (feed, url)


# The address of the request


# Every parameter of the lists' filters, so that a new facet is tried too, and the page number.
REFLECTED_PARAMETERS = sorted({*EventFilter.base_filters, *InstrumentFilter.base_filters, "page"})
ADDRESS_PAYLOADS = [PAYLOADS[PAYLOAD_IDS.index(name)] for name in CATALOGUE_PAYLOADS]
# The payloads one after another, so that one request carries them all: 131 characters, which a search may hold.
EVERY_PAYLOAD = " ".join(ADDRESS_PAYLOADS)


@pytest.fixture
def small_catalogue():
    body = make_body("Integrity council", slug="council")
    make_event("Annual meeting", slug="annual-meeting", bodies=[body], topics=[make_topic("Ethics", slug="ethics")])
    make_instrument("Integrity guide", issuing_body=body)


def test_a_payload_in_the_address_is_never_reflected_as_markup(client, small_catalogue):
    """
    Each parameter and address is asked once with every payload in it, one after another: the
    search is read as one (and its results shown), and the other parameters refuse or ignore
    any of them, alone as together. But the page number, which a 404 message shortens to its
    first characters: it is asked once with each payload.
    """
    every = EVERY_PAYLOAD
    lists = [reverse("events:list"), reverse("instruments:list")]
    searches = [(url, {"q": every}) for url in [*lists, reverse("search")]]
    requests = [(url, {name: every}) for url in lists for name in REFLECTED_PARAMETERS if name not in {"q", "page"}]
    requests += [(url, {"page": payload}) for url in lists for payload in ADDRESS_PAYLOADS]
    requests += [(url, {every: "1"}) for url in lists]
    requests += [(reverse("search"), {"page": every})]
    for url in [reverse("home"), reverse("events:detail", kwargs={"slug": "annual-meeting"}), reverse("timeline")]:
        requests += [(url, {"q": every}), (url, {every: every})]
    requests += [("/en/events/no-such-event/", {"q": every}), (f"/en/{quote(every, safe='')}/", {"q": every})]
    files = [reverse(name) for name in ("events:export_csv", "events:export_json", "events:calendar")]
    files += ["/api/events/", "/api/instruments/"]

    for url, query in searches:
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
        assert_safe_markup(response.content.decode(), *ADDRESS_PAYLOADS)
    for url, query in requests:
        response = client.get(url, query)
        assert response.status_code in {200, 400, 404}, (url, query)
        assert response["Content-Type"].startswith("text/html")
        assert_safe_markup(response.content.decode(), *ADDRESS_PAYLOADS)
    for url in files:
        for name in ("q", "body", "page", "year"):
            response = client.get(url, {name: every})
            assert response.status_code in {200, 400, 404}, (url, name)
            assert not response["Content-Type"].startswith("text/html"), (url, name)


def leaves_the_site(url):
    """Whether a browser on http://testserver/ would follow the address to another host."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip()).replace("\\", "/")  # Browsers read \ as / in web addresses.
    if cleaned.startswith("//"):
        return True
    parts = urlsplit(cleaned)
    return bool(parts.scheme in {"http", "https"} and parts.netloc != "testserver")


@pytest.mark.parametrize(
    "path",
    ["/%2Fevil.example/", "/%2F%2Fevil.example/", "/%5Cevil.example/?a=1", "/%2F%5Cevil.example/"],
    ids=["two-slashes", "three-slashes", "backslash", "slash-backslash"],
)
def test_the_not_found_page_never_links_to_another_site(client, path):
    response = client.get(path)

    assert response.status_code == 404
    links = [value for tag, attrs in Markup(response.content.decode()).tags for name, value in attrs if name == "href"]
    # But the footer's link to the licence of the data, which the settings give.
    assert [link for link in links if leaves_the_site(link) and link != settings.DATA_LICENCE_URL] == []
