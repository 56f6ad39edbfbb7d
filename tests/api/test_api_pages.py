"""The API's pages, and queries that do not grow with the catalogue: on catalogues of their own."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Event, Role
from instruments.models import Instrument, InstrumentKind
from tests.api.test_api import LISTS, get_json
from tests.factories import make_article, make_body, make_event, make_instrument, make_series, make_source, make_topic

pytestmark = pytest.mark.django_db


# Pagination


@pytest.fixture(scope="class")
def many_events(django_db_setup, django_db_blocker):
    """25 events, built once for the class's tests, which only read them, and taken out after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        body = make_body(slug="busy")
        for day in range(25):
            start = datetime.date(2021, 1, 1) + datetime.timedelta(days=day)
            make_event(f"Meeting {day:02}", start=start, bodies=[body])
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("many_events")
class TestPagination:
    def test_lists_come_20_a_page_with_links_to_the_next_and_previous(self, client):
        first = get_json(client, LISTS["events"])[1]
        second = get_json(client, first["next"])[1]

        assert first["count"] == 25
        assert len(first["results"]) == 20
        assert first["previous"] is None
        assert len(second["results"]) == 5
        assert second["next"] is None
        assert second["previous"].startswith("http://testserver/api/events/")
        assert {item["slug"] for item in first["results"]}.isdisjoint(item["slug"] for item in second["results"])

    def test_page_size_chooses_up_to_100_a_page(self, client):
        for page_size, expected in [("1", 1), ("20", 20), ("100", 25)]:
            response, data = get_json(client, LISTS["events"], page_size=page_size)

            assert response.status_code == 200, page_size
            assert len(data["results"]) == expected, page_size

    def test_a_page_size_out_of_range_is_a_400(self, client):
        for query in [
            "page_size=0",
            "page_size=101",
            "page_size=abc",
            "page_size=-1",
            "page_size=1&page_size=2",
            "page_size=" + "9" * 5000,
        ]:
            response, errors = get_json(client, f"{LISTS['events']}?{query}")

            assert response.status_code == 400, query[:30]
            assert list(errors) == ["page_size"], query[:30]

    def test_a_page_that_does_not_exist_is_a_404_naming_the_pages(self, client):
        for page in ["3", "0", "-1", "abc", "9" * 5000]:
            response, data = get_json(client, LISTS["events"], page=page)

            assert response.status_code == 404, page[:10]
            assert data["detail"].endswith("its pages are numbered from 1 to 2."), page[:10]

    def test_the_last_page_and_a_repeated_page_are_served_as_on_the_pages(self, client):
        assert len(get_json(client, LISTS["events"], page="last")[1]["results"]) == 5
        assert client.get(f"{LISTS['events']}?page=1&page=1").status_code == 200


def test_the_schema_does_not_depend_on_the_data_or_the_visitors_language(client):
    empty = client.get("/api/schema/?format=json").json()
    make_event(topics=[make_topic()])

    assert client.get("/api/schema/?format=json", headers={"accept-language": "fr"}).json() == empty


# Query counts


class GrowingCatalogue:
    """Records linked to each other in every way the API shows, that grow by one of each per step."""

    def __init__(self):
        self.body = make_body("Main body", slug="main-body")
        self.topic = make_topic("Main topic", slug="main-topic")
        self.article = make_article(5)
        self.programme = make_instrument("Main programme", slug="main-programme", kind=InstrumentKind.PROGRAMME)
        self.series = make_series(self.body)
        self.size = 0

    def grow_to(self, size):
        while self.size < size:
            self.size += 1
            body = make_body(parent=self.body)
            instrument = make_instrument(
                issuing_body=body,
                programme=self.programme,
                year_adopted=2019,
                uncac_articles=[self.article, make_article()],
                topics=[self.topic, make_topic()],
                sources=[make_source(publisher=body)],
            )
            make_event(
                start="2019-06-01",
                bodies=[body, self.body],
                participants=[(self.body, Role.PRESENTER), (make_body(), Role.OBSERVER)],
                series=self.series,
                session_number=self.size,
                country="AT",
                topics=[self.topic, make_topic()],
                instruments=[instrument, self.programme],
                uncac_articles=[self.article, make_article()],
                sources=[make_source(publisher=body)],
            )

    def urls(self):
        event = Event.objects.published().first()
        instrument = Instrument.objects.published().exclude(pk=self.programme.pk).first()
        return [
            *LISTS.values(),
            f"{LISTS['events']}?year=2019&body=main-body&topic=main-topic&country=AT&article=5",
            f"{LISTS['instruments']}?year=2019&body=main-body&topic=main-topic&article=5",
            f"/api/events/{event.slug}/",
            f"/api/instruments/{instrument.slug}/",
            "/api/instruments/main-programme/",
            "/api/bodies/main-body/",
            "/api/topics/main-topic/",
            "/api/uncac/articles/5/",
        ]


def count_queries(client, urls):
    # Each count from Django's content types not yet read in this process, whatever test ran before.
    ContentType.objects.clear_cache()
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        counts[url] = len(queries)
    return counts


def test_every_endpoint_runs_as_many_queries_with_3_records_as_with_6(client):
    catalogue = GrowingCatalogue()
    catalogue.grow_to(3)
    urls = catalogue.urls()
    small = count_queries(client, urls)
    catalogue.grow_to(6)

    assert count_queries(client, urls) == small
