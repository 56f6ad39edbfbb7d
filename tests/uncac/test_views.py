import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_article, make_event, make_instrument
from uncac.models import Chapter

pytestmark = pytest.mark.django_db


def test_index_lists_articles_by_chapter_with_counts(client):
    article = make_article(8, title="Codes of conduct for public officials")
    make_instrument(uncac_articles=[article])
    make_instrument(uncac_articles=[article], publication_status="draft")
    response = client.get(reverse("uncac:index"))
    assertContains(response, "Chapter II: Preventive measures")
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{article.get_absolute_url()}">Article 8: Codes of conduct for public officials'
        '</a></th><td class="num">1</td><td class="num">0</td></tr>',
        html=True,
    )


def test_index_lists_articles_in_numerical_order(client):
    for number in (10, 5, 8):
        make_article(number)
    chapter = client.get(reverse("uncac:index")).context["object_list"][0]
    assert [article.number for article in chapter.articles.all()] == [5, 8, 10]


def test_article_page_lists_instruments_and_events(client):
    article = make_article(5, title="Preventive anti-corruption policies and practices")
    make_instrument("Revised Arusha Declaration", uncac_articles=[article])
    make_event("Working Group meeting", uncac_articles=[article])
    make_instrument("Unpublished", uncac_articles=[article], publication_status="draft")
    response = client.get(article.get_absolute_url())
    assertContains(response, "Revised Arusha Declaration")
    assertContains(response, "Working Group meeting")
    assertNotContains(response, "Unpublished")


def test_unknown_article_is_not_found(client):
    assert client.get(reverse("uncac:article", kwargs={"number": 999})).status_code == 404


def international_cooperation():
    return Chapter.objects.create(number=4, title="International cooperation")


def test_chapter_page_lists_its_articles_and_what_covers_any_of_them_once(client):
    codes = make_article(8, title="Codes of conduct for public officials")
    procurement = make_article(9, title="Public procurement", chapter=codes.chapter)
    make_event("Working Group meeting", uncac_articles=[codes, procurement])
    make_instrument("Revised Arusha Declaration", uncac_articles=[procurement])
    make_instrument("Unpublished guide", uncac_articles=[codes], publication_status="draft")
    elsewhere = make_article(46, title="Mutual legal assistance", chapter=international_cooperation())
    make_event("Meeting on cooperation", uncac_articles=[elsewhere])

    response = client.get(codes.chapter.get_absolute_url())

    assert codes.chapter.get_absolute_url() == "/en/uncac/chapters/2/"
    assertContains(response, "<h1>Chapter II: Preventive measures</h1>", html=True)
    assertContains(response, "Article 9: Public procurement")
    assertContains(response, "Working Group meeting", count=1)
    assertContains(response, "Revised Arusha Declaration")
    assertNotContains(response, "Unpublished guide")
    assertNotContains(response, "Meeting on cooperation")
    assert (response.context["event_count"], response.context["instrument_count"]) == (1, 1)


def test_the_index_links_each_chapter_to_its_page(client):
    article = make_article(8)

    assertContains(client.get(reverse("uncac:index")), f'<a href="/en/uncac/chapters/{article.chapter.number}/">')


def test_the_lists_filter_by_chapter_listing_each_record_once(client):
    codes = make_article(8)
    procurement = make_article(9, chapter=codes.chapter)
    make_event("Working Group meeting", uncac_articles=[codes, procurement])
    make_event("Meeting on cooperation", uncac_articles=[make_article(46, chapter=international_cooperation())])
    make_instrument("Revised Arusha Declaration", uncac_articles=[codes, procurement])

    events = client.get(f"/en/events/?chapter={codes.chapter.number}")
    instruments = client.get(f"/en/instruments/?chapter={codes.chapter.number}")

    assert [event.title for event in events.context["object_list"]] == ["Working Group meeting"]
    assert [instrument.title for instrument in instruments.context["object_list"]] == ["Revised Arusha Declaration"]


def test_unknown_chapter_is_not_found(client):
    assert client.get(reverse("uncac:chapter", kwargs={"number": 99})).status_code == 404
