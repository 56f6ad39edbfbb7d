import itertools
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import built_once, make_article, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

EVENTS = reverse("events:list")
INSTRUMENTS = reverse("instruments:list")
LIST_URLS = [EVENTS, INSTRUMENTS]
ARABIC = quote("مكافحة الفساد")
LONG = "a" * 10_000


def build_catalogue():
    unodc = make_body("UNODC", slug="unodc")
    irg = make_body("Implementation Review Group", slug="irg", parent=unodc)
    wco = make_body("World Customs Organization", slug="wco")
    topic = make_topic("Risk management", slug="risk-management")
    article = make_article(number=7)
    declaration = make_instrument(
        "Revised Arusha Declaration", issuing_body=wco, year_adopted=2003, topics=[topic], uncac_articles=[article]
    )
    make_instrument("IRG guide", issuing_body=irg, year_adopted=2019)
    make_event("IRG session", start="2019-06-03", bodies=[irg], country="AT", topics=[topic])
    make_event("Integrity conference", start="2020-03-10", bodies=[wco], country="BE", instruments=[declaration])


catalogue = built_once(build_catalogue)


@pytest.fixture(autouse=True)
def rendered_afresh(settings):
    """Each page made by its view, rather than served whole from the cache for an equal query."""
    settings.CACHE_LAYERS_OFF = settings.CACHE_LAYERS_OFF | {"response"}


def get(client, url, query):
    return client.get(f"{url}?{query}")


def count_found(response):
    return response.context["paginator"].count


INVALID_FILTERS = [
    ("year=abc", "year"),
    ("year=99999999999999999999", "year"),
    ("year=1.5", "year"),
    ("year=%00", "year"),
    ("year=%FF%FE", "year"),
    ("year=" + "9" * 10_000, "year"),
    ("body=no-such-body", "body"),
    ("body=%00", "body"),
    ("body=%F0%9F%98%80", "body"),
    ("body=%FF%FE", "body"),
    ("body=" + LONG, "body"),
    ("topic=%00", "topic"),
    ("article=%00", "article"),
    ("article=" + "9" * 30, "article"),
    ("topic=" + ARABIC, "topic"),
    ("topic=" + quote("\u202eevil\u202c"), "topic"),
    ("year=2019&year=abc", "year"),
    ("body=unodc&body=nobody", "body"),
    ("q=" + LONG, "q"),
    ("q=%00", "q"),
    ("q=risk%0Dmanagement", "q"),
    ("sort=-title", "sort"),
    ("sort=relevance", "sort"),
]


def test_invalid_filter_is_a_400_with_the_error_beside_the_field_and_no_results(client, catalogue):
    for (query, field), url in itertools.product(INVALID_FILTERS, LIST_URLS):
        case = f"{url}?{query[:40]}"
        response = get(client, url, query)

        html = response.content.decode()
        message = response.context["filter"].form.errors[field][0]
        assert response.status_code == 400, case
        assert "Some filters could not be applied." in html, case
        assert f'id="id_{field}_error"' in html or field == "sort", case  # The sort's error is in the summary only.
        assert escape(message) in html, case
        assert count_found(response) == 0, case


def test_a_list_checks_its_own_filters_and_ignores_the_other_lists(client, catalogue):
    for url, query, status in [
        (EVENTS, "country=%00", 400),
        (EVENTS, "series=%00", 400),
        (INSTRUMENTS, "kind=%00", 400),
        (INSTRUMENTS, "country=%00", 200),
        (INSTRUMENTS, "series=%00", 200),
        (EVENTS, "kind=%00", 200),
    ]:
        response = get(client, url, query)

        assert response.status_code == status, f"{url}?{query}"
        assert count_found(response) == (0 if status == 400 else 2), f"{url}?{query}"


def test_the_search_or_sort_given_twice_is_refused(client, catalogue):
    for url, query in itertools.product(LIST_URLS, ["q=risk&q=guide", "sort=title&sort=newest"]):
        response = get(client, url, query)

        assert response.status_code == 400, f"{url}?{query}"
        assert "Give only one value for this filter." in response.content.decode(), f"{url}?{query}"
        assert count_found(response) == 0, f"{url}?{query}"


def test_empty_values_and_unknown_parameters_are_no_filter(client, catalogue):
    queries = [
        "year=",
        "year=&body=&topic=",
        "topic=&topic=",
        "q=&sort=",
        "utm_source=newsletter&ordering=-title",
        "%FF%FE=1",
        "%00=%00",
    ]
    for query, url in itertools.product(queries, LIST_URLS):
        response = get(client, url, query)

        assert response.status_code == 200, f"{url}?{query}"
        assert "Some filters could not be applied." not in response.content.decode(), f"{url}?{query}"
        assert count_found(response) == 2, f"{url}?{query}"


def test_the_first_and_last_accepted_years_are_served(client, catalogue):
    for url, year in itertools.product(LIST_URLS, ["1000", "9999"]):
        response = get(client, url, f"year={year}")

        assert response.status_code == 200, f"{url}?year={year}"
        assert count_found(response) == 0, f"{url}?year={year}"


def test_a_page_that_does_not_exist_is_a_404_naming_the_valid_pages(client, catalogue):
    for page, url in itertools.product(["0", "abc", "99999", "-1", "%00", "1.5", "9" * 10_000], LIST_URLS):
        response = get(client, url, f"page={page}")

        assert response.status_code == 404, f"{url}?page={page[:10]}"
        assert "its pages are numbered from 1 to 1." in response.content.decode(), f"{url}?page={page[:10]}"


def test_the_last_page_and_a_repeated_page_parameter_are_served(client, catalogue):
    for url in LIST_URLS:
        assert get(client, url, "page=last").status_code == 200, url
        assert get(client, url, "page=1&page=1").status_code == 200, url


def test_other_public_pages_ignore_a_junk_query_string(client, catalogue):
    for path in [
        "/en/",
        "/en/bodies/",
        "/en/topics/",
        "/en/uncac/",
        "/en/bodies/unodc/",
        "/en/topics/risk-management/",
    ]:
        response = get(client, path, "year=abc&page=%00&body=%FF%FE&" + "x=" + LONG)

        assert response.status_code == 200, path


ODD_DETAIL_PATHS = [
    "/en/events/%00/",
    "/en/instruments/%00/",
    "/en/bodies/%00/",
    "/en/topics/%00/",
    "/en/events/" + "a" * 500 + "/",
    "/en/instruments/" + "a" * 500 + "/",
    "/en/bodies/" + "a" * 500 + "/",
    "/en/topics/" + "a" * 500 + "/",
    "/en/events/%C3%A9v%C3%A9nement/",
    "/en/bodies/%F0%9F%98%80/",
    "/en/instruments/%FF%FE/",
    "/en/uncac/articles/99999999999999999999/",
    "/en/uncac/articles/0/",
    "/en/uncac/articles/%00/",
]


def test_odd_detail_addresses_are_not_found(client, catalogue):
    for path in ODD_DETAIL_PATHS:
        assert client.get(path).status_code == 404, path[:40]
