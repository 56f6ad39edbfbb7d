import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import DatePrecision, Event, Participation, Role
from tests.factories import make_body, make_event, make_series

pytestmark = pytest.mark.django_db


def test_one_day_event_ends_when_it_starts():
    event = make_event(start="2022-09-05")
    assert event.end_date == datetime.date(2022, 9, 5)
    assert event.dates_display == "5 September 2022"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2022-09-05", "2022-09-08", "5–8 September 2022"),
        ("2019-05-30", "2019-06-02", "30 May – 2 June 2019"),
        ("2019-12-30", "2020-01-02", "30 December 2019 – 2 January 2020"),
    ],
)
def test_dates_are_shown_compactly(start, end, expected):
    assert make_event(start=start, end=end).dates_display == expected


def test_month_precision_covers_the_whole_month_and_shows_no_day():
    event = make_event(start="2025-02-14", date_precision=DatePrecision.MONTH)
    assert (event.start_date, event.end_date) == (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    assert event.dates_display == "February 2025"
    assert event.date_parts == [("", "2025-02", "February 2025")]


def test_a_range_is_two_machine_readable_dates():
    assert make_event(start="2025-02-03", end="2025-02-04").date_parts == [
        ("", "2025-02-03", "3"),
        ("–", "2025-02-04", "4 February 2025"),
    ]
    assert make_event(start="2018-11-01", end="2019-02-01", date_precision=DatePrecision.MONTH).dates_display == (
        "November 2018 – February 2019"
    )


def test_year_precision_covers_the_whole_year_and_shows_only_the_year():
    event = make_event(start="2016-06-01", date_precision=DatePrecision.YEAR)
    assert (event.start_date, event.end_date) == (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    assert event.dates_display == "2016"


def test_end_before_start_is_refused_by_validation_and_by_the_database():
    event = Event(title="Backwards", slug="backwards", start_date=datetime.date(2020, 5, 2))
    event.end_date = datetime.date(2020, 5, 1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end_date" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_session_numbers_are_positive_and_unique_within_a_series():
    series = make_series()
    make_event(series=series, session_number=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(series=series, session_number=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(series=series, session_number=0)
    make_event(series=make_series(), session_number=10)  # another series may reuse the number


def test_a_session_number_needs_a_series():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(session_number=3)


def test_slugs_are_unique():
    make_event(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug="same")


def test_ordinal_label_renders_the_session_number_as_an_ordinal():
    series = make_series(session_noun="meeting")
    assert make_event(series=series, session_number=9).ordinal_label == "9th meeting"
    assert make_event(series=series, session_number=13).ordinal_label == "13th meeting"
    assert make_event().ordinal_label == ""


def test_series_neighbours_skip_drafts_and_gaps():
    series = make_series()
    tenth = make_event(series=series, session_number=10)
    make_event(series=series, session_number=11, publication_status="draft")
    thirteenth = make_event(series=series, session_number=13)
    assert tenth.series_neighbours() == (None, thirteenth)
    assert thirteenth.series_neighbours() == (tenth, None)


def test_convened_by_lists_each_event_once():
    first, second = make_body(), make_body()
    event = make_event(bodies=[first, second])
    assert list(Event.objects.convened_by({first.pk, second.pk})) == [event]


def test_in_year_counts_an_event_in_every_year_it_spans():
    event = make_event(start="2019-12-30", end="2021-01-02")
    assert [list(Event.objects.in_year(year)) for year in (2018, 2019, 2020, 2021, 2022)] == [
        [],
        [event],
        [event],
        [event],
        [],
    ]


def test_a_referenced_body_cannot_be_deleted():
    body = make_body()
    make_event(bodies=[body], participants=[(make_body(), Role.PRESENTER)])
    with pytest.raises(Exception) as error:
        Participation.objects.get().body.delete()
    assert "protected" in type(error.value).__name__.lower()


def test_published_excludes_drafts_and_records_in_review():
    published = make_event()
    make_event(publication_status="draft")
    make_event(publication_status="in_review")
    assert list(Event.objects.published()) == [published]
    assert published.first_published_at is not None
