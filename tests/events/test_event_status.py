"""
Whether an event takes place as announced, and where it stands on a given day: the model,
the badge on the pages, and the status in exports, calendars, feeds, the API, the admin
and imports.
"""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
import tablib
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import DatePrecision, Event, EventStatus, TimeState
from events.resources import EventResource
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event, make_topic

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 10)
ATOM = "{http://www.w3.org/2005/Atom}"


def day(text):
    return datetime.date.fromisoformat(text)


def noon(date):
    return datetime.datetime.combine(date, datetime.time(12), tzinfo=datetime.UTC)


@pytest.fixture
def frozen_today():
    """The clock stopped at noon (UTC, the site's time zone) on TODAY."""
    with time_machine.travel(noon(TODAY), tick=False):
        yield TODAY


def build_one_of_each():
    """A published event in each time state on TODAY, by state."""
    with time_machine.travel(noon(TODAY), tick=False):
        return {
            TimeState.PAST: make_event("Held last year", start="2024-05-27", end="2024-05-29", slug="past"),
            TimeState.ONGOING: make_event("Being held", start="2025-03-09", end="2025-03-11", slug="ongoing"),
            TimeState.UPCOMING: make_event("Coming up", start="2025-06-02", slug="upcoming"),
            TimeState.POSTPONED: make_event(
                "Put off", start="2025-04-01", status=EventStatus.POSTPONED, slug="postponed"
            ),
            TimeState.CANCELLED: make_event(
                "Called off", start="2025-03-10", status=EventStatus.CANCELLED, slug="cancelled"
            ),
        }


@pytest.fixture
def one_of_each(frozen_today):
    """`build_one_of_each` for a test of its own, on TODAY."""
    return build_one_of_each()


built_one_of_each = built_once(build_one_of_each, scope="class")


@pytest.fixture
def one_of_each_once(built_one_of_each, frozen_today):
    """`build_one_of_each` built once for the class of the test, that only reads it, on TODAY."""
    return built_one_of_each


def assert_state_everywhere(event, on, expected):
    """The event is in `expected` on the date `on`, in Python and in the database, and in no other state."""
    with time_machine.travel(noon(on), tick=False):
        assert event.time_state_on(on) == expected
        assert event.time_state == expected
        this_one = Event.objects.filter(pk=event.pk)
        for state in TimeState:
            assert this_one.in_time_states([state]).exists() == (state == expected), state
        assert this_one.time_state_counts() == {state.value: int(state == expected) for state in TimeState}


# The model


def build_events_of_each_kind_of_dates():
    """An event for each kind of dates whose time state the model tells, by kind."""
    return {
        "multi-day": make_event(start="2025-03-10", end="2025-03-12"),
        "one-day": make_event(start="2025-03-10"),
        "month": make_event(start="2025-03-14", date_precision=DatePrecision.MONTH),
        EventStatus.POSTPONED: make_event(start="2025-03-10", end="2025-03-12", status=EventStatus.POSTPONED),
        EventStatus.CANCELLED: make_event(start="2025-03-10", end="2025-03-12", status=EventStatus.CANCELLED),
    }


events_of_each_kind_of_dates = built_once(build_events_of_each_kind_of_dates, scope="class")


