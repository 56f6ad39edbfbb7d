"""Atom feeds of newly published events and instruments: what a feed reader shows."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing.models import PublicationStatus
from tests.factories import make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def days_ago(days):
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=days)


def in_the_future():
    return timezone.now() + datetime.timedelta(days=1)


def hidden_records(**links):
    """A draft, a record in review and a scheduled one of each kind, all linked as `links` says."""
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW):
        make_event(f"Event {status}", publication_status=status, **links.get("event", {}))
        make_instrument(f"Instrument {status}", publication_status=status, **links.get("instrument", {}))
    make_event("Event scheduled", publish_at=in_the_future(), **links.get("event", {}))
    make_instrument("Instrument scheduled", publish_at=in_the_future(), **links.get("instrument", {}))


def test_the_events_feed_lists_published_events_newest_publication_first(client):
    make_event("Published long ago", start="2025-01-01", publish_at=days_ago(30))
    make_event("Published yesterday", start="2016-01-01", publish_at=days_ago(1))
    make_event("Published last week", start="2022-01-01", publish_at=days_ago(7))
    make_instrument("An instrument", publish_at=days_ago(2))
    hidden_records()

    feed = read_feed(client.get("/en/events/feed/"))

    assert titles(feed) == ["Published yesterday", "Published last week", "Published long ago"]


def test_the_instruments_feed_lists_published_instruments_newest_publication_first(client):
    make_instrument("Older guide", publish_at=days_ago(10))
    make_instrument("Newer survey", publish_at=days_ago(3))
    make_event("An event", publish_at=days_ago(1))
    hidden_records()

    feed = read_feed(client.get("/en/instruments/feed/"))

    assert titles(feed) == ["Newer survey", "Older guide"]


def test_an_entry_says_when_it_was_published_and_links_to_its_page(client):
    published = days_ago(5)
    event = make_event(
        "IRG session",
        start="2022-09-05",
        end="2022-09-08",
        city="Vienna",
        country="AT",
        summary="The Group met.",
        topics=[make_topic("Asset recovery")],
        publish_at=published,
    )

    (entry,) = entries(read_feed(client.get("/en/events/feed/")))

    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/en/events/{event.slug}/"
    assert entry.findtext(f"{ATOM}id") == f"tag:wcointegrity,2026:event-{event.pk}"
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == published
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == published
    summary = entry.findtext(f"{ATOM}summary")
    assert "5–8 September 2022 · Vienna, Austria" in summary
    assert "The Group met." in summary
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Asset recovery"]


def test_a_record_published_again_keeps_its_place_and_shows_it_was_updated(client):
    first = days_ago(20)
    event = make_event("Republished", publish_at=first)
    make_event("Published in between", publish_at=days_ago(10))
    event.publication_status = PublicationStatus.DRAFT
    event.save()
    event.publication_status = PublicationStatus.PUBLISHED
    event.save()

    feed = read_feed(client.get("/en/events/feed/"))

    assert titles(feed) == ["Published in between", "Republished"]
    entry = entries(feed)[1]
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == first
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) > first


def test_text_that_looks_like_markup_is_shown_as_written(client):
    make_event("Tags <b>in</b> a title & more", summary="A summary with <script>alert(1)</script> in it.")

    feed = read_feed(client.get("/en/events/feed/"))

    assert titles(feed) == ["Tags <b>in</b> a title & more"]
    summary = entries(feed)[0].findtext(f"{ATOM}summary")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert "<script>" not in summary


def test_a_feed_holds_the_fifty_newest_records(client):
    body = make_body()
    for n in range(52):
        make_event(f"Event {n:02}", publish_at=days_ago(100 - n), bodies=[body])

    feed = read_feed(client.get("/en/events/feed/"))

    assert titles(feed) == [f"Event {n:02}" for n in range(51, 1, -1)]


def test_a_body_feed_holds_what_it_and_its_subsidiaries_convened_and_issued(client):
    unodc = make_body("UNODC", slug="unodc")
    cosp = make_body("Conference of the States Parties", parent=unodc)
    irg = make_body("Implementation Review Group", parent=cosp)
    other = make_body("Integrity Sub-Committee")
    make_event("IRG session", bodies=[irg], publish_at=days_ago(1))
    make_event("UNODC meeting", bodies=[unodc], publish_at=days_ago(4))
    make_instrument("CoSP resolution", issuing_body=cosp, publish_at=days_ago(2))
    make_instrument("UNODC guide", issuing_body=unodc, publish_at=days_ago(3))
    make_event("ISC session", bodies=[other], publish_at=days_ago(1))
    make_instrument("ISC declaration", issuing_body=other, publish_at=days_ago(1))
    make_event("IRG attended by UNODC", bodies=[other], participants=[(unodc, "participant")])
    hidden_records(event={"bodies": [irg]}, instrument={"issuing_body": irg})

    parent = read_feed(client.get("/en/bodies/unodc/feed/"))
    subsidiary = read_feed(client.get(f"/en/bodies/{cosp.slug}/feed/"))

    assert titles(parent) == ["IRG session", "CoSP resolution", "UNODC guide", "UNODC meeting"]
    assert titles(subsidiary) == ["IRG session", "CoSP resolution"]
    assert [entry.findtext(f"{ATOM}id").split(":")[-1].split("-")[0] for entry in entries(parent)] == [
        "event",
        "instrument",
        "instrument",
        "event",
    ]


def test_a_topic_feed_holds_its_events_and_instruments(client):
    topic = make_topic("Asset recovery", slug="asset-recovery")
    other = make_topic("Staff rotation")
    make_event("Event on it", topics=[topic], publish_at=days_ago(2))
    make_instrument("Instrument on it", topics=[topic, other], publish_at=days_ago(1))
    make_event("Event on another topic", topics=[other], publish_at=days_ago(1))
    make_instrument("Instrument on no topic", publish_at=days_ago(1))
    hidden_records(event={"topics": [topic]}, instrument={"topics": [topic]})

    feed = read_feed(client.get("/en/topics/asset-recovery/feed/"))

    assert titles(feed) == ["Instrument on it", "Event on it"]


def test_a_feed_of_a_body_or_topic_that_does_not_exist_is_not_found(client):
    assert client.get("/en/bodies/nobody/feed/").status_code == 404
    assert client.get("/en/topics/nothing/feed/").status_code == 404


def test_a_feed_speaks_the_language_of_its_address(client):
    event = make_event("Integrity meeting", title_fr="Réunion sur l'intégrité")

    feed = read_feed(client.get("/fr/events/feed/"))

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert titles(feed) == ["Réunion sur l'intégrité"]
    assert entries(feed)[0].find(f"{ATOM}link").get("href") == f"http://testserver/fr/events/{event.slug}/"


def test_pages_announce_their_feeds(client):
    body = make_body("UNODC", slug="unodc")
    topic = make_topic("Asset recovery", slug="asset-recovery")
    make_event("Meeting", bodies=[body], topics=[topic])

    pages = {}
    for url, feeds in [
        ("/en/events/", ["/en/events/feed/", "/en/instruments/feed/"]),
        ("/en/bodies/unodc/", ["/en/events/feed/", "/en/bodies/unodc/feed/"]),
        ("/en/topics/asset-recovery/", ["/en/events/feed/", "/en/topics/asset-recovery/feed/"]),
    ]:
        pages[url] = client.get(url).content.decode()
        head = pages[url].split("</head>")[0]
        for feed in feeds:
            assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in head, (url, feed)
    assert 'href="/en/bodies/unodc/feed/" type="application/atom+xml"' in pages["/en/bodies/unodc/"]


def queries_for(client, url, feeds=None):
    """The queries of the feed at `url`; the feed is kept in `feeds`, if given."""
    with CaptureQueriesContext(connection) as queries:
        feed = read_feed(client.get(url))
    if feeds is not None:
        feeds[url] = feed
    return len(queries)


def grow(size, body, topic):
    for _ in range(size):
        subsidiary = make_body(parent=body)
        make_event(bodies=[subsidiary], topics=[topic, make_topic()], country="AT")
        make_instrument(issuing_body=subsidiary, topics=[topic, make_topic()])


def test_a_feed_costs_the_same_queries_with_2_or_5_records(client):
    urls = ["/en/events/feed/", "/en/instruments/feed/", "/en/bodies/main/feed/", "/en/topics/main/feed/"]
    body, topic = make_body("Main", slug="main"), make_topic("Main", slug="main")
    grow(2, body, topic)
    small = {url: queries_for(client, url) for url in urls}

    grow(3, body, topic)
    feeds = {}
    large = {url: queries_for(client, url, feeds) for url in urls}

    for url in urls:
        assert len(entries(feeds[url])) >= 5, url
    assert small == large
