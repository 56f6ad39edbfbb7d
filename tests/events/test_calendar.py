"""Calendar files of events: what a calendar application shows after subscribing to a list or adding one event."""

import datetime

import icalendar
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import DatePrecision, Event
from publishing.models import PublicationStatus
from tests.factories import make_body, make_event, make_topic

pytestmark = pytest.mark.django_db

LIST_URL = "/en/events/"
CALENDAR_URL = "/en/events/calendar.ics"


def read_calendar(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar):
    return sorted(str(entry["summary"]) for entry in calendar.events)


def uids(calendar):
    return sorted(str(entry["uid"]) for entry in calendar.events)


def entry_for(calendar, event):
    (entry,) = [entry for entry in calendar.events if str(entry["uid"]) == f"event-{event.pk}@wcointegrity"]
    return entry


def in_order(pks):
    """The events with these primary keys (a paginator's records), in that order."""
    events = Event.objects.in_bulk(list(pks))
    return [events[pk] for pk in pks]


def listed_events(client, query):
    """Every event the list page finds for `query`, all pages together."""
    response = client.get(LIST_URL, query)
    assert response.status_code == 200
    return in_order(response.context["paginator"].object_list)


@pytest.fixture
def hierarchy():
    unodc = make_body("UNODC", slug="unodc")
    irg = make_body("Implementation Review Group", slug="irg", parent=unodc)
    other = make_body("Integrity Sub-Committee", slug="isc")
    return unodc, irg, other


def test_a_filtered_calendar_holds_every_event_the_list_finds_and_nothing_else(client, hierarchy):
    unodc, irg, other = hierarchy
    for day in range(1, 23):
        make_event(f"IRG meeting {day:02}", start=f"2019-03-{day:02}", bodies=[irg])
    make_event("UNODC conference", start="2019-12-16", bodies=[unodc])
    make_event("Other body in 2019", start="2019-06-01", bodies=[other])
    make_event("IRG in 2018", start="2018-06-01", bodies=[irg])
    make_event("Draft in 2019", start="2019-07-01", bodies=[irg], publication_status=PublicationStatus.DRAFT)
    make_event("Under review", start="2019-07-02", bodies=[irg], publication_status=PublicationStatus.IN_REVIEW)
    make_event("Scheduled", start="2019-07-03", bodies=[irg], publish_at=timezone.now() + datetime.timedelta(days=1))
    query = {"year": "2019", "body": "unodc"}

    calendar = read_calendar(client.get(CALENDAR_URL, query))
    listed = listed_events(client, query)

    caches["default"].clear()  # Rendered afresh, to read its context.
    assert len(client.get(LIST_URL, query).context["object_list"]) == 20, "the list shows one page of them"
    assert len(listed) == 23
    assert uids(calendar) == sorted(f"event-{event.pk}@wcointegrity" for event in listed)
    assert summaries(calendar) == sorted(event.title for event in listed)
    assert not {"Other body in 2019", "IRG in 2018", "Draft in 2019", "Under review", "Scheduled"} & set(
        summaries(calendar)
    )


LIST_FILTERS = {
    "everything": {},
    "country": {"country": "AT"},
    "unknown-series": {"series": "ignored"},
    "topic": {"topic": "anti-bribery"},
    "year-and-topic": {"year": "2020", "topic": "anti-bribery"},
}


def test_every_filter_of_the_list_gives_the_same_events_in_the_calendar(client):
    topic = make_topic("Anti-bribery", slug="anti-bribery")
    make_event("Vienna", start="2019-05-27", country="AT", topics=[topic])
    make_event("Brussels", start="2020-02-03", country="BE", topics=[topic])
    make_event("Kyiv", start="2020-09-03", country="UA")
    make_event("Draft", start="2020-09-04", country="AT", topics=[topic], publication_status=PublicationStatus.DRAFT)

    for case, query in LIST_FILTERS.items():
        calendar_response = client.get(CALENDAR_URL, query)
        list_response = client.get(LIST_URL, query)

        if list_response.status_code == 400:
            assert calendar_response.status_code == 400, case
            continue
        listed = in_order(list_response.context["paginator"].object_list)
        assert summaries(read_calendar(calendar_response)) == sorted(event.title for event in listed), case
        assert "Draft" not in summaries(read_calendar(calendar_response)), case


