"""
What a shared link shows: every public page has one canonical address, its own title and
description, and Open Graph tags that repeat them, in the page's language.
"""

from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.utils import translation

from events.models import EventFormat
from pages.templatetags.page_meta import canonical_query
from publishing.models import PublicationStatus
from tests.admin_forms import make_staff
from tests.factories import built_once, make_article, make_body, make_event, make_instrument, make_topic
from tests.fetching import fetched_once

pytestmark = pytest.mark.django_db

SITE_NAME = {"en": "WCO Integrity Catalogue", "fr": "Catalogue de l'éthique de l'OMD"}
LOCALES = {"en": ("en_GB", "fr_FR"), "fr": ("fr_FR", "en_GB")}
TRICKY_TITLE = "Integrity \"Days\" <2024> & the 'ISC'"


class Head(HTMLParser):
    """The canonical links, the <title> and the meta tags of a page, with their values unescaped."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.canonicals = []
        self.meta = {}
        self.title = ""
        self.in_title = False
        self.feed(content)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonicals.append(attrs["href"])
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs["content"])
        self.in_title = tag == "title"

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data

    def one(self, name):
        values = self.meta.get(name, [])
        assert len(values) == 1, (name, values)
        return values[0]


def head(get, url, status=200):
    response = get(url)
    assert response.status_code == status, url
    return Head(response.content.decode())


def build_catalogue():
    """A record of each kind, linked together; the addresses of its pages, to fill in with a language."""
    body = make_body("Integrity Sub-Committee", short_name="ISC", slug="isc", description="Steers the integrity work.")
    topic = make_topic("Risk management", name_fr="Gestion des risques", description="Where risks lie.")
    article = make_article(7, title="Public sector", title_fr="Secteur public")
    event = make_event(
        TRICKY_TITLE,
        start="2024-03-12",
        end="2024-03-14",
        slug="integrity-days",
        city="Brussels",
        city_fr="Bruxelles",
        country="BE",
        format=EventFormat.HYBRID,
        summary="Delegates shared their codes of conduct. " * 10,
        summary_fr="Les délégués ont partagé leurs codes de conduite. " * 10,
        bodies=[body],
        topics=[topic],
        uncac_articles=[article],
    )
    instrument = make_instrument(
        "Integrity Development Guide",
        slug="idg",
        issuing_body=body,
        description="A step-by-step guide to building integrity.",
        topics=[topic],
        uncac_articles=[article],
    )
    return {
        "home": "/{}/",
        "event list": "/{}/events/",
        "event": f"/{{}}/events/{event.slug}/",
        "instrument list": "/{}/instruments/",
        "instrument": f"/{{}}/instruments/{instrument.slug}/",
        "body list": "/{}/bodies/",
        "body": f"/{{}}/bodies/{body.slug}/",
        "topic list": "/{}/topics/",
        "topic": f"/{{}}/topics/{topic.slug}/",
        "UNCAC": "/{}/uncac/",
        "chapter": f"/{{}}/uncac/chapters/{article.chapter.number}/",
        "article": f"/{{}}/uncac/articles/{article.number}/",
    }


catalogue = built_once(build_catalogue)
# The catalogue's pages, each fetched once for every test that reads it.
get = fetched_once("catalogue")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_has_one_canonical_address_and_open_graph_tags_that_repeat_its_title(get, catalogue, language):
    descriptions = set()
    for page, url in catalogue.items():
        url = url.format(language)
        page_head = head(get, url)

        assert page_head.canonicals == [f"http://testserver{url}"], page
        assert page_head.one("og:url") == page_head.canonicals[0], page
        og_title = page_head.one("og:title")
        assert og_title, page
        assert page_head.title == f"{og_title} · {SITE_NAME[language]}", page
        description = page_head.one("og:description")
        assert description and description == page_head.one("description"), page
        descriptions.add(description)
        assert page_head.one("og:site_name") == SITE_NAME[language]
        assert page_head.one("og:type") == "website"
        assert (page_head.one("og:locale"), page_head.one("og:locale:alternate")) == LOCALES[language]
        assert page_head.one("twitter:card") == "summary"
    assert len(descriptions) == len(catalogue), "two pages share a description"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["12–14 March 2024", "Brussels, Belgium", "Hybrid", "Delegates shared their codes of conduct."]),
        ("fr", ["12–14 mars 2024", "Bruxelles, Belgique", "Hybride", "Les délégués ont partagé leurs codes"]),
    ],
)
def test_an_events_description_gives_its_dates_place_and_a_shortened_summary_in_the_pages_language(
    get, catalogue, language, expected
):
    description = head(get, catalogue["event"].format(language)).one("og:description")

    for text in expected:
        assert text in description
    assert description.endswith("…")
    assert len(description) < 300


def test_record_pages_describe_the_record(get, catalogue):
    def description(page, language="en"):
        return head(get, catalogue[page].format(language)).one("og:description")

    assert description("instrument").startswith(
        "Guide · Issued by Integrity Sub-Committee (ISC). A step-by-step guide to building integrity."
    )
    assert description("body") == "WCO body. Steers the integrity work."
    assert description("topic") == "Topic · 1 event · 1 instrument. Where risks lie."
    assert description("topic", "fr").startswith("Thème")
    assert "Article 7: Public sector" in description("chapter")
    assert "Article 7 : Secteur public" in description("chapter", "fr")
    assert description("article") == (
        "The UN Convention against Corruption (UNCAC) · Chapter II: Preventive measures · 1 event · 1 instrument"
    )


def test_the_canonical_address_of_a_filtered_list_drops_empty_parameters_and_the_first_page_and_sorts_the_rest(
    get,
):
    page_head = head(get, "/en/events/?q=&format=online&page=1&body=isc&format=hybrid&year=")

    assert page_head.canonicals == ["http://testserver/en/events/?body=isc&format=hybrid&format=online"]
    assert page_head.one("og:url") == page_head.canonicals[0]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("", ""),
        ("page=1", ""),
        ("page=2", "page=2"),
        ("q=+&year=", ""),
        ("year=2024&body=isc&year=2019&page=3", "body=isc&page=3&year=2024&year=2019"),
        ("q=codes+%26+conduct&country=FR", "country=FR&q=codes+%26+conduct"),
    ],
)
def test_canonical_query(query, canonical):
    assert canonical_query(QueryDict(query)) == canonical


def test_special_characters_in_a_title_are_escaped_in_attributes(get, catalogue):
    response = get(catalogue["event"].format("en"))
    content = response.content.decode()
    page_head = Head(content)

    assert page_head.one("og:title") == TRICKY_TITLE
    assert page_head.title == f"{TRICKY_TITLE} · WCO Integrity Catalogue"
    assert "<2024>" not in content
    assert 'content="Integrity &quot;Days&quot; &lt;2024&gt; &amp; the &#x27;ISC&#x27;"' in content


def test_a_preview_has_no_canonical_address(client):
    event = make_event("Draft session", slug="draft-session", publication_status=PublicationStatus.DRAFT)
    client.force_login(make_staff("staff", "Editor"))
    with translation.override("en"):
        url = f"{event.get_absolute_url()}preview/"

    page_head = head(client.get, url)

    assert page_head.canonicals == []
    assert "og:url" not in page_head.meta
    assert page_head.one("robots") == "noindex, nofollow"
    assert page_head.one("og:title") == "Draft session"


@pytest.mark.parametrize(
    ("url", "title"), [("/en/no/such/page/", "Page not found"), ("/fr/events/no-such-event/", "Page introuvable")]
)
def test_a_404_has_its_own_title_and_no_canonical_address(client, url, title):
    page_head = head(client.get, url, status=404)

    assert page_head.canonicals == []
    assert "og:url" not in page_head.meta
    assert page_head.one("og:title") == title
    assert page_head.one("og:description")
