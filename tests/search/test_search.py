"""
Searching the catalogue: what a search finds and in what order, on the lists, the search page
and the API; the words marked in the results; and odd searches, which never cause a server error.
"""

import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from bodies.models import Body, BodyKind
from events.models import Event, Participation, Role
from instruments.models import Instrument
from search.documents import terms
from tests.factories import built_once, make_body, make_event, make_instrument, make_series, make_topic
from tests.fetching import fetched_once
from topics.models import Topic

pytestmark = pytest.mark.django_db

EVENTS = reverse("events:list")
INSTRUMENTS = reverse("instruments:list")
SEARCH = reverse("search")
API_EVENTS = "/api/events/"
API_INSTRUMENTS = "/api/instruments/"

POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's full text search")
sqlite_only = pytest.mark.skipif(POSTGRESQL, reason="the fallback search of other databases")

NULL_MESSAGE = "Null characters are not allowed."
CONTROL_MESSAGE = "The search cannot contain control characters."
TOO_LONG_MESSAGE = "Shorten the search to 200 characters at most (it has 201)."


def listed(client, url, text, **params):
    """The titles a list shows for a search, in order (rendered afresh, to read its context)."""
    caches["default"].clear()
    response = client.get(url, {"q": text, **params})
    assert response.status_code == 200
    return [record.title for record in response.context["object_list"]]


def search_page(client, text):
    """The search page for `text` (rendered afresh, to read its context)."""
    caches["default"].clear()
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    return response


def group_titles(page, kind):
    """The titles of one kind that a search page shows, in order."""
    group = next(group for group in page.context["groups"] if group["kind"] == kind)
    return [record.title for record in group["records"]]


def on_search_page(client, text, kind):
    """The titles of one kind that the search page shows, in order."""
    return group_titles(search_page(client, text), kind)


def html(response):
    return response.content.decode()


def from_api(client, url, text, **params):
    response = client.get(url, {"q": text, **params})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def found_everywhere(client, text, page=None):
    """
    The events a search finds on the list, the search page and the API, which must agree.
    `page`: the search page for `text`, when the test has it already.
    """
    on_list = listed(client, EVENTS, text)
    assert group_titles(page or search_page(client, text), "events") == on_list[:5], text
    assert from_api(client, API_EVENTS, text) == on_list, text
    return on_list


# What a search finds


def whistleblowing():
    """The topic "Whistleblowing", of an event and an instrument below (a topic's name is unique)."""
    return Topic.objects.filter(name="Whistleblowing").first() or make_topic("Whistleblowing")


# An event and an instrument for each of their texts (the key), holding the words searched below.
EVENTS_BY_TEXT = {
    "title": {"title": "Border bribery workshop"},
    "summary": {"summary": "Officers discussed bribery at the border."},
    "body-name": {"bodies": lambda: [make_body("Regional Integrity Academy")]},
    "body-short-name": {"bodies": lambda: [make_body("Regional Integrity Academy", short_name="RIACA")]},
    "topic": {"topics": lambda: [whistleblowing()]},
    "series": {"series": lambda: make_series(name="Integrity Roundtables"), "session_number": 1},
    "city": {"city": "Brussels"},
    "french-title": {"title_fr": "Atelier sur la déontologie"},
    "french-summary": {"summary_fr": "Les agents ont parlé de déontologie."},
    "french-body-name": {"bodies": lambda: [make_body("Customs Academy", name_fr="Académie des douanes")]},
    "french-topic": {"topics": lambda: [make_topic("Codes of conduct", name_fr="Codes de déontologie")]},
}
INSTRUMENTS_BY_TEXT = {
    "title": {"title": "Guide to bribery risks"},
    "short-name": {"short_name": "GBR"},
    "description": {"description": "How to spot bribery."},
    "body-name": {"issuing_body": lambda: make_body("Regional Integrity Academy")},
    "body-short-name": {"issuing_body": lambda: make_body("Regional Integrity Academy", short_name="RIACA")},
    "topic": {"topics": lambda: [whistleblowing()]},
    "platform": {"platform": "CLiKC!"},
    "french": {"description_fr": "Reconnaître la déontologie."},
}
# Each search, with the events and the instruments it finds: those of the texts named.
SEARCHES_OF_EACH_TEXT = [
    ("bribery", ["title", "summary"], ["title", "description"]),
    ("academy", ["body-name", "body-short-name", "french-body-name"], ["body-name", "body-short-name"]),
    ("riaca", ["body-short-name"], ["body-short-name"]),
    ("whistleblowing", ["topic"], ["topic"]),
    ("roundtables", ["series"], []),
    ("brussels", ["city"], []),
    ("déontologie", ["french-title", "french-summary", "french-topic"], ["french"]),
    ("académie", ["french-body-name"], []),
    ("gbr", [], ["short-name"]),
    ("clikc", [], ["platform"]),
]


