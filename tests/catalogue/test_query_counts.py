"""Every public list and detail page runs the same number of queries with 2 records as with 5."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Role
from instruments.models import Instrument, InstrumentKind
from publishing.cache import forget_kept
from tests.factories import (
    make_article,
    make_body,
    make_event,
    make_instrument,
    make_series,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db


class Catalogue:
    """A catalogue around one main record of each kind, that grows by adding linked records."""

    def __init__(self):
        self.body = make_body("Main body")
        self.topic = make_topic("Main topic")
        self.article = make_article(5)
        self.programme = make_instrument("Main programme", kind=InstrumentKind.PROGRAMME, issuing_body=self.body)
        self.series = make_series(self.body)
        self.event = make_event(
            "Main event", start="2019-05-27", bodies=[self.body], series=self.series, session_number=1
        )
        self.size = 1

    def grow_to(self, size):
        while self.size < size:
            self.size += 1
            body = make_body(parent=self.body)
            instrument = make_instrument(
                issuing_body=body,
                programme=self.programme,
                year_adopted=2019,
                uncac_articles=[self.article],
                topics=[self.topic],
                sources=[make_source(publisher=body)],
            )
            make_event(
                start="2019-06-01",
                bodies=[body, self.body],
                participants=[(self.body, Role.PRESENTER)],
                series=self.series,
                session_number=self.size,
                country="AT",
                topics=[self.topic],
                instruments=[instrument, self.programme],
                uncac_articles=[self.article],
                sources=[make_source(publisher=body)],
            )
            self.event.convening_bodies.add(body)
            self.event.participations.create(body=body, role=Role.PARTICIPANT)
            self.event.topics.add(make_topic())
            self.event.instruments.add(instrument)
            self.event.uncac_articles.add(make_article())
            self.event.sources.add(make_source(publisher=body))
            self.programme.uncac_articles.add(make_article())
            self.programme.topics.add(make_topic())
            self.programme.sources.add(make_source(publisher=body))

    def urls(self):
        return {
            "home": "/en/",
            "events": "/en/events/",
            "events filtered": (
                f"/en/events/?year=2019&body={self.body.slug}&topic={self.topic.slug}&country=AT&page=1"
            ),
            "event": self.event.get_absolute_url(),
            "instruments": "/en/instruments/",
            "instruments filtered": (
                f"/en/instruments/?year=2019&body={self.body.slug}&article=5&topic={self.topic.slug}"
            ),
            "instrument": self.programme.get_absolute_url(),
            "bodies": "/en/bodies/",
            "body": self.body.get_absolute_url(),
            "topics": "/en/topics/",
            "topic": self.topic.get_absolute_url(),
            "uncac": "/en/uncac/",
            "article": self.article.get_absolute_url(),
            "chapter": self.article.chapter.get_absolute_url(),
            "events by chapter": f"/en/events/?chapter={self.article.chapter.number}",
            "events searched": f"/en/events/?q=main+event&year=2019&year=2020&body={self.body.slug}&state=past",
            "events sorted": (
                f"/en/events/?sort=title&topic={self.topic.slug}&country=AT&wco_role=presenter&wco_role=chair&page=1"
            ),
            "instruments searched": "/en/instruments/?q=main&kind=programme&kind=guide&sort=relevance",
            "search": "/en/search/?q=main",
            "calendar searched": f"/en/events/calendar.ics?q=main&year=2019&body={self.body.slug}",
            "timeline": "/en/timeline/",
        }


def count_queries(client, url, answers=None):
    """
    The queries of a request answered afresh: nothing cached, not even the cards that an earlier
    page rendered. The response is kept in `answers`, if given.
    """
    caches["default"].clear()
    forget_kept()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if answers is not None:
        answers[url] = response
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(client):
    catalogue = Catalogue()
    catalogue.grow_to(2)
    # Read once a process, whichever page asks first: not a query of the pages counted here.
    ContentType.objects.get_for_models(Event, Instrument)
    small = {name: count_queries(client, url) for name, url in catalogue.urls().items()}
    catalogue.grow_to(5)
    answers = {}
    large = {name: count_queries(client, url, answers) for name, url in catalogue.urls().items()}

    assert large == small
    # The grown catalogue really shows what it links, so that the counts above are of pages that list it all.
    assert answers["/en/events/"].context["paginator"].count == 5
    event = answers[catalogue.event.get_absolute_url()].context["event"]
    assert len(event.participations.all()) == len(event.topics.all()) == len(event.sources.all()) == 4
    programme = answers[catalogue.programme.get_absolute_url()].context["instrument"]
    assert len(programme.events.all()) == len(programme.components.all()) == 4
    assert answers[catalogue.body.get_absolute_url()].context["event_count"] == 5