@pytest.mark.usefixtures("events_of_each_kind_of_dates")
class TestTheTimeStateOfEachKindOfDates:
    """On `events_of_each_kind_of_dates`, built once for the class: its tests only read it."""

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            ("2025-03-09", TimeState.UPCOMING),
            ("2025-03-10", TimeState.ONGOING),
            ("2025-03-11", TimeState.ONGOING),
            ("2025-03-12", TimeState.ONGOING),
            ("2025-03-13", TimeState.PAST),
        ],
    )
    def test_a_multi_day_event_is_taking_place_from_its_first_day_to_its_last_included(
        self, events_of_each_kind_of_dates, on, expected
    ):
        assert_state_everywhere(events_of_each_kind_of_dates["multi-day"], day(on), expected)

    @pytest.mark.parametrize(
        ("on", "expected"),
        [("2025-03-09", TimeState.UPCOMING), ("2025-03-10", TimeState.ONGOING), ("2025-03-11", TimeState.PAST)],
    )
    def test_a_one_day_event_is_taking_place_on_its_day_only(self, events_of_each_kind_of_dates, on, expected):
        assert_state_everywhere(events_of_each_kind_of_dates["one-day"], day(on), expected)

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            ("2025-02-28", TimeState.UPCOMING),
            ("2025-03-01", TimeState.ONGOING),
            ("2025-03-31", TimeState.ONGOING),
            ("2025-04-01", TimeState.PAST),
        ],
    )
    def test_an_event_known_to_the_month_is_taking_place_all_that_month(
        self, events_of_each_kind_of_dates, on, expected
    ):
        assert_state_everywhere(events_of_each_kind_of_dates["month"], day(on), expected)

    @pytest.mark.parametrize("status", [EventStatus.POSTPONED, EventStatus.CANCELLED])
    @pytest.mark.parametrize("on", ["2025-03-09", "2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13"])
    def test_a_postponed_or_cancelled_event_is_that_whatever_its_dates(self, events_of_each_kind_of_dates, status, on):
        assert_state_everywhere(events_of_each_kind_of_dates[status], day(on), TimeState(status.value))


def test_in_time_states_gives_the_events_in_any_of_the_states_in_one_query(one_of_each, django_assert_num_queries):
    events = Event.objects.published()

    with django_assert_num_queries(1):
        current = set(events.in_time_states([TimeState.UPCOMING, "ongoing"]))
    assert current == {one_of_each[TimeState.UPCOMING], one_of_each[TimeState.ONGOING]}
    off = set(events.in_time_states([TimeState.POSTPONED, TimeState.CANCELLED]))
    assert off == {one_of_each[TimeState.POSTPONED], one_of_each[TimeState.CANCELLED]}
    assert set(events.in_time_states(TimeState)) == set(one_of_each.values())
    assert not events.in_time_states([]).exists()
    assert set(events.in_time_states([TimeState.PAST], today=day("2025-07-01"))) == {
        one_of_each[TimeState.PAST],
        one_of_each[TimeState.ONGOING],
        one_of_each[TimeState.UPCOMING],
    }


def test_an_unknown_time_state_is_an_error(frozen_today):
    with pytest.raises(ValueError, match="'soon' is not a valid TimeState"):
        Event.objects.in_time_states(["soon"])


def test_time_state_counts_count_each_state_in_one_query(frozen_today, django_assert_num_queries):
    for start, end in [("2019-05-27", "2019-05-29"), ("2025-03-09", None)]:
        make_event(start=start, end=end)
    make_event(start="2025-03-01", date_precision=DatePrecision.MONTH)  # ongoing: all of March
    make_event(start="2025-03-10")  # ongoing: today only
    for start in ("2025-03-11", "2025-12-01", "2026-01-01"):
        make_event(start=start)
    make_event(start="2024-01-01", status=EventStatus.POSTPONED)
    make_event(start="2025-03-10", status=EventStatus.CANCELLED)
    make_event(start="2025-09-01", status=EventStatus.CANCELLED)
    make_event(start="2025-06-01", publication_status=PublicationStatus.DRAFT)  # not public

    with django_assert_num_queries(1):
        counts = Event.objects.published().time_state_counts()

    assert counts == {"upcoming": 3, "ongoing": 2, "past": 2, "postponed": 1, "cancelled": 2}
    assert Event.objects.time_state_counts()["upcoming"] == 4
    assert Event.objects.time_state_counts(today=day("2026-06-01")) == {
        "upcoming": 0,
        "ongoing": 0,
        "past": 8,
        "postponed": 1,
        "cancelled": 2,
    }