def build_a_record_for_each_text():
    """
    {text: title} of the events and of the instruments of EVENTS_BY_TEXT and INSTRUMENTS_BY_TEXT;
    and drafts and scheduled records, which the same words must never find.
    """

    def made(make, title, fields):
        return make(
            **{"title": title, **{name: value() if callable(value) else value for name, value in fields.items()}}
        )

    events = {
        text: made(make_event, f"Annual meeting ({text})", fields).title for text, fields in EVENTS_BY_TEXT.items()
    }
    instruments = {
        text: made(make_instrument, f"Handbook ({text})", fields).title for text, fields in INSTRUMENTS_BY_TEXT.items()
    }
    make_event("Unrelated meeting")
    make_instrument("Unrelated handbook")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    make_event("Bribery draft", publication_status="draft")
    make_event("Bribery in review", publication_status="in_review")
    make_event("Bribery scheduled", publish_at=tomorrow)
    make_instrument("Bribery draft guide", publication_status="draft")
    make_instrument("Bribery scheduled guide", publish_at=tomorrow)
    return events, instruments


a_record_for_each_text = built_once(build_a_record_for_each_text, scope="class")


# Each address the class's tests read, fetched once for the class: they only read.
get = fetched_once("a_record_for_each_text", scope="class")


@pytest.fixture(scope="class")
def fetched(get):
    """`fetched(url, text)`: the answer to a search of `text` at `url`, which must be a 200."""

    def search(url, text):
        response = get(f"{url}?{urlencode({'q': text})}")
        assert response.status_code == 200, (url, text)
        return response

    return search


def titles_of(response):
    """The titles a list (its context) or the API (its JSON) shows, in order."""
    if response.context is not None:
        return [record.title for record in response.context["object_list"]]
    return [item["title"] for item in response.json()["results"]]


@pytest.mark.usefixtures("a_record_for_each_text")
class TestWhatEachTextFinds:
    def test_a_record_is_found_by_each_of_its_texts_in_either_language(self, a_record_for_each_text, fetched):
        """Each text of an event or an instrument finds it on the lists, the search page, the API."""
        events, instruments = a_record_for_each_text

        for text, event_texts, instrument_texts in SEARCHES_OF_EACH_TEXT:
            page = fetched(SEARCH, text)
            expected = sorted(events[name] for name in event_texts)
            assert sorted(group_titles(page, "events")) == expected, f"events found by {text!r}"
            if expected:
                on_list = titles_of(fetched(EVENTS, text))
                assert sorted(on_list) == expected, f"events listed for {text!r}"
                assert group_titles(page, "events") == on_list[:5], f"events found by {text!r}"
                assert titles_of(fetched(API_EVENTS, text)) == on_list, f"events of the API for {text!r}"
            expected = sorted(instruments[name] for name in instrument_texts)
            assert sorted(group_titles(page, "instruments")) == expected, f"instruments found by {text!r}"
            if expected:
                on_list = titles_of(fetched(INSTRUMENTS, text))
                assert sorted(on_list) == expected, f"instruments listed for {text!r}"
                assert group_titles(page, "instruments") == on_list, f"instruments found by {text!r}"
                assert titles_of(fetched(API_INSTRUMENTS, text)) == on_list, f"instruments of the API for {text!r}"

    def test_drafts_and_scheduled_records_are_never_found(self, a_record_for_each_text, fetched):
        events, instruments = a_record_for_each_text
        page = fetched(SEARCH, "bribery")

        public_events = sorted([events["title"], events["summary"]])
        assert sorted(titles_of(fetched(EVENTS, "bribery"))) == public_events
        assert sorted(group_titles(page, "events")) == public_events
        assert sorted(titles_of(fetched(API_EVENTS, "bribery"))) == public_events
        public_instruments = sorted([instruments["title"], instruments["description"]])
        assert sorted(titles_of(fetched(INSTRUMENTS, "bribery"))) == public_instruments
        assert sorted(group_titles(page, "instruments")) == public_instruments
        assert sorted(titles_of(fetched(API_INSTRUMENTS, "bribery"))) == public_instruments
        assertContains(page, "4 results for “bribery”")
        for hidden in ("Bribery draft", "Bribery in review", "Bribery scheduled"):
            assertNotContains(page, hidden)


