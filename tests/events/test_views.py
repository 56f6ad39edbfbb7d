import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import DatePrecision, Role
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

LIST_URL = reverse("events:list")


def titles(response):
    return [event.title for event in response.context["object_list"]]


def test_list_shows_published_events_newest_first_with_their_count(client):
    make_event("Older", start="2018-09-05")
    make_event("Newer", start="2022-09-05")
    make_event("Secret draft", start="2023-01-01", publication_status="draft")
    make_event("Under review", start="2023-01-02", publication_status="in_review")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert titles(response) == ["Newer", "Older"]
    assert "2 events found" in response.content.decode()
    assert "Secret draft" not in response.content.decode()
    assert "Under review" not in response.content.decode()


def test_list_pages_by_twenty_and_pagination_keeps_the_filters(client):
    body = make_body()
    for day in range(1, 26):
        make_event(f"Meeting {day:02}", start=f"2019-03-{day:02}", bodies=[body])
    make_event("Other year", start="2018-01-01", bodies=[body])

    first = client.get(LIST_URL, {"year": "2019", "body": body.slug})
    second = client.get(LIST_URL, {"year": "2019", "body": body.slug, "page": "2"})

    assert len(first.context["object_list"]) == 20
    assert "25 events found" in first.content.decode()
    assert f'href="?body={body.slug}&amp;year=2019&amp;page=2"' in first.content.decode()
    assert titles(second) == [f"Meeting {day:02}" for day in range(5, 0, -1)]
    assert f'href="?body={body.slug}&amp;page=1&amp;year=2019"' in second.content.decode()


def test_year_filter_counts_an_event_in_every_year_it_spans(client):
    make_event("Across new year", start="2019-12-30", end="2020-01-02")
    make_event("Only 2019", start="2019-05-27", end="2019-05-29")
    make_event("Only 2021", start="2021-03-01")

    assert titles(client.get(LIST_URL, {"year": "2019"})) == ["Across new year", "Only 2019"]
    assert titles(client.get(LIST_URL, {"year": "2020"})) == ["Across new year"]
    assert titles(client.get(LIST_URL, {"year": "2022"})) == []


def test_year_filter_uses_the_known_precision(client):
    make_event("Some time in 2016", start="2016-01-01", date_precision=DatePrecision.YEAR)
    assert titles(client.get(LIST_URL, {"year": "2016"})) == ["Some time in 2016"]


def test_body_filter_includes_events_of_subsidiary_bodies(client):
    unodc = make_body("UNODC")
    cosp = make_body("Conference of the States Parties", parent=unodc)
    irg = make_body("Implementation Review Group", parent=cosp)
    isc = make_body("Integrity Sub-Committee")
    make_event("IRG session", start="2022-09-05", bodies=[irg])
    make_event("CoSP session", start="2021-12-13", bodies=[cosp])
    make_event("Joint meeting", start="2020-01-01", bodies=[isc, irg])
    make_event("ISC session", start="2025-02-03", bodies=[isc])

    assert titles(client.get(LIST_URL, {"body": unodc.slug})) == ["IRG session", "CoSP session", "Joint meeting"]
    assert titles(client.get(LIST_URL, {"body": irg.slug})) == ["IRG session", "Joint meeting"]
    assert titles(client.get(LIST_URL, {"body": isc.slug})) == ["ISC session", "Joint meeting"]


def test_the_body_facet_shows_the_hierarchy_and_counts_subsidiaries_in_their_parent(client):
    parent = make_body("UNODC")
    child = make_body("Implementation Review Group", short_name="IRG", parent=parent)
    alone = make_body("World Customs Organization")
    make_event("Joint", bodies=[parent, child])
    make_event("IRG only", bodies=[child])
    make_event("WCO", bodies=[alone])

    facet = next(view for view in client.get(LIST_URL).context["filter"].facet_views if view.name == "body")

    assert [(option.label, option.count, option.depth) for option in facet.options] == [
        ("UNODC", 2, 0),
        ("Implementation Review Group (IRG)", 2, 1),
        ("World Customs Organization", 1, 0),
    ]


def test_country_topic_article_and_series_filters(client):
    topic = make_topic("Staff rotation")
    article = make_article(8, title="Codes of conduct for public officials")
    series = make_series()
    make_event("Vienna", start="2022-01-01", city="Vienna", country="AT", topics=[topic])
    make_event("Brussels", start="2021-01-01", city="Brussels", country="BE", uncac_articles=[article])
    make_event("Numbered", start="2020-01-01", series=series, session_number=1)

    assert titles(client.get(LIST_URL, {"country": "AT"})) == ["Vienna"]
    assert titles(client.get(LIST_URL, {"topic": topic.slug})) == ["Vienna"]
    assert titles(client.get(LIST_URL, {"article": "8"})) == ["Brussels"]
    assert titles(client.get(LIST_URL, {"series": series.slug})) == ["Numbered"]


def test_choices_come_from_published_events_once_each(client):
    used_topic, draft_topic = make_topic("Staff rotation"), make_topic("Secret agenda")
    used_series, draft_series = make_series(name="IRG sessions"), make_series(name="Secret series")
    make_event(country="AT", topics=[used_topic], series=used_series, session_number=1)
    make_event(country="AT", topics=[used_topic], series=used_series, session_number=2)
    make_event(country="FR", topics=[draft_topic], series=draft_series, session_number=1, publication_status="draft")
    make_topic("Never used")

    fields = client.get(LIST_URL).context["filter"].form.fields

    assert list(fields["country"].choices) == [("AT", "Austria")]
    assert list(fields["topic"].choices) == [(used_topic.slug, "Staff rotation")]
    assert list(fields["series"].choices) == [(used_series.slug, "IRG sessions")]


