"""
The facets of the event and instrument lists: several values of a facet combine with OR,
facets with AND, and each value shows how many records it would give under the other
active filters. Every expected number below is counted by hand from the catalogue.
"""

import csv
import datetime
import io

import pytest
import time_machine

from events.models import EventFormat, EventStatus, Role
from instruments.models import InstrumentKind
from tests.factories import built_once, make_article, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

EVENTS = "/en/events/"
INSTRUMENTS = "/en/instruments/"
TODAY = datetime.datetime(2024, 6, 15, 12, tzinfo=datetime.UTC)


def build_catalogue():
    """
    Five events:

    | event   | years      | convened by       | country | topics          | role      | format    |
    | ------- | ---------- | ----------------- | ------- | --------------- | --------- | --------- |
    | vienna  | 2019       | IRG (under UNODC) | AT      | asset, ethics   | presenter | in person |
    | doha    | 2019       | UNODC             | QA      | asset           | observer  | hybrid    |
    | joint   | 2019-2020  | UNODC + IRG       | AT      | ethics          | presenter | online    |
    | brussel | 2022       | WCO               | BE      | ethics          | organiser | in person |
    | draft   | 2019       | UNODC             | AT      | asset           | presenter | in person |  (not public)
    """
    unodc = make_body("United Nations Office on Drugs and Crime", short_name="UNODC", slug="unodc")
    irg = make_body("Implementation Review Group", short_name="IRG", slug="irg", parent=unodc)
    wco = make_body("World Customs Organization", short_name="WCO", slug="wco")
    asset = make_topic("Asset recovery", slug="asset-recovery")
    ethics = make_topic("Ethics", slug="ethics")
    events = {
        "vienna": make_event(
            "Vienna session",
            start="2019-05-27",
            end="2019-05-29",
            bodies=[irg],
            country="AT",
            topics=[asset, ethics],
            wco_role=Role.PRESENTER,
            format=EventFormat.IN_PERSON,
        ),
        "doha": make_event(
            "Doha conference",
            start="2019-12-16",
            bodies=[unodc],
            country="QA",
            topics=[asset],
            wco_role=Role.OBSERVER,
            format=EventFormat.HYBRID,
        ),
        "joint": make_event(
            "Joint review",
            start="2019-12-30",
            end="2020-01-10",
            bodies=[unodc, irg],
            country="AT",
            topics=[ethics],
            wco_role=Role.PRESENTER,
            format=EventFormat.ONLINE,
        ),
        "brussels": make_event(
            "Brussels sub-committee",
            start="2022-03-01",
            bodies=[wco],
            country="BE",
            topics=[ethics],
            wco_role=Role.ORGANISER,
            format=EventFormat.IN_PERSON,
        ),
    }
    make_event(
        "Draft meeting",
        start="2019-06-01",
        bodies=[unodc],
        country="AT",
        topics=[asset],
        wco_role=Role.PRESENTER,
        format=EventFormat.IN_PERSON,
        publication_status="draft",
    )
    return events


catalogue = built_once(build_catalogue, scope="class")


def facets(response):
    """{facet: {value: count}} as the page shows them."""
    return {
        view.name: {option.value: option.count for option in view.options}
        for view in response.context["filter"].facet_views
    }


def titles(response):
    return [event.title for event in response.context["object_list"]]