def test_every_word_must_be_found(client):
    make_event("Bribery at the border")
    make_event("Bribery in ports")
    make_event("Border management")

    assert found_everywhere(client, "border bribery") == ["Bribery at the border"]


def test_a_quoted_phrase_is_found_only_with_its_words_together(client):
    make_event("Asset recovery network", start="2020-01-01")
    make_event("Recovery of a stolen asset", start="2021-01-01")

    assert found_everywhere(client, '"asset recovery"') == ["Asset recovery network"]
    assert found_everywhere(client, "asset recovery") == ["Recovery of a stolen asset", "Asset recovery network"]


# Order


def test_a_title_match_ranks_above_a_summary_match_above_a_participant_match(client):
    # Newest first would give the reverse order: only the rank can give the expected one.
    make_event("Smuggling conference", start="2018-01-01")
    make_event("Annual meeting", start="2019-01-01", summary="Smuggling routes were discussed.")
    make_event(
        "Regional forum", start="2020-01-01", participants=[(make_body("Smuggling Observatory"), Role.OBSERVER)]
    )
    make_event("Unrelated forum", start="2021-01-01")

    assert found_everywhere(client, "smuggling") == ["Smuggling conference", "Annual meeting", "Regional forum"]


def test_an_instrument_title_match_ranks_above_a_description_match_above_a_platform_match(client):
    # Instruments are listed by title otherwise: "A…", "B…", "C…" is the reverse of the expected order.
    make_instrument("Course catalogue", platform="Smuggling Academy")
    make_instrument("Basic guide", description="Smuggling routes explained.")
    make_instrument("A smuggling handbook")

    expected = ["A smuggling handbook", "Basic guide", "Course catalogue"]
    assert listed(client, INSTRUMENTS, "smuggling") == expected
    assert on_search_page(client, "smuggling", "instruments") == expected
    assert from_api(client, API_INSTRUMENTS, "smuggling") == expected


def test_the_list_sorts_a_search_by_relevance_unless_told_otherwise(client):
    make_event("Smuggling conference", start="2018-01-01")
    make_event("Annual meeting", start="2019-01-01", summary="Smuggling routes were discussed.")

    response = client.get(EVENTS, {"q": "smuggling"})
    newest = client.get(EVENTS, {"q": "smuggling", "sort": "newest"})

    assert [event.title for event in response.context["object_list"]] == ["Smuggling conference", "Annual meeting"]
    assertContains(response, '<option value="relevance" selected>', html=False)
    assert [event.title for event in newest.context["object_list"]] == ["Annual meeting", "Smuggling conference"]
    assertContains(newest, '<option value="newest" selected>', html=False)
    assert from_api(client, API_EVENTS, "smuggling", sort="newest") == ["Annual meeting", "Smuggling conference"]