def test_the_file_name_says_what_the_calendar_holds(client, hierarchy):
    make_event("IRG session", start="2019-05-27", bodies=[hierarchy[1]])

    filtered = client.get(CALENDAR_URL, {"year": "2019", "body": "unodc"})
    everything = client.get(CALENDAR_URL)

    assert filtered["Content-Disposition"] == 'attachment; filename="wco-integrity-events-2019-unodc.ics"'
    assert everything["Content-Disposition"] == 'attachment; filename="wco-integrity-events.ics"'
    assert str(read_calendar(filtered)["x-wr-calname"]).count("2019") == 1


def test_a_page_number_does_not_cut_the_calendar_to_one_page(client):
    for day in range(1, 26):
        make_event(f"Meeting {day:02}", start=f"2019-03-{day:02}")

    assert len(read_calendar(client.get(CALENDAR_URL, {"page": "2"})).events) == 25


def test_events_are_whole_days_and_the_end_is_the_day_after_the_last(client):
    three_days = make_event("Three days", start="2019-05-27", end="2019-05-29")
    one_day = make_event("One day", start="2022-09-05")
    new_year = make_event("Across the new year", start="2019-12-30", end="2020-01-02")

    response = client.get(CALENDAR_URL)
    calendar = read_calendar(response)

    assert "DTSTART;VALUE=DATE:20190527" in response.content.decode()
    assert "DTEND;VALUE=DATE:20190530" in response.content.decode()
    for event, start, end in [
        (three_days, datetime.date(2019, 5, 27), datetime.date(2019, 5, 30)),
        (one_day, datetime.date(2022, 9, 5), datetime.date(2022, 9, 6)),
        (new_year, datetime.date(2019, 12, 30), datetime.date(2020, 1, 3)),
    ]:
        entry = entry_for(calendar, event)
        assert entry.decoded("dtstart") == start
        assert entry.decoded("dtend") == end
        assert not isinstance(entry.decoded("dtstart"), datetime.datetime)


def test_an_event_known_only_to_the_month_or_year_spans_it_and_says_so(client):
    month = make_event("Some days in February", start="2025-02-10", date_precision=DatePrecision.MONTH)
    year = make_event("Some time in 2016", start="2016-05-01", date_precision=DatePrecision.YEAR)
    exact = make_event("Exact days", start="2025-02-12")

    calendar = read_calendar(client.get(CALENDAR_URL))

    month_entry, year_entry = entry_for(calendar, month), entry_for(calendar, year)
    assert (month_entry.decoded("dtstart"), month_entry.decoded("dtend")) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 3, 1),
    )
    assert (year_entry.decoded("dtstart"), year_entry.decoded("dtend")) == (
        datetime.date(2016, 1, 1),
        datetime.date(2017, 1, 1),
    )
    assert str(month_entry["description"]).startswith(
        "The exact days are not recorded: this event took place in February 2025."
    )
    assert str(year_entry["description"]).startswith("The exact days are not recorded: this event took place in 2016.")
    assert "not recorded" not in str(entry_for(calendar, exact)["description"])


def test_commas_semicolons_and_line_breaks_survive_the_trip(client):
    event = make_event(
        'Integrity, ethics; and "trust"',
        start="2019-05-27",
        city="Vienna",
        country="AT",
        summary="First line, with a comma.\nSecond line; with a semicolon.",
    )

    response = client.get(CALENDAR_URL)
    entry = entry_for(read_calendar(response), event)

    raw = response.content.decode()
    assert 'SUMMARY:Integrity\\, ethics\\; and "trust"' in raw
    assert "LOCATION:Vienna\\, Austria" in raw
    assert str(entry["summary"]) == 'Integrity, ethics; and "trust"'
    assert str(entry["location"]) == "Vienna, Austria"
    assert "First line, with a comma.\nSecond line; with a semicolon." in str(entry["description"])


