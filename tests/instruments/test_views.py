import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from instruments.models import InstrumentKind
from tests.factories import make_article, make_body, make_event, make_instrument, make_source, make_topic

pytestmark = pytest.mark.django_db

LIST_URL = reverse("instruments:list")


def titles(response):
    return [instrument.title for instrument in response.context["object_list"]]


def test_list_shows_published_instruments_by_title(client):
    make_instrument("Risk mapping guide")
    make_instrument("Arusha Declaration")
    make_instrument("Draft survey", publication_status="draft")

    response = client.get(LIST_URL)

    assert titles(response) == ["Arusha Declaration", "Risk mapping guide"]
    assertContains(response, "2 instruments found")
    assertNotContains(response, "Draft survey")


def test_year_filter_matches_adoption_or_revision(client):
    make_instrument("Adopted 1993, revised 2003", year_adopted=1993, year_revised=2003)
    make_instrument("Released 2003", year_adopted=2003)
    make_instrument("Released 2024", year_adopted=2024)

    assert titles(client.get(LIST_URL, {"year": "2003"})) == ["Adopted 1993, revised 2003", "Released 2003"]
    assert titles(client.get(LIST_URL, {"year": "1993"})) == ["Adopted 1993, revised 2003"]


def test_body_filter_includes_subsidiary_bodies(client):
    wco = make_body("World Customs Organization")
    isc = make_body("Integrity Sub-Committee", parent=wco)
    make_instrument("Declaration", issuing_body=wco)
    make_instrument("Work programme", issuing_body=isc)
    make_instrument("Resolution", issuing_body=make_body("Conference"))

    assert titles(client.get(LIST_URL, {"body": wco.slug})) == ["Declaration", "Work programme"]
    assert titles(client.get(LIST_URL, {"body": isc.slug})) == ["Work programme"]


def test_kind_article_and_topic_filters_combine(client):
    article = make_article(8, title="Codes of conduct for public officials")
    topic = make_topic("Conflict of interest")
    make_instrument("Match", kind=InstrumentKind.DECLARATION, uncac_articles=[article], topics=[topic])
    make_instrument("Wrong kind", kind=InstrumentKind.GUIDE, uncac_articles=[article], topics=[topic])
    make_instrument("Wrong article", kind=InstrumentKind.DECLARATION, topics=[topic])
    make_instrument("Wrong topic", kind=InstrumentKind.DECLARATION, uncac_articles=[article])

    assert titles(client.get(LIST_URL, {"kind": "declaration"})) == ["Match", "Wrong article", "Wrong topic"]
    assert titles(client.get(LIST_URL, {"article": "8"})) == ["Match", "Wrong kind", "Wrong topic"]
    assert titles(client.get(LIST_URL, {"kind": "declaration", "article": "8", "topic": topic.slug})) == ["Match"]


def test_invalid_kind_is_reported_not_ignored(client):
    make_instrument()
    response = client.get(LIST_URL, {"kind": "rumour"})
    assert response.status_code == 400
    assertContains(response, "Some filters could not be applied.", status_code=400)
    assertContains(response, "Select a valid choice. rumour is not one of the available choices.", status_code=400)
    assert titles(response) == []


def test_detail_shows_articles_events_and_programme(client):
    wco = make_body("World Customs Organization", short_name="WCO")
    programme = make_instrument("A-CIP Programme", kind=InstrumentKind.PROGRAMME)
    article = make_article(10, title="Public reporting")
    survey = make_instrument(
        "Customs Integrity Perception Survey",
        short_name="CIPS",
        kind=InstrumentKind.SURVEY,
        issuing_body=wco,
        year_adopted=2024,
        programme=programme,
        platform="CLiKC!",
        access="members",
        description="A survey of how integrity is perceived.",
        uncac_articles=[article],
        sources=[make_source(title="Ukrainian customs news")],
    )
    presented_at = make_event("24th session", start="2025-02-03", instruments=[survey])
    make_event("Draft meeting", instruments=[survey], publication_status="draft")

    response = client.get(survey.get_absolute_url())

    assertContains(
        response, '<h1>Customs Integrity Perception Survey <span class="record__abbr">(CIPS)</span></h1>', html=True
    )
    assertContains(response, f'<a href="{wco.get_absolute_url()}">World Customs Organization (WCO)</a>', html=True)
    assertContains(response, f'<a href="{programme.get_absolute_url()}">A-CIP Programme</a>', html=True)
    assertContains(response, f'<a href="{article.get_absolute_url()}">Article 10: Public reporting</a>', html=True)
    assertContains(response, f'<a href="{presented_at.get_absolute_url()}">24th session</a>', html=True)
    assertContains(response, "On the CLiKC! platform")
    assertContains(response, "WCO Members only")
    assertContains(response, "Ukrainian customs news")
    assertNotContains(response, "Draft meeting")


def test_detail_hides_an_unpublished_programme_and_components(client):
    programme = make_instrument("Hidden programme", kind=InstrumentKind.PROGRAMME, publication_status="draft")
    instrument = make_instrument("Visible tool", programme=programme)
    make_instrument("Hidden component", programme=instrument, publication_status="draft")
    response = client.get(instrument.get_absolute_url())
    assertNotContains(response, "Hidden programme")
    assertNotContains(response, "Hidden component")


def test_programme_page_lists_its_published_components(client):
    programme = make_instrument("A-CIP Programme", kind=InstrumentKind.PROGRAMME)
    component = make_instrument("Performance Measurement Mechanism", programme=programme)
    response = client.get(programme.get_absolute_url())
    assertContains(
        response, f'<a href="{component.get_absolute_url()}">Performance Measurement Mechanism</a>', html=True
    )


def test_unpublished_instrument_detail_is_not_found(client):
    assert client.get(make_instrument(publication_status="draft").get_absolute_url()).status_code == 404