def test_the_search_is_an_active_filter_whose_removal_drops_the_relevance_sort(client):
    make_event("Bribery at the border", start="2019-03-01")

    response = client.get(EVENTS, {"q": "bribery", "sort": "relevance", "year": "2019"})
    newest = client.get(EVENTS, {"q": "bribery", "sort": "newest"})

    chips = re.findall(
        r'<a class="chip" href="([^"]*)">\s*<span class="chip__facet">([^<]*)</span>\s*([^<]*)<', html(response)
    )
    assert [(href, facet, label.strip()) for href, facet, label in chips] == [
        (f"{EVENTS}?year=2019", "Search:", "“bribery”"),
        (f"{EVENTS}?q=bribery&amp;sort=relevance", "Year:", "2019"),
    ]
    assertContains(newest, f'<a class="chip" href="{EVENTS}?sort=newest">', html=False)
    assert listed(client, EVENTS, "", year="2019") == ["Bribery at the border"]


# Keeping the search up to date as records change


def test_renaming_a_body_or_topic_changes_what_finds_its_records(client):
    body = make_body("Old council")
    topic = make_topic("Old subject")
    make_event("Annual meeting", bodies=[body], topics=[topic])
    make_instrument("Handbook", issuing_body=body)

    body.name = "Transparency Council"
    body.save()
    topic.name = "Whistleblowing"
    topic.save()

    assert found_everywhere(client, "transparency") == ["Annual meeting"]
    assert found_everywhere(client, "whistleblowing") == ["Annual meeting"]
    assert found_everywhere(client, "old") == []
    assert listed(client, INSTRUMENTS, "transparency") == ["Handbook"]


def test_renaming_a_series_changes_what_finds_its_events(client):
    series = make_series(name="Old sessions")
    make_event("Annual meeting", series=series, session_number=1)

    series.name = "Integrity Roundtables"
    series.save()

    assert found_everywhere(client, "roundtables") == ["Annual meeting"]


def test_linking_a_topic_from_either_side_makes_the_record_found_and_unlinking_it_not(client):
    topic = make_topic("Whistleblowing")
    first = make_event("First meeting", start="2019-01-01")
    second = make_event("Second meeting", start="2020-01-01")
    instrument = make_instrument("Handbook")

    first.topics.add(topic)
    topic.events.add(second)
    topic.instruments.add(instrument)
    assert found_everywhere(client, "whistleblowing") == ["Second meeting", "First meeting"]
    assert listed(client, INSTRUMENTS, "whistleblowing") == ["Handbook"]

    first.topics.remove(topic)
    topic.instruments.clear()
    assert found_everywhere(client, "whistleblowing") == ["Second meeting"]
    assert listed(client, INSTRUMENTS, "whistleblowing") == []


def test_adding_and_removing_a_participant_or_convening_body_changes_what_finds_the_event(client):
    event = make_event("Annual meeting")
    observatory = make_body("Smuggling Observatory")
    academy = make_body("Integrity Academy")

    participation = Participation.objects.create(event=event, body=observatory, role=Role.OBSERVER)
    event.convening_bodies.add(academy)
    assert found_everywhere(client, "smuggling") == ["Annual meeting"]
    assert found_everywhere(client, "academy") == ["Annual meeting"]

    participation.delete()
    academy.convened_events.remove(event)
    assert found_everywhere(client, "smuggling") == []
    assert found_everywhere(client, "academy") == []


@postgresql_only
def test_updatesearch_rebuilds_every_search_vector(client):
    make_event("Bribery at the border", topics=[make_topic("Whistleblowing")])
    make_instrument("Bribery guide", publication_status="draft")
    Event.objects.update(search_vector=None)
    Instrument.objects.update(search_vector=None)
    assert found_everywhere(client, "whistleblowing") == []

    output = io.StringIO()
    call_command("updatesearch", stdout=output)

    assert found_everywhere(client, "whistleblowing") == ["Bribery at the border"]
    assert not Event.objects.filter(search_vector=None).exists()
    assert not Instrument.objects.filter(search_vector=None).exists()
    assert "events: 1 search vectors rebuilt." in output.getvalue()


