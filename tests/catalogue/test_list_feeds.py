"""
A feed of any list as it is filtered and searched: the same records as the list page, newest
publication first, announced in the page's head and in its "Follow this list" section.
"""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from bodies.models import Body
from events.models import Event
from instruments.models import Instrument, InstrumentKind
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LISTS = {"events": Event, "instruments": Instrument}


def days_ago(days):
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=days)


def build_catalogue():
    isc = make_body("Integrity Sub-Committee", slug="isc")
    audit_group = make_body("Audit working group", slug="audit-group", parent=isc)
    commission = make_body("Policy Commission", slug="pc")
    ethics = make_topic("Ethics", slug="ethics")
    for title, body, start, days, extra in [
        ("ISC 24th session", isc, "2025-03-10", 3, {"topics": [ethics]}),
        ("ISC 23rd session", isc, "2024-03-11", 1, {}),
        ("Working group on lifestyle audits", audit_group, "2025-06-02", 5, {}),
        ("Policy Commission 2025", commission, "2025-12-01", 2, {"topics": [ethics]}),
        ("Policy Commission review", commission, "2024-12-02", 4, {"summary": "It looked at audits of assets."}),
        ("Policy Commission 2023", commission, "2023-12-04", 7, {"status": "cancelled"}),
    ]:
        make_event(title, start=start, bodies=[body], publish_at=days_ago(days), **extra)
    for title, body, kind, year, days in [
        ("ISC integrity guide", isc, InstrumentKind.GUIDE, 2025, 2),
        ("Guide to lifestyle audits", audit_group, InstrumentKind.GUIDE, 2024, 6),
        ("ISC survey", isc, InstrumentKind.SURVEY, 2025, 8),
        ("Policy Commission declaration", commission, InstrumentKind.DECLARATION, 2025, 1),
    ]:
        make_instrument(title, issuing_body=body, kind=kind, year_adopted=year, publish_at=days_ago(days + 0.5))
    # Records the filters above would find, were they public.
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW):
        hidden = {"slug": f"hidden-{status}", "publication_status": status}
        make_event(f"ISC audits {status}", start="2025-05-05", bodies=[isc], **hidden)
        make_instrument(f"ISC audits guide {status}", issuing_body=isc, year_adopted=2025, **hidden)
    scheduled = {"slug": "hidden-scheduled", "publish_at": timezone.now() + datetime.timedelta(days=1)}
    make_event("Scheduled ISC audits", start="2025-05-06", bodies=[isc], **scheduled)
    make_instrument("Scheduled ISC audits guide", issuing_body=isc, year_adopted=2025, **scheduled)


catalogue = built_once(build_catalogue)


def read_feed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def linked_slugs(feed):
    """The slugs of the records of the feed's entries, in its order."""
    return [entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1] for entry in feed.iter(f"{ATOM}entry")]


def listed(client, kind, query):
    """The records the list page finds for `query` (all on one page here)."""
    response = client.get(f"/en/{kind}/", query)
    assert response.status_code == 200
    records = list(response.context["object_list"])
    assert len(records) == response.context["paginator"].count
    return records


def newest_first(records):
    return [record.slug for record in sorted(records, key=lambda record: record.first_published_at, reverse=True)]


QUERIES = [
    ("events", {"body": "isc", "year": "2025"}),
    ("events", {"q": "audits"}),
    ("events", {"topic": "ethics", "state": "past", "sort": "title"}),
    ("instruments", {"body": "isc", "kind": "guide"}),
    ("instruments", {"q": "audits", "year": ["2024", "2025"]}),
]


def test_a_filtered_feed_and_calendar_hold_what_the_list_finds(client, catalogue):
    for kind, query in QUERIES:
        case = f"{kind} {query}"
        records = listed(client, kind, query)

        slugs = linked_slugs(read_feed(client.get(f"/en/{kind}/feed/", query)))

        assert 0 < len(records) < LISTS[kind].objects.published().count(), f"{case}: the filters select some records"
        assert slugs == newest_first(records), case
        assert not [slug for slug in slugs if "hidden" in slug], case
        if kind == "events":
            calendar = icalendar.Calendar.from_ical(client.get("/en/events/calendar.ics", query).content)
            assert sorted(str(entry["uid"]) for entry in calendar.events) == sorted(
                f"event-{record.pk}@wcointegrity" for record in records
            ), case