def test_time_state_counts_count_each_event_once_through_many_to_many_filters(frozen_today, django_assert_num_queries):
    body, other_body = make_body(), make_body()
    risk, ethics = make_topic(), make_topic()
    make_event(start="2025-06-01", bodies=[body, other_body], topics=[risk, ethics])
    make_event(start="2019-01-01", bodies=[body], topics=[risk])
    make_event(start="2025-03-10", status=EventStatus.POSTPONED, bodies=[other_body], topics=[ethics])
    make_event(start="2025-06-01", bodies=[make_body()])

    events = Event.objects.published()
    with django_assert_num_queries(1):
        by_body = events.convened_by([body.pk, other_body.pk]).time_state_counts()
    with django_assert_num_queries(1):
        by_topic = events.filter(topics__in=[risk, ethics]).time_state_counts()

    expected = {"upcoming": 1, "ongoing": 0, "past": 1, "postponed": 1, "cancelled": 0}
    assert by_body == expected
    assert by_topic == expected


# The pages


def badge(state, text):
    return f'<span class="event-state event-state--{state}">{text}</span>'


class TestOneEventOfEachStateOnThePages:
    """On `one_of_each_once`, built once for the class: its tests only read it."""

    def test_the_list_shows_each_events_state_in_words_and_nothing_for_one_held_as_announced(
        self, client, one_of_each_once
    ):
        response = client.get("/en/events/")

        for state, text in [
            ("upcoming", "Upcoming"),
            ("ongoing", "Taking place now"),
            ("postponed", "Postponed"),
            ("cancelled", "Cancelled"),
        ]:
            assertContains(response, badge(state, text), count=1, html=True)
        assertNotContains(response, "event-state--past")
        assertContains(response, 'class="event-state ', count=4)

    @pytest.mark.parametrize(
        ("state", "text"),
        [
            (TimeState.UPCOMING, "Upcoming"),
            (TimeState.ONGOING, "Taking place now"),
            (TimeState.POSTPONED, "Postponed"),
            (TimeState.CANCELLED, "Cancelled"),
        ],
    )
    def test_the_event_page_shows_its_state_next_to_the_dates(self, client, one_of_each_once, state, text):
        response = client.get(one_of_each_once[state].get_absolute_url())

        assertContains(response, badge(state.value, text), count=1, html=True)

    def test_the_page_of_an_event_held_as_announced_shows_no_state(self, client, one_of_each_once):
        response = client.get(one_of_each_once[TimeState.PAST].get_absolute_url())

        assert response.status_code == 200
        assertNotContains(response, 'class="event-state')


# Exports, calendars, feeds, API