def test_long_lines_are_folded_and_unfold_to_the_whole_text(client):
    title = "Réunion du groupe d'examen de l'application sur la prévention de la corruption " * 3
    event = make_event(title.strip(), start="2019-05-27")

    response = client.get(CALENDAR_URL)

    lines = response.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "continuation lines start with a space"
    assert str(entry_for(read_calendar(response), event)["summary"]) == title.strip()


INVALID_FILTERS = {
    "not-a-number": "year=abc",
    "out-of-range": "year=20190",
    "unknown-body": "body=nobody",
    "search-given-twice": "q=vienna&q=brussels",
    "unknown-article": "article=9999",
}


def test_invalid_filters_are_refused_with_a_plain_explanation(client):
    make_event("Vienna", start="2019-05-27")

    for case, query in INVALID_FILTERS.items():
        response = client.get(f"{CALENDAR_URL}?{query}")

        assert response.status_code == 400, case
        assert response["Content-Type"] == "text/plain; charset=utf-8", case
        text = response.content.decode()
        assert text.startswith("These filters could not be applied, so no calendar was made:"), case
        assert f"({query.split('=')[0]})" in text, case
        assert "Vienna" not in text, case


def test_drafts_and_scheduled_events_never_appear(client):
    public = make_event("Public", start="2019-05-27")
    draft = make_event("Draft", start="2019-05-28", publication_status=PublicationStatus.DRAFT)
    review = make_event("In review", start="2019-05-29", publication_status=PublicationStatus.IN_REVIEW)
    scheduled = make_event("Scheduled", start="2019-05-30", publish_at=timezone.now() + datetime.timedelta(hours=1))

    assert summaries(read_calendar(client.get(CALENDAR_URL))) == ["Public"]
    assert client.get(f"/en/events/{public.slug}/calendar.ics").status_code == 200
    for hidden in (draft, review, scheduled):
        assert client.get(f"/en/events/{hidden.slug}/calendar.ics").status_code == 404


def test_one_event_can_be_added_to_a_calendar(client):
    topic = make_topic("Codes of conduct, ethics")
    event = make_event(
        "13th session of the IRG",
        start="2022-09-05",
        end="2022-09-08",
        city="Vienna",
        country="AT",
        summary="The Group reviewed chapter II.",
        bodies=[make_body("Implementation Review Group", short_name="IRG")],
        topics=[topic],
    )
    make_event("Another event", start="2022-09-05")

    response = client.get(f"/en/events/{event.slug}/calendar.ics")
    calendar = read_calendar(response)

    assert response["Content-Disposition"] == f'attachment; filename="wco-integrity-event-{event.slug}.ics"'
    (entry,) = calendar.events
    assert str(entry["uid"]) == f"event-{event.pk}@wcointegrity"
    assert str(entry["summary"]) == "13th session of the IRG"
    assert str(entry["location"]) == "Vienna, Austria"
    assert str(entry["url"]) == f"http://testserver/en/events/{event.slug}/"
    assert "The Group reviewed chapter II." in str(entry["description"])
    assert "Convened by IRG." in str(entry["description"])
    assert f"http://testserver/en/events/{event.slug}/" in str(entry["description"])
    assert [str(category) for category in entry["categories"].cats] == ["Codes of conduct, ethics"]
    assert isinstance(entry.decoded("dtstamp"), datetime.datetime)
    assert str(calendar["version"]) == "2.0"
    assert "PRODID" in calendar


def test_an_event_keeps_its_identity_when_renamed(client):
    event = make_event("Old title", start="2019-05-27")
    before = uids(read_calendar(client.get(CALENDAR_URL)))

    event.title = "New title"
    event.slug = "new-slug"
    event.save()
    after = read_calendar(client.get(CALENDAR_URL))

    assert uids(after) == before == [f"event-{event.pk}@wcointegrity"]
    assert summaries(after) == ["New title"]
    assert entry_for(after, event).decoded("sequence") > 0


