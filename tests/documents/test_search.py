"""
Records found through the text of their documents' pages, on the lists, the search page and the
API: which document and page, the passage with the words marked, the link to the file at that
page; never a draft's document; and the lists' facets of documents.
"""

import itertools

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from documents.checks import check_documented_lists, check_documented_models_are_publishable
from documents.models import Document, DocumentAccess, Documented, DocumentKind, Page, Reading
from documents.search import index_pages
from events.filters import EventFilter
from publishing.cache import forget_kept
from tests.factories import built_once, make_event, make_instrument

pytestmark = pytest.mark.django_db

EVENTS = reverse("events:list")
INSTRUMENTS = reverse("instruments:list")
SEARCH = reverse("search")
API_INSTRUMENTS = "/api/instruments/"

_files = itertools.count(1)

FILLER = "Members shall adopt measures of good governance in their administrations and review them each year."


def make_document(record, title, language="en", pages=(), *, reading=Reading.DONE, **fields):
    """A document of `record` whose file was read into `pages` (texts, from page 1), indexed as the reading does."""
    if fields.get("access") == DocumentAccess.MEMBERS:
        fields.setdefault("url", "https://members.example.org/text")
    else:
        fields.setdefault("file", f"documents/test-{next(_files)}.pdf")
        fields.setdefault("media_type", "application/pdf")
    document = Document.objects.create(
        record=record, kind=DocumentKind.FULL_TEXT, title=title, language=language, **fields
    )
    Document.objects.filter(pk=document.pk).update(reading=reading if document.file else Reading.NONE)
    Page.objects.bulk_create(Page(document=document, number=n, text=text) for n, text in enumerate(pages, 1))
    index_pages(document)
    return document


def declaration_pages():
    """Twelve pages, the ninth alone speaking of kleptocracy."""
    pages = [f"Article {n}. {FILLER}" for n in range(1, 13)]
    pages[8] = f"Article 9. {FILLER} Officers shall declare their assets, so that kleptocracy finds no shelter."
    return pages


def build_catalogue():
    guide = make_instrument("Customs guide", description="A guide for customs administrations.")
    declaration = make_document(guide, "Revised Arusha Declaration", "en", declaration_pages())
    make_document(guide, "Déclaration d'Arusha révisée", "fr", ["Article 9. La kleptocratie ne trouve aucun abri."])
    make_document(guide, "Members' commentary", "ru", access=DocumentAccess.MEMBERS)
    handbook = make_instrument("Kleptocracy handbook", description="How to spot kleptocracy.")
    make_document(handbook, "Handbook annex", "es", ["Anexo. Medidas de integridad."])
    make_instrument("Undocumented note")
    draft = make_instrument("Secret draft", publication_status="draft")
    make_document(draft, "Draft annex", "de", ["A draft speaks of kleptocracy too."])
    waiting = make_instrument("Waiting guide")
    make_document(waiting, "Unread annex", "en", ["Unread pages speak of kleptocracy."], reading=Reading.WAITING)
    event = make_event("Regional workshop")
    make_document(event, "Workshop report", "en", ["Participants spoke of kleptocracy and of ports."])
    return declaration


catalogue = built_once(build_catalogue)


def page_of(client, url, **params):
    caches["default"].clear()
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def titles(response):
    return [record.title for record in response.context["object_list"]]


def found_titles(response, kind):
    group = next(group for group in response.context["groups"] if group["kind"] == kind)
    return [record.title for record in group["records"]]


@pytest.fixture(scope="module")
def searched_for_kleptocracy(catalogue, django_db_blocker):
    """{address: response} of the instruments' list, the search page and the API searched for "kleptocracy"."""
    client = Client()
    with django_db_blocker.unblock():
        return {url: page_of(client, url, q="kleptocracy") for url in (INSTRUMENTS, SEARCH, API_INSTRUMENTS)}


# Found through a page


def test_a_word_only_on_page_9_finds_the_record_and_says_where(client, catalogue, searched_for_kleptocracy):
    link = f"{catalogue.get_absolute_url()}#page=9"
    listed, searched = searched_for_kleptocracy[INSTRUMENTS], searched_for_kleptocracy[SEARCH]

    for response in (listed, searched):
        assertContains(response, f'<a href="{link}">Revised Arusha Declaration (EN), page 9</a>', html=True, count=1)
        assert "<mark>kleptocracy</mark> finds no shelter" in response.content.decode()
    # The handbook's own texts speak of it, and rank first; the guide is found in its documents alone.
    assert titles(listed) == ["Kleptocracy handbook", "Customs guide"]
    assert found_titles(searched, "instruments") == ["Kleptocracy handbook", "Customs guide"]
    assertContains(listed, "Found in its documents:", count=1)
    assertContains(searched, "Found in its documents:", count=2)  # The guide, and the workshop.
    assertContains(searched, "Workshop report (EN), page 1")
    assert titles(page_of(client, EVENTS, q="kleptocracy")) == ["Regional workshop"]
    api = searched_for_kleptocracy[API_INSTRUMENTS].json()
    assert [item["title"] for item in api["results"]] == ["Kleptocracy handbook", "Customs guide"]