# PostgreSQL: stems and the web search syntax


def build_corruption_and_inspections():
    make_event("Corruption in ports")
    make_event("Inspections at the border")
    make_event("Unrelated meeting")


corruption_and_inspections = built_once(build_corruption_and_inspections, scope="class")


@postgresql_only
@pytest.mark.usefixtures("corruption_and_inspections")
class TestEnglishForms:
    @pytest.mark.parametrize(
        ("title", "text"),
        [("Corruption in ports", "corrupted"), ("Inspections at the border", "inspecting")],
    )
    def test_postgresql_finds_other_forms_of_an_english_word(self, client, title, text):
        response = client.get(EVENTS, {"q": text})

        assert [event.title for event in response.context["object_list"]] == [title]
        first_word = title.split()[0]
        assertContains(response, f"<mark>{first_word}</mark>", html=False)


def build_customs_controls_in_french():
    make_event("Customs controls", title_fr="Contrôles douaniers")
    make_event("Unrelated meeting")


customs_controls_in_french = built_once(build_customs_controls_in_french, scope="class")


@postgresql_only
@pytest.mark.usefixtures("customs_controls_in_french")
class TestFrenchForms:
    @pytest.mark.parametrize("text", ["contrôlé", "douanières"])
    def test_postgresql_finds_other_forms_of_a_french_word(self, client, text):
        # The English stemmer keeps "contrôlé" and "douanières" apart from "contrôles" and "douaniers".
        assert found_everywhere(client, text) == ["Customs controls"]


def build_asset_recovery_and_bribery():
    make_event("Asset recovery network", start="2018-01-01")
    make_event("Recovery of a stolen asset", start="2019-01-01")
    make_event("Customs asset recovery", start="2020-01-01")
    make_event("Bribery at the border", start="2021-01-01")


asset_recovery_and_bribery = built_once(build_asset_recovery_and_bribery, scope="class")


@postgresql_only
@pytest.mark.usefixtures("asset_recovery_and_bribery")
class TestWebSearchSyntax:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('"asset recovery"', ["Customs asset recovery", "Asset recovery network"]),
            ('"asset recovery" -network', ["Customs asset recovery"]),
            ("bribery or network", ["Bribery at the border", "Asset recovery network"]),
            (
                '"asset recovery" or bribery',
                ["Bribery at the border", "Customs asset recovery", "Asset recovery network"],
            ),
        ],
    )
    def test_postgresql_reads_the_web_search_syntax(self, client, text, expected):
        assert sorted(found_everywhere(client, text)) == sorted(expected)


def test_an_excluded_word_is_excluded_in_every_language_whatever_its_stem(client):
    make_event("Corrupt customs officers")
    make_event("Corrupt port officials")

    assert found_everywhere(client, "corrupt -customs") == ["Corrupt port officials"]
    assert found_everywhere(client, 'corrupt -"port officials"') == ["Corrupt customs officers"]
    assert found_everywhere(client, "-customs") == ["Corrupt port officials"]


# The fallback search (SQLite)


def build_bribery_at_the_border_and_in_ports():
    make_event("Bribery at the border")
    make_event("Bribery in ports")


bribery_at_the_border_and_in_ports = built_once(build_bribery_at_the_border_and_in_ports, scope="class")


@sqlite_only
@pytest.mark.usefixtures("bribery_at_the_border_and_in_ports")
class TestFallbackWords:
    @pytest.mark.parametrize(
        "text", ["bribery or border", "(bribery) border!", "bribery, border.", "'bribery' & border"]
    )
    def test_the_fallback_ignores_punctuation_and_operators_and_needs_every_word(self, client, text):
        assert found_everywhere(client, text) == ["Bribery at the border"]