def test_filters_combine(client):
    body = make_body()
    topic = make_topic()
    make_event("Match", start="2019-05-27", bodies=[body], topics=[topic], country="AT")
    make_event("Wrong year", start="2018-05-27", bodies=[body], topics=[topic], country="AT")
    make_event("Wrong body", start="2019-05-27", topics=[topic], country="AT")
    make_event("Wrong topic", start="2019-05-27", bodies=[body], country="AT")
    make_event("Wrong country", start="2019-05-27", bodies=[body], topics=[topic], country="BE")

    response = client.get(LIST_URL, {"year": "2019", "body": body.slug, "topic": topic.slug, "country": "AT"})

    assert titles(response) == ["Match"]
    assert "1 event found" in response.content.decode()


def test_an_empty_catalogue_says_nothing_is_published_yet(client):
    response = client.get(LIST_URL)
    assertContains(response, "0 events found")
    assertContains(response, "No events have been published yet.")


def test_invalid_filters_say_so_instead_of_counting_results(client):
    make_event(start="2019-01-01")
    response = client.get(LIST_URL, {"year": "abc"})
    assertContains(response, "No results until the filters are corrected", status_code=400)
    assertNotContains(response, "events found", status_code=400)
    assertNotContains(response, "No events match these filters.", status_code=400)


def test_no_match_shows_a_clear_empty_state(client):
    make_event(start="2019-01-01")
    response = client.get(LIST_URL, {"year": "2030"})
    assert response.status_code == 200
    assert "0 events found" in response.content.decode()
    assert "No events match these filters." in response.content.decode()


def test_detail_shows_every_fact_with_links(client):
    irg = make_body("Implementation Review Group", short_name="IRG")
    imf = make_body("International Monetary Fund", short_name="IMF")
    topic = make_topic("Asset recovery")
    instrument = make_instrument("Revised Arusha Declaration")
    draft_instrument = make_instrument("Unpublished guide", publication_status="draft")
    article = make_article(5, title="Preventive anti-corruption policies and practices")
    source = make_source(url="https://www.wcoomd.org/en/media/newsroom/x.aspx", title="WCO news item")
    series = make_series(irg, name="Sessions of the IRG")
    event = make_event(
        "13th session of the Implementation Review Group",
        start="2022-09-05",
        end="2022-09-08",
        bodies=[irg],
        participants=[(imf, Role.KEYNOTE_SPEAKER)],
        series=series,
        session_number=13,
        city="Vienna",
        country="AT",
        format="in_person",
        wco_role=Role.PRESENTER,
        summary="The WCO presented its work.",
        contact_email="capacity.building@wcoomd.org",
        topics=[topic],
        instruments=[instrument, draft_instrument],
        uncac_articles=[article],
        sources=[source],
    )

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    assert_contains = (
        "<h1>13th session of the Implementation Review Group</h1>",
        '<time datetime="2022-09-05">5</time>–<time datetime="2022-09-08">8 September 2022</time>',
        "Vienna, Austria",
        "13th session",
        f'<a href="{series.get_absolute_url()}">Sessions of the IRG</a>',
        f'<a href="{irg.get_absolute_url()}">Implementation Review Group (IRG)</a>',
        f'<a href="{imf.get_absolute_url()}">International Monetary Fund (IMF)</a>, keynote speaker',
        "<dd>Presenter</dd>",
        f'<a href="{topic.get_absolute_url()}">Asset recovery</a>',
        f'<a href="{instrument.get_absolute_url()}">Revised Arusha Declaration</a>',
        f'<a href="{article.get_absolute_url()}">Article 5: Preventive anti-corruption policies and practices</a>',
        '<a href="mailto:capacity.building@wcoomd.org">capacity.building@wcoomd.org</a>',
        '<a href="https://www.wcoomd.org/en/media/newsroom/x.aspx" rel="external noopener" hreflang="en" lang="en">'
        "WCO news item</a>",
        "<p>The WCO presented its work.</p>",
    )
    content = response.content.decode()
    for fragment in assert_contains:
        assert fragment in content
    assert "Unpublished guide" not in content


def test_detail_links_the_previous_and_next_sessions_of_the_series(client):
    series = make_series()
    tenth = make_event("10th session", series=series, session_number=10)
    thirteenth = make_event("13th session", series=series, session_number=13)
    make_event("14th session draft", series=series, session_number=14, publication_status="draft")

    content = client.get(thirteenth.get_absolute_url()).content.decode()

    assert f'<a href="{tenth.get_absolute_url()}" rel="prev">' in content
    assert 'rel="next"' not in content
    assert "14th session draft" not in content


def test_partial_dates_say_what_is_known(client):
    event = make_event(start="2016-01-01", date_precision=DatePrecision.YEAR)
    content = client.get(event.get_absolute_url()).content.decode()
    assert '<time datetime="2016">2016</time>' in content
    assert "the exact days are not recorded" in content


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_unpublished_event_detail_is_not_found(client, status):
    event = make_event(publication_status=status)
    assert client.get(event.get_absolute_url()).status_code == 404