class TestFiveEvents:
    """On the five events of `build_catalogue`, built once for the class: its tests only read them."""

    def test_without_filters_each_value_counts_the_public_records_it_gives(self, client, catalogue):
        shown = facets(client.get(EVENTS))

        assert shown["year"] == {"2022": 1, "2020": 1, "2019": 3}
        # UNODC counts its own event, its subsidiary's, and the joint one once.
        assert shown["body"] == {"unodc": 3, "irg": 2, "wco": 1}
        assert shown["country"] == {"AT": 2, "BE": 1, "QA": 1}
        assert shown["topic"] == {"asset-recovery": 2, "ethics": 3}
        assert shown["wco_role"] == {"presenter": 2, "observer": 1, "organiser": 1}
        assert shown["format"] == {"in_person": 2, "online": 1, "hybrid": 1}

    def test_several_values_of_a_facet_combine_with_or(self, client, catalogue):
        response = client.get(EVENTS, {"country": ["QA", "BE"]})

        assert titles(response) == ["Brussels sub-committee", "Doha conference"]

    def test_facets_combine_with_and_and_count_under_the_other_filters(self, client, catalogue):
        response = client.get(EVENTS, {"year": "2019", "body": "unodc", "topic": "ethics"})

        assert titles(response) == ["Joint review", "Vienna session"]
        shown = facets(response)
        # Each facet counts under the others, not itself: the years of UNODC's ethics events...
        assert shown["year"] == {"2020": 1, "2019": 2}
        # ...the bodies of 2019's ethics events (WCO's is in 2022, so it is not offered)...
        assert shown["body"] == {"unodc": 2, "irg": 2}
        # ...the topics of UNODC's 2019 events, Doha's asset recovery included.
        assert shown["topic"] == {"asset-recovery": 2, "ethics": 2}
        # The other facets count the two events listed.
        assert shown["country"] == {"AT": 2}
        assert shown["wco_role"] == {"presenter": 2}
        assert shown["format"] == {"in_person": 1, "online": 1}

    def test_or_within_a_facet_and_and_across_facets_together(self, client, catalogue):
        response = client.get(EVENTS, {"year": ["2020", "2022"], "country": ["AT", "BE"], "wco_role": "presenter"})

        assert titles(response) == ["Joint review"]
        shown = facets(response)
        # Presenter events in AT or BE, whatever the year; 2022 is chosen, so it stays, with none.
        assert shown["year"] == {"2022": 0, "2020": 1, "2019": 2}
        assert shown["country"] == {"AT": 1, "BE": 0}
        assert shown["wco_role"] == {"presenter": 1, "organiser": 1}

    def test_a_chosen_value_that_gives_nothing_stays_shown_with_zero(self, client, catalogue):
        response = client.get(EVENTS, {"country": "QA", "topic": "ethics"})

        assert titles(response) == []
        assert response.status_code == 200
        assert facets(response)["country"] == {"AT": 2, "BE": 1, "QA": 0}
        assert "No events match these filters." in response.content.decode()

    def test_the_facets_are_checkboxes_that_submit_without_javascript(self, client, catalogue):
        html = client.get(EVENTS, {"year": "2019"}).content.decode()

        assert '<input type="checkbox" name="year" value="2019" id="facet-year-2019" checked>' in html
        assert '<input type="checkbox" name="year" value="2022" id="facet-year-2022">' in html
        assert 'Ethics <span class="facet__count">(2)</span>' in html
        assert '<button type="submit" class="button" data-listing-apply>Apply filters</button>' in html

    def test_each_active_value_is_listed_with_a_link_that_removes_it_alone(self, client, catalogue):
        response = client.get(
            EVENTS, {"q": "session", "year": ["2019", "2020"], "body": "irg", "sort": "relevance", "page": "1"}
        )

        active = [
            (item.facet_label, item.label, item.remove_query) for item in response.context["filter"].active_filters
        ]
        assert active == [
            ("Search", "session", "body=irg&year=2019&year=2020"),  # The relevance sort goes with the search.
            ("Year", "2019", "body=irg&q=session&sort=relevance&year=2020"),
            ("Year", "2020", "body=irg&q=session&sort=relevance&year=2019"),
            ("Body", "Implementation Review Group (IRG)", "q=session&sort=relevance&year=2019&year=2020"),
        ]
        html = response.content.decode()
        assert 'href="/en/events/?body=irg&amp;q=session&amp;sort=relevance&amp;year=2020"' in html
        assert "Show the filters (4 active)" in html

    def test_the_address_holds_the_whole_state_so_a_shared_link_shows_the_same_list(self, client, catalogue):
        query = "year=2019&year=2022&topic=ethics&sort=title"
        first, again = client.get(f"{EVENTS}?{query}"), client.get(f"{EVENTS}?{query}")

        assert titles(first) == ["Brussels sub-committee", "Joint review", "Vienna session"]
        assert again.content == first.content

    def test_events_sort_by_date_either_way_or_by_title(self, client, catalogue):
        for sort, expected in [
            (None, ["Brussels sub-committee", "Joint review", "Doha conference", "Vienna session"]),
            ("newest", ["Brussels sub-committee", "Joint review", "Doha conference", "Vienna session"]),
            ("oldest", ["Vienna session", "Doha conference", "Joint review", "Brussels sub-committee"]),
            ("title", ["Brussels sub-committee", "Doha conference", "Joint review", "Vienna session"]),
        ]:
            assert titles(client.get(EVENTS, {"sort": sort} if sort else {})) == expected, sort

    def test_the_export_and_calendar_links_carry_the_filters_and_the_sort(self, client, catalogue):
        html = client.get(
            EVENTS, {"year": ["2019", "2020"], "sort": "oldest", "page": "1", "topic": ""}
        ).content.decode()

        assert 'href="/en/events/export.csv?sort=oldest&amp;year=2019&amp;year=2020"' in html
        assert 'href="/en/events/calendar.ics?sort=oldest&amp;year=2019&amp;year=2020"' in html

    def test_the_csv_export_holds_the_filtered_list_in_its_order(self, client, catalogue):
        query = {"year": ["2019", "2022"], "country": ["AT", "BE"], "sort": "oldest"}
        page = titles(client.get(EVENTS, query))
        export = client.get("/en/events/export.csv", query)
        rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))

        assert page == ["Vienna session", "Joint review", "Brussels sub-committee"]
        assert [row["title"] for row in rows] == page

    def test_the_api_takes_the_same_several_values(self, client, catalogue):
        response = client.get("/api/events/", {"country": ["QA", "BE"], "sort": "title"})

        assert [event["title"] for event in response.json()["results"]] == [
            "Brussels sub-committee",
            "Doha conference",
        ]