@sqlite_only
def test_the_fallback_does_not_stem(client):
    make_event("Corruption in ports")

    assert found_everywhere(client, "corrupted") == []
    assert found_everywhere(client, "corrupt") == ["Corruption in ports"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bribery  BORDER bribery", ["bribery", "border"]),
        ('"Asset Recovery" customs', ["asset recovery", "customs"]),
        ("-bribery or (border) and not", ["border"]),  # An excluded word is not one to find.
        ('"unbalanced quote', ["unbalanced", "quote"]),
        ("bribery:* & border | <-> !customs", ["bribery", "border", "customs"]),
        ("“bribery” «border»…", ["bribery", "border"]),
        ("it's R&D", ["it's", "r&d"]),
        ("&|!():*<-> ... -", []),
    ],
)
def test_the_fallback_terms_of_a_search(text, expected):
    assert terms(text) == expected


# Highlighting


def build_a_workshop_and_a_guide_on_bribery():
    make_event("Bribery at the border", summary="A workshop on bribery risks.")
    make_instrument("Guide to bribery", description="How bribery is spotted.")


a_workshop_and_a_guide_on_bribery = built_once(build_a_workshop_and_a_guide_on_bribery, scope="class")


@pytest.mark.usefixtures("a_workshop_and_a_guide_on_bribery")
class TestMarks:
    def test_the_list_marks_the_search_in_titles_and_excerpts(self, client):
        events = client.get(EVENTS, {"q": "bribery"})
        instruments = client.get(INSTRUMENTS, {"q": "bribery"})

        assertContains(events, "<mark>Bribery</mark> at the border</a>", html=False)
        assertContains(events, '<p class="card__excerpt">A workshop on <mark>bribery</mark> risks.</p>', html=False)
        assertContains(instruments, "Guide to <mark>bribery</mark></a>", html=False)
        assertContains(instruments, '<p class="card__excerpt">How <mark>bribery</mark> is spotted.</p>', html=False)

    def test_the_search_page_marks_the_search_in_titles_and_excerpts(self, client):
        response = client.get(SEARCH, {"q": "bribery"})

        assertContains(response, "<mark>Bribery</mark> at the border</a>", html=False)
        assertContains(response, "A workshop on <mark>bribery</mark> risks.", html=False)
        assertContains(response, "Guide to <mark>bribery</mark></a>", html=False)
        assertContains(response, "How <mark>bribery</mark> is spotted.", html=False)

    def test_without_a_search_nothing_is_marked(self, client):
        assertNotContains(client.get(EVENTS), "<mark>")
        assertNotContains(client.get(EVENTS, {"q": ""}), "<mark>")


def build_a_meeting_with_html():
    make_event(
        "<script>alert('title')</script> Bribery meeting",
        summary="<img src=x onerror=alert(1)> bribery <b>bold</b>",
    )


a_meeting_with_html = built_once(build_a_meeting_with_html, scope="class")


@pytest.mark.usefixtures("a_meeting_with_html")
class TestHTMLInRecords:
    @pytest.mark.parametrize("url", [EVENTS, SEARCH])
    def test_html_in_a_record_is_escaped_never_rendered(self, client, url):
        response = client.get(url, {"q": "bribery"})

        assert response.status_code == 200
        assertNotContains(response, "<script>alert(")
        assertNotContains(response, "<img src=x")
        assertNotContains(response, "<b>bold")
        assertContains(response, "&lt;script&gt;")
        assertContains(response, "<mark>Bribery</mark> meeting", html=False)
        assertContains(response, "<mark>bribery</mark> &lt;b&gt;bold&lt;/b&gt;", html=False)


def test_the_excerpt_of_a_long_summary_is_a_passage_around_the_match(client):
    summary = " ".join([*(f"before{n}" for n in range(150)), "bribery", *(f"after{n}" for n in range(150))])
    make_event("Annual meeting", summary=summary)

    response = client.get(EVENTS, {"q": "bribery"})

    excerpt = str(response.context["object_list"][0].highlighted_excerpt)
    assert "<mark>bribery</mark>" in excerpt
    assert len(excerpt) < len(summary) / 4
    assert "before0 " not in excerpt
    assert "after149" not in excerpt
    assertContains(response, excerpt, html=False)


