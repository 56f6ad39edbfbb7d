"""
Hostile query strings on every public address: whatever the parameters, how often each is
given and whatever their values (NUL and other control characters, very long texts, any
Unicode, SQL fragments, numbers out of every range, bytes that are not UTF-8), a page, feed,
calendar, export or API answer is never a server error, on SQLite as on PostgreSQL. The
lists' own pages answer 200, 400 (saying that some filters could not be applied) or 404.

The addresses come from the URL patterns, in every language, so that a new page is covered
as soon as it is added.
"""

import datetime
import hashlib
import itertools
import string
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from documents.models import Document, DocumentKind
from events.filters import EventFilter
from events.models import EventFormat, EventStatus, Role
from instruments.filters import InstrumentFilter
from instruments.models import InstrumentKind
from tests.documents.pdfs import pdf_of_pages
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

pytestmark = pytest.mark.django_db


def url_patterns(resolver=None, namespace="", localized=False):
    """Every named URL pattern outside the admin, as (name, pattern, whether it has a language prefix)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == admin.site.name:
                continue
            yield from url_patterns(
                entry,
                f"{namespace}{entry.namespace}:" if entry.namespace else namespace,
                localized or isinstance(entry.pattern, LocalePrefixPattern),
            )
        elif entry.name:
            yield namespace + entry.name, entry, localized


PATTERNS = {name: pattern for name, pattern, _localized in url_patterns()}
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
PAGES = [
    (language, name)
    for name, _pattern, localized in url_patterns()
    for language in (LANGUAGES if localized else [django_settings.LANGUAGE_CODE])
]
# The addresses that read the filters of the lists: tried with more query strings than the others.
FILTERED = {
    "events:list",
    "events:export_csv",
    "events:export_json",
    "events:calendar",
    "instruments:list",
    "instruments:export_csv",
    "instruments:export_json",
    "search",
    "api:event-list",
    "api:instrument-list",
    "api:body-list",
    "api:topic-list",
    "api:article-list",
    "sitemap",
}


def address(name, language):
    """The address of the page `name` in `language`, filled in with a public record of the catalogue."""
    pattern = PATTERNS[name]
    parameters = list(pattern.pattern.regex.groupindex)
    with translation.override(language):
        if not parameters:
            return reverse(name)
        view_class = getattr(pattern.callback, "view_class", None)
        queryset = getattr(view_class, "queryset", None)
        model = getattr(view_class, "model", None) or getattr(queryset, "model", None)
        assert model is not None, f"{name}: tell address() which records fill in {parameters}"
        records = model.objects.published() if hasattr(model.objects, "published") else model.objects.all()
        record = records.order_by("pk").first()
        assert record is not None, f"{name}: the catalogue fixture has no public {model._meta.verbose_name}"
        return reverse(name, kwargs={parameter: getattr(record, parameter) for parameter in parameters})


@pytest.fixture(autouse=True)
def generous_rate_limits():
    """The rate limits counted as in production, but too high to refuse any of these requests."""
    with override_settings(RATELIMIT_RATES=dict.fromkeys(django_settings.RATELIMIT_RATES, "1000000/m")):
        yield


PDF = pdf_of_pages(["The Revised Arusha Declaration"])


def build_catalogue():
    """A small catalogue in which every filter value below matches something."""
    unodc = make_body("UNODC", slug="unodc", short_name="UNODC", name_fr="ONUDC")
    irg = make_body("Implementation Review Group", slug="irg", parent=unodc, country="AT")
    wco = make_body("World Customs Organization", slug="wco", short_name="WCO", website="https://www.wcoomd.org/")
    risk = make_topic("Risk management", slug="risk-management", name_fr="Gestion des risques")
    whistleblowing = make_topic("Whistleblowing", slug="whistleblowing")
    article = make_article(number=7)
    sessions = make_series(body=irg, name="Sessions of the IRG", slug="irg-sessions")
    source = make_source(title="Press release", publisher=unodc, published_on=datetime.date(2019, 6, 7))
    declaration = make_instrument(
        "Revised Arusha Declaration",
        short_name="Arusha",
        kind=InstrumentKind.DECLARATION,
        issuing_body=wco,
        year_adopted=2003,
        year_revised=2019,
        topics=[risk],
        uncac_articles=[article],
        sources=[source],
        url="https://www.wcoomd.org/arusha",
    )
    Document.objects.create(
        record=declaration,
        kind=DocumentKind.FULL_TEXT,
        title="Revised Arusha Declaration",
        language="en",
        file=ContentFile(PDF, name="arusha.pdf"),
        media_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    make_instrument("IRG guide", issuing_body=irg, year_adopted=2019, topics=[whistleblowing])
    make_event(
        "IRG session on asset recovery",
        start="2019-06-03",
        end="2019-06-05",
        bodies=[irg],
        participants=[(wco, Role.OBSERVER)],
        country="AT",
        city="Vienna",
        format=EventFormat.IN_PERSON,
        wco_role=Role.OBSERVER,
        series=sessions,
        session_number=10,
        topics=[risk],
        uncac_articles=[article],
        instruments=[declaration],
        sources=[source],
        summary="Integrity and asset recovery.",
    )
    make_event("Integrity conference", start="2020-03-10", bodies=[wco], country="BE", wco_role=Role.ORGANISER)
    make_event("Cancelled workshop", start="2021-05-01", bodies=[wco, unodc], status=EventStatus.CANCELLED)
    make_event("Coming forum", start=timezone.localdate() + datetime.timedelta(days=60), bodies=[unodc])


# Parameter names: those the pages read, and others.
KNOWN_NAMES = [
    "q",
    "year",
    "body",
    "country",
    "topic",
    "role",
    "wco_role",
    "format",
    "article",
    "chapter",
    "series",
    "state",
    "kind",
    "sort",
    "page",
    "page_size",
    "lang",
    "p",
]
OTHER_NAMES = ["utm_source", "ordering", "search", "limit", "offset", "callback", "q[]", "year[0]", "__proto__", ""]
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
# With the lists' filters, so that a filter added to them is tried as soon as it is added.
FILTER_NAMES = sorted({*KNOWN_NAMES, *EventFilter.base_filters, *InstrumentFilter.base_filters})
names = st.one_of(st.sampled_from(FILTER_NAMES), st.sampled_from(OTHER_NAMES), any_text).map(
    lambda name: quote(name, safe="")
)

MATCHING = [
    "unodc",
    "irg",
    "wco",
    "risk-management",
    "whistleblowing",
    "7",
    "2",
    "AT",
    "BE",
    "2019",
    "2003",
    "irg-sessions",
    "in_person",
    "observer",
    "organiser",
    "declaration",
    "guide",
    "upcoming",
    "past",
    "cancelled",
    "newest",
    "oldest",
    "title",
    "relevance",
    "asset recovery",
    "integrity",
    "fr",
    "en",
    "json",
    "csv",
    "api",
    "last",
    "1",
    "",
]
SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1) OR (1=1",
    "1)) OR ((1=1",
    "unodc' --",
    "2019 OR 1=1",
    "2019; DROP TABLE events_event; --",
    "' UNION SELECT NULL, version() --",
    "' UNION ALL SELECT name FROM sqlite_master --",
    "1' AND pg_sleep(5) --",
    "1 AND SLEEP(5)",
    "(SELECT 1)",
    "1::int",
    "$$ OR $$1$$=$$1",
    "E'\\x00'",
    "\\'",
    "%",
    "_",
    "%%'",
    "*",
]
ODD_NUMBERS = [
    "0",
    "-1",
    "-0",
    "+2019",
    " 2019 ",
    "2019.0",
    "1e309",
    "NaN",
    "inf",
    "0x7e3",
    "1_000",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "²",
    "１２",
    "٢٠١٩",
    "0" * 300 + "2019",
]
ODD_TEXT = [
    "\x00",
    "unodc\x00",
    "\r\n",
    "\x1b[31m",
    "\u202eevil\u202c",
    "\ufeff",
    "\u200b",
    "😀",
    "مكافحة الفساد",
    "İ",
    "ß",
    "e\u0301",
    "%s%s%n",
    "{0}{}",
    "%(title)s",
    "../../etc/passwd",
    "//example.org",
    "<script>alert(1)</script>",
    "null",
    "true",
    "[]",
    "{}",
]
values = st.one_of(
    st.sampled_from(MATCHING).map(lambda value: quote(value, safe="")),
    st.sampled_from(SQL + ODD_NUMBERS + ODD_TEXT).map(lambda value: quote(value, safe="")),
    any_text.map(lambda value: quote(value, safe="")),
    st.text(st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u2029"), min_size=1, max_size=5).map(
        lambda value: quote(value, safe="")
    ),
    st.integers().map(str),
    # Very long: thousands of digits, which int() refuses, or of any one character.
    st.integers(min_value=1, max_value=6000).map(lambda digits: "9" * digits),
    st.tuples(st.characters(exclude_categories=["Cs"]), st.integers(min_value=201, max_value=3000)).map(
        lambda pair: quote(pair[0] * pair[1], safe="")
    ),
    # Percent-encoded bytes, most of them not UTF-8.
    st.lists(st.integers(0, 255), min_size=1, max_size=6).map(lambda codes: "".join(f"%{c:02X}" for c in codes)),
)
# Pairs, some of them a name given several times.
pairs = st.one_of(
    st.tuples(names, values).map(lambda pair: [pair]),
    st.tuples(names, st.lists(values, min_size=2, max_size=4)).map(
        lambda repeated: [(repeated[0], v) for v in repeated[1]]
    ),
)
query_strings = st.lists(pairs, max_size=5).map(
    lambda groups: "&".join(f"{name}={value}" for name, value in itertools.chain.from_iterable(groups))
)

EXAMPLES = [
    "q=%00&year=%FF%FE&body=" + "9" * 5000,
    "year=2019&year=99999999999999999999&page=-1&page_size=0",
    "page=last&page=1&page_size=101&p=0&lang=xx",
    "topic=risk-management&topic=%27%20OR%20%271%27%3D%271&article=7%3B%20DROP%20TABLE%20x",
    "q=" + "a" * 10_000,
    "=&&==&%00=%00&q",
]


catalogue = built_once(build_catalogue)


def answer(client, url, query):
    """The response to the address with the query string, read to its end (an export is written as it is sent)."""
    response = client.get(f"{url}?{query}")
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def test_every_public_address_is_tried():
    tried = {name for _language, name in PAGES}

    for name in ["home", "events:list", "events:detail", "events:calendar", "events:feed", "events:export_csv"]:
        assert (django_settings.LANGUAGE_CODE, name) in PAGES and ("fr", name) in PAGES
    assert {"timeline", "search", "bodies:detail", "topics:feed", "uncac:article", "instruments:export_json"} <= tried
    assert {"sitemap", "api:event-list", "api:event-detail", "api:article-detail", "api:schema"} <= tried
    assert FILTERED <= tried


# The lists' own pages: a refused filter is a 400 that says so, and a page that does not exist a 404.
LIST_PAGES = {"events:list", "instruments:list"}


def generated_queries(name, generated=True):
    """
    Query strings for the address `name`: the examples, then, if `generated`, others drawn at
    random (more for the addresses that read the filters).
    """
    filtered = name in FILTERED
    count, examples = (6, EXAMPLES) if filtered else (3, [EXAMPLES[0], EXAMPLES[2]])

    def run(check):
        check = given(query=query_strings)(check)
        for query in reversed(examples):
            check = example(query=query)(check)
        return settings(
            max_examples=count,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate] if generated else [Phase.explicit],
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )(check)()

    return run


# Each address once, in each of its languages: the queries drawn at random in the default one,
# where the same view reads them as in any other, and the examples in every language.
NAMES = sorted({name for _language, name in PAGES})


@pytest.mark.parametrize("name", NAMES)
def test_every_public_address_answers_any_query_string_without_a_server_error(client, catalogue, name):
    for language in [language for language, each in PAGES if each == name]:
        url = address(name, language)
        with translation.override(language):
            refused = gettext("Some filters could not be applied.")
        check = answers_without_a_server_error(client, name, url, refused)

        generated_queries(name, generated=language == django_settings.LANGUAGE_CODE)(check)


def answers_without_a_server_error(client, name, url, refused):
    def answers(query):
        response = answer(client, url, query)

        assert response.status_code < 500, f"{url}?{query}"
        assert response.status_code != 429, "rate limited: the page itself was not tried"
        if name in LIST_PAGES:
            assert response.status_code in {200, 400, 404}, f"{url}?{query}"
            if response.status_code == 400:
                assert refused in response.content.decode(), f"{url}?{query}"

    return answers


# Searches of many words: each word is looked for in every text of the record.
TWO_LETTER_WORDS = ["".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=2)]
MANY_WORDS = " ".join(TWO_LETTER_WORDS[:66])  # 197 characters: a search may hold 200.
FIFTEEN_WORDS = " ".join(TWO_LETTER_WORDS[:15])
# One address for each way a search is run: a page of results and their count (as the API's
# list runs it too), every result ranked (as the exports read them too), and the search page.
SEARCHED = ["events:calendar", "events:list", "search"]


def test_the_api_and_the_exports_run_the_search_of_the_events_list_and_calendar():
    """The searches of many words below, sent to the list and the calendar, hold for these addresses too."""
    for name in ["api:event-list", "events:export_csv", "events:export_json", "events:calendar"]:
        view = PATTERNS[name].callback
        view_class = getattr(view, "view_class", None) or view.cls
        list_view = getattr(view_class, "list_view", None)
        filterset_class = list_view.filterset_class if list_view else view_class.filterset_class
        assert filterset_class is EventFilter, name


@pytest.mark.parametrize(
    ("name", "text"),
    [*((name, MANY_WORDS) for name in SEARCHED), ("search", FIFTEEN_WORDS), ("events:calendar", FIFTEEN_WORDS)],
    ids=[*(f"{name}-66-words" for name in SEARCHED), "search-15-words", "events:calendar-15-words"],
)
def test_a_search_of_many_words_is_answered_without_a_server_error(client, catalogue, name, text):
    response = answer(client, reverse(name), f"q={quote(text)}")

    assert response.status_code < 500