def test_the_calendar_speaks_the_language_of_the_address(client):
    event = make_event(
        "Integrity meeting", title_fr="Réunion sur l'intégrité", start="2019-05-27", city="Vienna", country="AT"
    )
    english_only = make_event("English only", start="2019-05-28")

    calendar = read_calendar(client.get("/fr/events/calendar.ics"))

    assert str(entry_for(calendar, event)["summary"]) == "Réunion sur l'intégrité"
    assert str(entry_for(calendar, event)["location"]) == "Vienna, Autriche"
    assert str(entry_for(calendar, event)["url"]).endswith(f"/fr/events/{event.slug}/")
    assert str(entry_for(calendar, english_only)["summary"]) == "English only"


def test_the_events_list_offers_to_subscribe_to_the_filtered_events(client, hierarchy):
    make_event("IRG session", start="2019-05-27", bodies=[hierarchy[1]])

    filtered = client.get(LIST_URL, {"year": "2019", "body": "unodc", "page": "1"}).content.decode()
    everything = client.get(LIST_URL).content.decode()

    assert 'href="/en/events/calendar.ics?body=unodc&amp;year=2019"' in filtered
    assert "Subscribe to these events in your calendar" in filtered
    assert 'href="/en/events/calendar.ics"' in everything
    assert summaries(read_calendar(client.get("/en/events/calendar.ics?year=2019&body=unodc"))) == ["IRG session"]


def test_no_subscription_is_offered_for_filters_that_are_refused(client):
    make_event("Vienna", start="2019-05-27")

    content = client.get(LIST_URL, {"year": "abc"}).content.decode()

    assert "calendar.ics" not in content


def test_a_body_page_offers_to_subscribe_to_its_events(client, hierarchy):
    unodc, irg, _other = hierarchy
    make_event("IRG session", start="2019-05-27", bodies=[irg])

    content = client.get(f"/en/bodies/{unodc.slug}/").content.decode()

    assert 'href="/en/events/calendar.ics?body=unodc"' in content
    assert summaries(read_calendar(client.get(CALENDAR_URL, {"body": "unodc"}))) == ["IRG session"]


def test_an_event_page_offers_to_add_it_to_a_calendar(client):
    event = make_event("IRG session", start="2019-05-27")

    content = client.get(f"/en/events/{event.slug}/").content.decode()

    assert f'href="/en/events/{event.slug}/calendar.ics"' in content
    assert "Add to my calendar" in content


def test_a_topic_page_offers_to_subscribe_only_when_it_has_events(client):
    discussed = make_topic("Discussed", slug="discussed")
    make_topic("Quiet", slug="quiet")
    make_event("Meeting", start="2019-05-27", topics=[discussed])

    assert 'href="/en/events/calendar.ics?topic=discussed"' in client.get("/en/topics/discussed/").content.decode()
    assert "calendar.ics" not in client.get("/en/topics/quiet/").content.decode()
    assert summaries(read_calendar(client.get(CALENDAR_URL, {"topic": discussed.slug}))) == ["Meeting"]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(size, body, topic):
    for n in range(size):
        make_event(
            start=f"2019-03-{n + 1:02}",
            bodies=[body, make_body(parent=body)],
            topics=[topic, make_topic()],
            country="AT",
            city="Vienna",
        )


def test_a_calendar_costs_the_same_queries_with_2_or_5_events(client):
    urls = [CALENDAR_URL, f"{CALENDAR_URL}?year=2019&body=main&topic=main&country=AT"]
    body, topic = make_body("Main", slug="main"), make_topic("Main", slug="main")
    grow(2, body, topic)
    small = {url: queries_for(client, url) for url in urls}

    grow(3, body, topic)
    large = {url: queries_for(client, url) for url in urls}

    for url in urls:
        assert len(read_calendar(client.get(url)).events) == 5, url
    assert small == large


def test_a_single_event_calendar_costs_the_same_queries_whatever_the_event_links_to(client):
    few = make_event(start="2019-05-27", topics=[make_topic()])
    many = make_event(
        start="2019-05-28",
        bodies=[make_body() for _ in range(10)],
        topics=[make_topic() for _ in range(10)],
    )

    assert queries_for(client, f"/en/events/{few.slug}/calendar.ics") == queries_for(
        client, f"/en/events/{many.slug}/calendar.ics"
    )