def test_a_french_page_marks_english_only_texts_as_english(client):
    make_event("Bribery at the border", title_fr="Corruption à la frontière", start="2020-01-01")
    make_event("Bribery in ports", start="2021-01-01")
    with translation.override("fr"):
        url = reverse("events:list")

    response = client.get(url, {"q": "bribery"})

    assertContains(response, '<span lang="en"><mark>Bribery</mark> in ports</span>', html=False)
    assertContains(response, "Corruption à la frontière</a>", html=False)
    assertNotContains(response, '<span lang="en">Corruption', html=False)


# Odd searches


def build_searchable():
    """A few records the odd searches could find."""
    make_event("Bribery at the border", summary="Asset recovery and bribery.", topics=[make_topic("Bribery")])
    make_instrument("Guide to bribery", description="How bribery is spotted.", platform="CLiKC!")
    make_body("Anti-bribery unit")


searchable = built_once(build_searchable, scope="class")


ALL_URLS = [EVENTS, INSTRUMENTS, SEARCH, API_EVENTS, API_INSTRUMENTS]

ODD_BUT_VALID = [
    '"',
    "it's \"unbalanced",
    "&|!():*<->",
    "!bribery & | ( ) border:* <-> <2> c",
    "back\\slash\\ \\",
    "😀 bribery 🚢 مكافحة الفساد 贿赂",
    "\u202ebribery\u202c\u200b",
    "\x7f",
    "<script>alert(1)</script> %00",
    "a" * 200,
    "the",
    ".,;:!?",
    "-bribery or",
]


ONLY_PUNCTUATION = ["...", "&|!():*<->", "-", "“ ”"]


@pytest.mark.usefixtures("searchable")
class TestOddSearches:
    def test_an_odd_search_is_answered_and_one_of_only_punctuation_finds_nothing(self, client):
        """Each address is fetched once for a text, its answer checked for all that the text asks."""
        for text in dict.fromkeys([*ODD_BUT_VALID, *ONLY_PUNCTUATION]):
            urls = ALL_URLS if text in ODD_BUT_VALID else [EVENTS, INSTRUMENTS, SEARCH, API_EVENTS]
            responses = {url: client.get(url, {"q": text}) for url in urls}
            for url, response in responses.items():
                assert response.status_code == 200, (text, url)
                assertNotContains(response, "<script>alert(1)")
            if text in ONLY_PUNCTUATION:
                on_list = titles_of(responses[EVENTS])
                assert on_list == [], text
                assert group_titles(responses[SEARCH], "events") == on_list[:5], text
                assert titles_of(responses[API_EVENTS]) == on_list, text
                assert titles_of(responses[INSTRUMENTS]) == [], text

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("\x00", NULL_MESSAGE),
            ("bribery\x00", NULL_MESSAGE),
            ("bribery\x01", CONTROL_MESSAGE),
            ("bribery\tborder", CONTROL_MESSAGE),
            ("bribery\nborder", CONTROL_MESSAGE),
            ("\x1b[31mbribery", CONTROL_MESSAGE),
            ("a" * 201, TOO_LONG_MESSAGE),
        ],
        ids=["nul", "nul-after", "soh", "tab", "newline", "escape", "201-characters"],
    )
    def test_an_invalid_search_is_a_400_that_says_why(self, client, text, message):
        for url in ALL_URLS:
            response = client.get(url, {"q": text})

            assert response.status_code == 400, url
            if url.startswith("/api/"):
                assert response.json()["q"] == [message]
            else:
                assertContains(response, message, status_code=400)
                assertNotContains(response, "<mark>", status_code=400)

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        text=st.text(
            st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from('"-&|!():*<>\\ ')),
            max_size=205,
        )
    )
    def test_any_search_is_answered_or_refused_without_a_server_error(self, client, text):
        stripped = text.strip()
        invalid = len(stripped) > 200 or any(ord(character) < 32 for character in stripped)
        for url in (EVENTS, SEARCH):
            response = client.get(url, {"q": text})

            assert response.status_code == (400 if invalid else 200), repr(text)