@time_machine.travel(TODAY, tick=False)
def test_the_time_facet_counts_upcoming_ongoing_past_postponed_and_cancelled(client):
    make_event("Past", start="2024-06-01", end="2024-06-14")
    make_event("Ends today", start="2024-06-10", end="2024-06-15")
    make_event("Starts today", start="2024-06-15", end="2024-06-20")
    make_event("Tomorrow", start="2024-06-16")
    make_event("Postponed", start="2024-06-16", status=EventStatus.POSTPONED)
    make_event("Cancelled", start="2024-06-14", status=EventStatus.CANCELLED)

    assert facets(client.get(EVENTS))["state"] == {
        "upcoming": 1,
        "ongoing": 2,
        "past": 1,
        "postponed": 1,
        "cancelled": 1,
    }
    assert titles(client.get(EVENTS, {"state": ["ongoing", "cancelled"], "sort": "title"})) == [
        "Cancelled",
        "Ends today",
        "Starts today",
    ]


def test_instrument_facets_count_kind_year_body_and_article(client):
    wco = make_body("World Customs Organization", slug="wco")
    sub = make_body("Integrity Sub-Committee", slug="isc", parent=wco)
    article = make_article(5)
    make_instrument(
        "Arusha Declaration", kind=InstrumentKind.DECLARATION, issuing_body=wco, year_adopted=1993, year_revised=2003
    )
    make_instrument("Guide", kind=InstrumentKind.GUIDE, issuing_body=sub, year_adopted=2003, uncac_articles=[article])
    make_instrument("Undated guide", kind=InstrumentKind.GUIDE, uncac_articles=[article])
    make_instrument("Draft", kind=InstrumentKind.GUIDE, issuing_body=wco, publication_status="draft")

    response = client.get(INSTRUMENTS, {"kind": "guide"})
    shown = facets(response)

    assert [instrument.title for instrument in response.context["object_list"]] == ["Guide", "Undated guide"]
    # Revised and adopted the same year counts once; the undated guide has no year.
    assert shown["year"] == {"2003": 1}
    assert shown["body"] == {"wco": 1, "isc": 1}
    assert shown["kind"] == {"declaration": 1, "guide": 2}
    assert shown["article"] == {"5": 2}
    assert facets(client.get(INSTRUMENTS))["year"] == {"2003": 2, "1993": 1}


INSTRUMENT_SORTS = {
    None: ["Arusha", "Guide", "Undated"],
    "newest": ["Guide", "Arusha", "Undated"],
    "oldest": ["Arusha", "Guide", "Undated"],  # Undated instruments come last either way.
}


def test_instruments_sort_by_title_by_default_or_by_year(client):
    make_instrument("Undated", year_adopted=None)
    make_instrument("Guide", year_adopted=2010)
    make_instrument("Arusha", year_adopted=1993)

    for sort, expected in INSTRUMENT_SORTS.items():
        response = client.get(INSTRUMENTS, {"sort": sort} if sort else {})
        shown = [instrument.title for instrument in response.context["object_list"]]
        assert shown == expected, f"sort={sort}: {shown}"