class TestOneEventOfEachStateInTheFiles:
    """On `one_of_each_once`, built once for the class: its tests only read it."""

    def test_exports_give_the_status_and_the_time_state_on_the_day_of_the_download(self, client, one_of_each_once):
        csv_body = b"".join(client.get("/en/events/export.csv").streaming_content).decode("utf-8-sig")
        json_body = b"".join(client.get("/en/events/export.json").streaming_content).decode()

        csv_rows = {row["slug"]: (row["status"], row["time_state"]) for row in csv.DictReader(io.StringIO(csv_body))}
        json_rows = {record["slug"]: (record["status"], record["time_state"]) for record in json.loads(json_body)}
        expected = {
            "past": ("scheduled", "past"),
            "ongoing": ("scheduled", "ongoing"),
            "upcoming": ("scheduled", "upcoming"),
            "postponed": ("postponed", "postponed"),
            "cancelled": ("cancelled", "cancelled"),
        }
        assert csv_rows == expected
        assert json_rows == expected

    def test_a_calendar_marks_cancelled_and_postponed_events_in_their_status_and_summary(
        self, client, one_of_each_once
    ):
        response = client.get("/en/events/calendar.ics")

        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.content)
        entries = {str(entry["summary"]): str(entry["status"]) for entry in calendar.events}
        assert entries == {
            "Held last year": "CONFIRMED",
            "Being held": "CONFIRMED",
            "Coming up": "CONFIRMED",
            "Postponed: Put off": "TENTATIVE",
            "Cancelled: Called off": "CANCELLED",
        }

    def test_the_calendar_file_of_one_cancelled_event_says_it_is_cancelled(self, client, one_of_each_once):
        response = client.get(reverse("events:event_calendar", kwargs={"slug": "cancelled"}))

        [entry] = icalendar.Calendar.from_ical(response.content).events
        assert (str(entry["summary"]), str(entry["status"])) == ("Cancelled: Called off", "CANCELLED")

    def test_the_feed_title_says_when_an_event_is_cancelled_or_postponed(self, client, one_of_each_once):
        response = client.get("/en/events/feed/")

        assert response.status_code == 200
        feed = ET.fromstring(response.content)
        titles = {entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")}
        assert titles == {"Held last year", "Being held", "Coming up", "Postponed: Put off", "Cancelled: Called off"}

    def test_the_api_gives_the_status_and_the_time_state(self, client, one_of_each_once):
        listed = client.get("/api/events/").json()["results"]
        cancelled = client.get("/api/events/cancelled/").json()

        assert {event["slug"]: (event["status"], event["time_state"]) for event in listed} == {
            "past": ("scheduled", "past"),
            "ongoing": ("scheduled", "ongoing"),
            "upcoming": ("scheduled", "upcoming"),
            "postponed": ("postponed", "postponed"),
            "cancelled": ("cancelled", "cancelled"),
        }
        assert (cancelled["status"], cancelled["time_state"]) == ("cancelled", "cancelled")


def test_the_api_schema_lists_the_status_and_time_state_values(client):
    schemas = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    properties = schemas["Event"]["properties"]

    assert properties["status"]["readOnly"] and properties["time_state"]["readOnly"]
    assert schemas["StatusEnum"]["enum"] == ["scheduled", "postponed", "cancelled"]
    assert schemas["TimeStateEnum"]["enum"] == ["upcoming", "ongoing", "past", "postponed", "cancelled"]


# Admin and import


def admin_url(view, *args):
    return reverse(f"admin:events_event_{view}", args=args)


def test_the_admin_lists_events_by_status_and_edits_it_with_the_dates(admin_client, one_of_each):
    changelist = admin_client.get(admin_url("changelist"), {"status": EventStatus.CANCELLED})
    change = admin_client.get(admin_url("change", one_of_each[TimeState.PAST].pk))

    assert list(changelist.context["cl"].result_list) == [one_of_each[TimeState.CANCELLED]]
    assert [spec.title for spec in changelist.context["cl"].filter_specs][:2] == ["state", "status"]
    page = change.content.decode()
    assert page.index('name="date_precision"') < page.index('<select name="status"') < page.index('name="city_en"')
    assertContains(change, '<option value="scheduled" selected>As announced</option>', html=True)


def import_rows(client, *rows):
    """Upload events as a CSV file on the admin's import page: the response is the preview."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["slug", "title_en", "start_date", "convening_bodies", "status"])
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("events.csv", out.getvalue().encode())
    return client.post(admin_url("import"), {"resource": "0", "format": "0", "import_file": upload})


def event_row(slug, status):
    return {
        "slug": slug,
        "title_en": "Meeting",
        "start_date": "2025-05-27",
        "convening_bodies": "irg",
        "status": status,
    }


def test_an_import_rejects_a_row_with_an_unknown_status(admin_client):
    make_body(slug="irg")

    response = import_rows(admin_client, event_row("a", "postponed"), event_row("b", "maybe"))

    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert errors == {2: {"status": ["Value 'maybe' is not a valid choice."]}}
    assertContains(response, "Value &#x27;maybe&#x27; is not a valid choice.")
    assert not Event.objects.exists()


def test_an_import_stores_the_status_and_a_file_without_it_leaves_it_alone(admin_client):
    make_body(slug="irg")
    dataset = tablib.Dataset(headers=["slug", "title_en", "start_date", "convening_bodies", "status"])
    dataset.append(["a", "Meeting", "2025-05-27", "irg", "cancelled"])
    dataset.append(["b", "Meeting", "2025-05-27", "irg", "scheduled"])
    without_status = tablib.Dataset(["a", "Meeting again", "2025-05-27", "irg"], headers=dataset.headers[:4])

    assert not import_rows(admin_client, *dataset.dict).context["result"].invalid_rows
    assert not EventResource().import_data(dataset).has_errors()
    assert not EventResource().import_data(without_status).has_errors()

    assert dict(Event.objects.values_list("slug", "status")) == {"a": "cancelled", "b": "scheduled"}
    assert Event.objects.get(slug="a").title == "Meeting again"