# The search page


def test_the_search_page_groups_the_results_by_kind_with_their_counts(client):
    for day in range(1, 7):
        make_event(f"Border bribery case {day}", start=f"2020-01-{day:02}")
    make_event("Bribery in ports")
    # The body and the topic are public through the instrument.
    make_instrument(
        "Guide to border bribery",
        issuing_body=make_body("Border bribery unit", slug="unit"),
        topics=[make_topic("Border bribery", slug="border-bribery")],
    )

    response = client.get(SEARCH, {"q": "border bribery"})

    assert response.status_code == 200
    assert [(group["kind"], group["count"], len(group["records"])) for group in response.context["groups"]] == [
        ("events", 6, 5),
        ("instruments", 1, 1),
        ("bodies", 1, 1),
        ("topics", 1, 1),
    ]
    assertContains(response, "9 results for “border bribery”")
    assertContains(response, '<h3 id="group-events">6 events</h3>', html=True)
    assertContains(response, '<h3 id="group-instruments">1 instrument</h3>', html=True)
    assertContains(response, '<h3 id="group-bodies">1 body</h3>', html=True)
    assertContains(response, '<h3 id="group-topics">1 topic</h3>', html=True)
    assertContains(response, f'<a href="{EVENTS}?q=border+bribery">See all 6 events found</a>', html=True)
    assertContains(
        response, f'<a href="{INSTRUMENTS}?q=border+bribery">Narrow these instruments down with filters</a>', html=True
    )
    assertContains(response, f'<a href="{reverse("bodies:detail", args=["unit"])}">Border bribery unit</a>', html=True)
    assertContains(
        response, f'<a href="{reverse("topics:detail", args=["border-bribery"])}">Border bribery</a>', html=True
    )
    assert listed(client, EVENTS, "border bribery") == [f"Border bribery case {day}" for day in range(6, 0, -1)]


def build_bribery_at_the_border():
    make_event("Bribery at the border")


bribery_at_the_border = built_once(build_bribery_at_the_border, scope="class")


@pytest.mark.usefixtures("bribery_at_the_border")
class TestNothingToShow:
    def test_the_search_page_says_when_nothing_matches(self, client):
        response = client.get(SEARCH, {"q": "smuggling"})

        assert response.status_code == 200
        assertContains(response, "0 results for “smuggling”")
        assertContains(response, "Nothing in the catalogue matches this search.")
        assertNotContains(response, 'class="search-group"')

    @pytest.mark.parametrize("query", ["", "?q=", "?q=+++"])
    def test_an_empty_search_shows_the_form_without_results_or_error(self, client, query):
        response = client.get(f"{SEARCH}{query}")

        assert response.status_code == 200
        assert response.context["groups"] == []
        assertContains(response, '<input type="search" name="q"', html=False)
        assertNotContains(response, "results for")
        assertNotContains(response, "Nothing in the catalogue matches")
        assertNotContains(response, "errorlist")


def test_the_search_page_makes_as_many_queries_for_30_results_as_for_3(client):
    def queries():
        caches["default"].clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(SEARCH, {"q": "bribery"})
        assert response.status_code == 200
        return len(captured), response.context["groups"][0]["count"]

    def add(numbers):
        # Bodies of their own for each record, written at once: their saves one by one are not what is measured.
        bodies = iter(
            Body.objects.bulk_create(
                Body(name=f"Body {n}-{k}", slug=f"body-{n}-{k}", kind=BodyKind.WCO_BODY)
                for n in numbers
                for k in range(3)
            )
        )
        for n in numbers:
            make_event(f"Bribery case {n}", bodies=[next(bodies), next(bodies)], summary="Bribery.")
            make_instrument(f"Bribery guide {n}", issuing_body=next(bodies), description="Bribery.")

    add(range(3))
    queries()  # Anything read once per process is read now.
    few, found = queries()
    assert found == 3
    add(range(3, 30))
    queries()  # Again, for the catalogue's new version.

    assert queries() == (few, 30)