def test_a_search_feed_holds_what_the_search_finds_of_every_kind_and_its_page_announces_it(client, catalogue):
    records = listed(client, "events", {"q": "audits"}) + listed(client, "instruments", {"q": "audits"})
    page = client.get("/en/search/?q=audits").content.decode()

    feed = read_feed(client.get("/en/search/feed/", {"q": "audits"}))

    assert linked_slugs(feed) == newest_first(records)
    assert feed.findtext(f"{ATOM}title") == "Search: “audits”"
    head, body = page.split("</head>")
    assert '<link rel="alternate" type="application/atom+xml" href="/en/search/feed/?q=audits"' in head
    assert 'href="/en/search/feed/?q=audits" type="application/atom+xml">Follow this search in a feed reader' in body


def test_the_feed_s_title_says_what_it_follows_in_the_page_s_language(client, catalogue):
    english = read_feed(client.get("/en/events/feed/", {"body": "isc", "year": "2025"}))
    french = read_feed(client.get("/fr/instruments/feed/", {"q": "audits"}))
    everything = read_feed(client.get("/en/events/feed/"))

    assert english.findtext(f"{ATOM}title") == "Events: 2025, Integrity Sub-Committee"
    assert (
        english.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/en/events/?body=isc&year=2025"
    )
    assert french.findtext(f"{ATOM}title") == "Instruments : « audits »"
    assert everything.findtext(f"{ATOM}title") == "WCO Integrity Catalogue: new events"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/en/events/feed/?year=twenty", "Year (year): Enter each year as a number, such as 2019."),
        ("/en/instruments/feed/?kind=poem", "Kind (kind): Select a valid choice."),
        ("/en/events/feed/?sort=relevance", "Sorting by relevance needs words to search for."),
        ("/en/search/feed/?q=" + "a" * 201, "Shorten the search to 200 characters at most"),
        ("/en/search/feed/", "give the words to search for"),
    ],
)
def test_filters_that_are_not_valid_are_refused_with_a_plain_message(client, catalogue, url, message):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assertContains(response, message, status_code=400)


def test_a_record_published_that_matches_appears_in_the_cached_feed_at_once(client, catalogue):
    url = "/en/events/feed/?body=isc&year=2025"
    before = linked_slugs(read_feed(client.get(url)))
    assert linked_slugs(read_feed(client.get(url))) == before
    draft = Event.objects.get(slug="hidden-draft")

    elsewhere = make_event("Policy Commission 2026", start="2025-06-01", bodies=[Body.objects.get(slug="pc")])

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()

    assert linked_slugs(read_feed(client.get(url))) == [draft.slug, *before]
    assert elsewhere.slug not in linked_slugs(read_feed(client.get("/en/events/feed/?body=isc")))


@pytest.mark.parametrize(
    ("kind", "query", "feed_title", "follow"),
    [
        ("events", "body=isc&amp;year=2025", "Events: 2025, Integrity Sub-Committee", "Follow these events"),
        ("instruments", "q=audits", "Instruments: “audits”", "Follow these instruments"),
    ],
)
def test_a_filtered_list_announces_its_feed_with_its_filters(client, catalogue, kind, query, feed_title, follow):
    page = client.get(f"/en/{kind}/?{query.replace('&amp;', '&')}&page=1").content.decode()
    head, body = page.split("</head>")

    feed_url = f"/en/{kind}/feed/?{query}"
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}" title="{feed_title}">' in head
    assert f'<a href="{feed_url}" type="application/atom+xml">{follow} in a feed reader</a>' in body


def test_a_search_feed_counts_against_the_feeds_rate(client, settings, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC), tick=False)
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "feeds": "2/m"}

    answers = [client.get("/en/search/feed/?q=audits").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
