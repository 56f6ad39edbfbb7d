import xml.etree.ElementTree as ET

import pytest
from pytest_django.asserts import assertContains

from tests.factories import make_article, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [url.find("sm:loc", NS).text for url in root.findall("sm:url", NS)], root


def test_sitemap_lists_every_published_page_in_both_languages(client):
    body = make_body(slug="isc")
    topic = make_topic(slug="staff-rotation")
    event = make_event(slug="irg-13", bodies=[body], topics=[topic])
    instrument = make_instrument(slug="cips")
    make_article(8)
    make_event(slug="secret-draft", publication_status="draft")
    make_instrument(slug="draft-guide", publication_status="draft")

    urls, root = locations(client)

    for path in (
        "/",
        "/events/",
        f"/events/{event.slug}/",
        f"/instruments/{instrument.slug}/",
        f"/bodies/{body.slug}/",
        f"/topics/{topic.slug}/",
        "/uncac/articles/8/",
        "/uncac/chapters/2/",
    ):
        for language in ("en", "fr"):
            assert f"http://testserver/{language}{path}" in urls
    assert not [url for url in urls if "draft" in url]
    alternates = root.findall("sm:url/xhtml:link", NS)
    assert {link.get("hreflang") for link in alternates} == {"en", "fr", "x-default"}


def test_robots_txt_points_at_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assertContains(response, "Disallow: /admin/")
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
