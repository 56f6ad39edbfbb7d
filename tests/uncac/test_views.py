import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_article, make_event, make_instrument

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