def test_a_page_is_found_in_its_documents_language(client, catalogue):
    response = page_of(client, INSTRUMENTS, q="kleptocratie")

    assert titles(response) == ["Customs guide"]
    assertContains(response, "Déclaration d&#x27;Arusha révisée (FR), page 1")
    assertContains(response, "<mark>kleptocratie</mark>")


def test_a_drafts_documents_and_unread_files_are_never_found_or_shown(client, catalogue, searched_for_kleptocracy):
    for response in searched_for_kleptocracy.values():
        for hidden in ("Secret draft", "Draft annex", "Waiting guide", "Unread annex", "draft speaks"):
            assertNotContains(response, hidden)
    assert titles(page_of(client, INSTRUMENTS, q="draft")) == []


def test_a_record_found_in_its_own_texts_too_names_its_documents_without_that_reason(client, catalogue):
    response = page_of(client, INSTRUMENTS, q="administrations")

    assert titles(response) == ["Customs guide"]
    assertContains(response, "Also found in its documents:")
    assertNotContains(response, "Found in its documents:")
    assertContains(response, "Revised Arusha Declaration (EN), page 1")


# Facets


def facets(response):
    """{facet: {label: count}} as the page shows them."""
    return {
        view.name: {option.label: option.count for option in view.options}
        for view in response.context["filter"].facet_views
    }


def test_the_documents_facets_count_public_documents_of_published_records(client, catalogue):
    shown = facets(page_of(client, INSTRUMENTS))

    # The members-only link counts for neither facet; the draft's German annex is not offered.
    assert shown["has_documents"] == {"With documents": 3, "Without documents": 1}
    assert shown["document_language"] == {"English": 2, "French": 1, "Spanish": 1}
    french = facets(page_of(client, "/fr/instruments/"))
    assert french["document_language"] == {"Anglais": 2, "Espagnol": 1, "Français": 1}
    assert facets(page_of(client, EVENTS))["document_language"] == {"English": 1}


def test_the_documents_facets_filter_the_list(client, catalogue):
    assert titles(page_of(client, INSTRUMENTS, has_documents="no")) == ["Undocumented note"]
    assert titles(page_of(client, INSTRUMENTS, has_documents=["yes", "no"], document_language="es")) == [
        "Kleptocracy handbook"
    ]
    response = page_of(client, INSTRUMENTS, document_language=["fr", "es"], q="kleptocracy")
    assert titles(response) == ["Kleptocracy handbook", "Customs guide"]
    assert facets(response)["has_documents"] == {"With documents": 2}
    assert page_of(client, INSTRUMENTS, has_documents="yes").context["paginator"].count == 3
    assert client.get(INSTRUMENTS, {"document_language": "zz"}).status_code == 400


# Query counts


def count_queries(client, url):
    caches["default"].clear()
    forget_kept()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_of_the_results_are_read_in_one_query(client):
    urls = [f"{EVENTS}?q=obfuscation", f"{EVENTS}?q=obfuscation&sort=newest", f"{SEARCH}?q=obfuscation"]

    def add_events(count):
        for _n in range(count):
            event = make_event()
            for language in ("en", "fr"):
                make_document(event, "Report", language, [FILLER, f"Obfuscation. {FILLER}"])

    add_events(2)
    small = [count_queries(client, url) for url in urls]
    add_events(3)
    large = [count_queries(client, url) for url in urls]

    assert large == small
    assertContains(client.get(urls[0]), "Report (FR), page 2", count=5)


def test_a_list_of_records_with_documents_offers_their_facets():
    assert check_documented_lists(None) == []
    without = {name: facet for name, facet in EventFilter.base_filters.items() if name != "document_language"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EventFilter, "base_filters", without)
        errors = check_documented_lists(None)
    assert [(error.id, error.obj) for error in errors] == [("documents.E001", EventFilter)]
    assert "DocumentLanguageFacet" in errors[0].msg


@isolate_apps("documents")
def test_a_model_with_documents_must_have_a_publication_state(monkeypatch):
    class Leaflet(Documented):
        class Meta:
            app_label = "documents"

    assert check_documented_models_are_publishable(None) == []
    monkeypatch.setattr(apps, "get_models", lambda: [Leaflet])
    [error] = check_documented_models_are_publishable(None)
    assert (error.id, error.obj) == ("documents.E002", Leaflet)
