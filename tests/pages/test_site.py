import pytest
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from tests.factories import make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db


def test_home_explains_the_catalogue_and_shows_latest_events_key_instruments_and_counts(client):
    for day in range(1, 8):
        make_event(f"Session {day}", start=f"2024-01-{day:02}")
    make_event("Draft session", start="2025-01-01", publication_status="draft")
    make_instrument("Revised Arusha Declaration", is_featured=True)
    make_instrument("Minor note")
    make_topic()

    response = client.get("/en/")

    assertContains(response, '<h1 id="page-heading">The WCO\'s work on integrity in Customs</h1>', html=True)
    assert [event.title for event in response.context["latest_events"]] == [
        f"Session {day}" for day in range(7, 2, -1)
    ]
    assertContains(response, "<strong>7</strong> events", html=False)
    assertContains(response, "<strong>2</strong> instruments")
    assertContains(response, "Revised Arusha Declaration")
    assertNotContains(response, "Minor note")
    assertNotContains(response, "Draft session")


def test_home_with_an_empty_catalogue_says_so(client):
    response = client.get("/en/")
    assertContains(response, "No events have been published yet.")
    assertContains(response, "<strong>0</strong> events")


def test_pages_have_landmarks_a_skip_link_and_one_heading(client):
    body = make_body()
    for url in (
        "/en/",
        "/en/events/",
        "/en/instruments/",
        "/en/bodies/",
        body.get_absolute_url(),
        "/en/topics/",
        "/en/uncac/",
    ):
        content = client.get(url).content.decode()
        assert content.count("<h1") == 1, url
        for landmark in ('<a class="skip-link" href="#content">', "<header", "<nav", '<main id="content"', "<footer"):
            assert landmark in content, (url, landmark)


def test_unknown_address_gets_the_sites_own_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, 'href="/en/events/"', status_code=404)


def test_server_error_page_is_the_sites_own(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_static_files_are_served_with_hashed_names(client):
    content = client.get("/en/").content.decode()
    assert 'href="/static/css/site.' in content
    assert 'href="/static/css/site.css"' not in content
