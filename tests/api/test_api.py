"""The read-only JSON API: only published records, the pages' filters, its schema, and no server error."""

import datetime
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodies.models import Body
from events.models import Event, Role
from instruments.models import Instrument, InstrumentKind
from publishing.models import PublicationStatus
from tests.factories import (
    built_once,
    make_article,
    make_body,
    make_event,
    make_instrument,
    make_series,
    make_source,
    make_topic,
)
from tests.fetching import fetched_once
from topics.models import Topic
from uncac.models import Article

pytestmark = pytest.mark.django_db

LISTS = {
    "events": "/api/events/",
    "instruments": "/api/instruments/",
    "bodies": "/api/bodies/",
    "topics": "/api/topics/",
    "articles": "/api/uncac/articles/",
}

LINK_FIELDS = {"api_url", "html_url"}
EVENT_FIELDS = {
    *LINK_FIELDS,
    *("slug", "title", "series", "session_number", "start_date", "end_date", "date_precision", "dates"),
    *("status", "time_state"),
    *("city", "country", "country_name", "format", "convening_bodies", "wco_role", "participants"),
    *("topics", "instruments", "uncac_articles", "summary", "sources", "contact_email", "published_at"),
    "documents",
}
INSTRUMENT_FIELDS = {
    *LINK_FIELDS,
    *("slug", "title", "short_name", "kind", "issuing_body", "programme", "components"),
    *("year_adopted", "year_revised", "description", "url", "platform", "access"),
    *("uncac_articles", "topics", "events", "sources", "published_at"),
    "documents",
}
COVERAGE_FIELDS = {"event_count", "instrument_count", "events_api_url", "instruments_api_url"}
BODY_FIELDS = {
    *LINK_FIELDS,
    *COVERAGE_FIELDS,
    *("slug", "name", "short_name", "kind", "parent", "subsidiaries", "secretariat", "secretariat_of"),
    *("country", "country_name"),
    *("established_year", "website", "description"),
}
TOPIC_FIELDS = {*LINK_FIELDS, *COVERAGE_FIELDS, "slug", "name", "description"}
ARTICLE_FIELDS = {*LINK_FIELDS, *COVERAGE_FIELDS, "number", "title", "chapter"}
STAFF_ONLY = {"publication_status", "publish_at", "first_published_at", "lock_version", "is_featured", "id", "pk"}


def build_catalogue():
    """
    Published records with every kind of link, and next to them a draft, an in-review and
    a scheduled event and instrument linked to the same body, topic and article.
    """
    unodc = make_body("UNODC", slug="unodc", short_name="UNODC")
    irg = make_body("Implementation Review Group", slug="irg", parent=unodc)
    wco = make_body("World Customs Organization", slug="wco", country="BE")
    topic = make_topic("Risk management", slug="risk-management", name_fr="Gestion des risques")
    other_topic = make_topic("Codes of conduct", slug="codes-of-conduct")
    article = make_article(number=7, title="Public sector")
    other_article = make_article(number=8, title="Codes of conduct for public officials")
    programme = make_instrument("A-CIP Programme", slug="a-cip", kind=InstrumentKind.PROGRAMME, issuing_body=wco)
    declaration = make_instrument(
        "Revised Arusha Declaration",
        slug="arusha",
        kind=InstrumentKind.DECLARATION,
        issuing_body=wco,
        programme=programme,
        year_adopted=2003,
        year_revised=2019,
        topics=[topic],
        uncac_articles=[article],
        sources=[make_source(publisher=wco)],
    )
    guide = make_instrument("IRG guide", slug="irg-guide", issuing_body=irg, year_adopted=2019, topics=[other_topic])
    series = make_series(irg, name="Sessions of the IRG", slug="irg-sessions")
    make_event(
        "IRG session",
        slug="irg-10",
        start="2019-05-27",
        end="2019-05-29",
        bodies=[irg],
        participants=[(wco, Role.PRESENTER)],
        series=series,
        session_number=10,
        country="AT",
        city="Vienna",
        title_fr="Session du Groupe d'examen",
        topics=[topic],
        instruments=[declaration, guide],
        uncac_articles=[article, other_article],
        sources=[make_source(publisher=unodc)],
        contact_email="irg@example.org",
    )
    make_event(
        "Integrity conference", slug="conference", start="2020-03-10", bodies=[wco], country="BE", topics=[other_topic]
    )
    make_event("UNODC forum", slug="forum", start="2018-11-05", bodies=[unodc], instruments=[programme])

    hidden = {
        "draft": {"publication_status": PublicationStatus.DRAFT},
        "review": {"publication_status": PublicationStatus.IN_REVIEW},
        "scheduled": {"publish_at": timezone.now() + datetime.timedelta(days=3)},
    }
    for name, state in hidden.items():
        instrument = make_instrument(
            f"Hidden instrument {name}",
            slug=f"hidden-instrument-{name}",
            issuing_body=irg,
            year_adopted=2019,
            programme=programme,
            topics=[topic],
            uncac_articles=[article],
            **state,
        )
        make_event(
            f"Hidden event {name}",
            slug=f"hidden-event-{name}",
            start="2019-06-01",
            bodies=[irg],
            topics=[topic],
            uncac_articles=[article],
            instruments=[declaration],
            **state,
        )
        # A public event does not show an instrument that is not public.
        Event.objects.get(slug="irg-10").instruments.add(instrument)
    # A hidden programme is not shown as the programme of a public instrument.
    hidden_programme = make_instrument(
        "Hidden programme", slug="hidden-programme", kind=InstrumentKind.PROGRAMME, **hidden["draft"]
    )
    guide.programme = hidden_programme
    guide.save()


catalogue = built_once(build_catalogue)
get = fetched_once("catalogue")


def json_of(response):
    assert response["Content-Type"] == "application/json", response.content[:300]
    return response.json()


def get_json(client, url, **params):
    response = client.get(url, params)
    return response, json_of(response)


def all_results(get, url, **params):
    """Every item of a list, following `next` through all its pages; `get` is a client's or the module's."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    results = []
    while url:
        response = get(url)
        data = json_of(response)
        assert response.status_code == 200, data
        results += data["results"]
        url = data["next"]
    return results


# Only published records


def test_events_lists_exactly_the_published_events_newest_first(get):
    slugs = [event["slug"] for event in all_results(get, LISTS["events"])]

    assert slugs == ["conference", "irg-10", "forum"]
    assert set(slugs) == set(Event.objects.published().values_list("slug", flat=True))


def test_instruments_lists_exactly_the_published_instruments_by_title(get):
    slugs = [instrument["slug"] for instrument in all_results(get, LISTS["instruments"])]

    assert slugs == ["a-cip", "irg-guide", "arusha"]
    assert set(slugs) == set(Instrument.objects.published().values_list("slug", flat=True))


def test_a_record_that_is_not_public_is_a_404(get, admin_client):
    """Each kind of record in each state that is not public."""
    for kind in ["event", "instrument"]:
        missing = json_of(get(f"/api/{kind}s/no-such-record/"))
        for state in ["draft", "review", "scheduled"]:
            url = f"/api/{kind}s/hidden-{kind}-{state}/"
            for response in (get(url), admin_client.get(url)):  # A staff session sees no more than the public.
                assert response.status_code == 404, url
                # Nothing tells a record that is not public from one that does not exist.
                assert json_of(response) == missing, url


def test_a_staff_session_lists_no_more_than_the_public(get, admin_client):
    for url in LISTS.values():
        assert all_results(admin_client.get, url) == all_results(get, url)


def test_links_to_other_records_leave_out_those_that_are_not_public(get):
    event = json_of(get("/api/events/irg-10/"))
    arusha = json_of(get("/api/instruments/arusha/"))
    guide = json_of(get("/api/instruments/irg-guide/"))
    programme = json_of(get("/api/instruments/a-cip/"))

    assert [instrument["slug"] for instrument in event["instruments"]] == ["irg-guide", "arusha"]
    assert [event["slug"] for event in arusha["events"]] == ["irg-10"]
    assert guide["programme"] is None
    assert [component["slug"] for component in programme["components"]] == ["arusha"]


@pytest.mark.parametrize(
    ("url", "key", "model"),
    [(LISTS["bodies"], "slug", Body), (LISTS["topics"], "slug", Topic), (LISTS["articles"], "number", Article)],
)
def test_bodies_topics_and_articles_are_all_listed_with_counts_of_public_records_only(get, url, key, model):
    items = all_results(get, url)
    by_key = {item[key]: item for item in items}

    assert set(by_key) == set(model.objects.values_list(key, flat=True))
    assert len(items) == len(by_key)
    for item in items:
        events = all_results(get, item["events_api_url"]) if item["events_api_url"] else []
        instruments = all_results(get, item["instruments_api_url"]) if item["instruments_api_url"] else []
        assert (item["event_count"], item["instrument_count"]) == (len(events), len(instruments))


def test_counts_take_in_subsidiary_bodies_and_only_public_records(get):
    unodc = json_of(get("/api/bodies/unodc/"))
    irg = json_of(get("/api/bodies/irg/"))
    topic = json_of(get("/api/topics/risk-management/"))
    article = json_of(get("/api/uncac/articles/7/"))

    assert (unodc["event_count"], unodc["instrument_count"]) == (2, 1)
    assert (irg["event_count"], irg["instrument_count"]) == (1, 1)
    assert irg["parent"]["slug"] == "unodc"
    assert [body["slug"] for body in unodc["subsidiaries"]] == ["irg"]
    assert (topic["event_count"], topic["instrument_count"]) == (1, 1)
    assert (article["event_count"], article["instrument_count"]) == (1, 1)


def test_bodies_come_in_the_order_of_the_bodies_page(get):
    slugs = [body["slug"] for body in all_results(get, LISTS["bodies"])]

    assert slugs == ["unodc", "irg", "wco"]


# Fields


@pytest.mark.parametrize(
    ("list_url", "detail_url", "fields"),
    [
        (LISTS["events"], "/api/events/irg-10/", EVENT_FIELDS),
        (LISTS["instruments"], "/api/instruments/arusha/", INSTRUMENT_FIELDS),
        (LISTS["bodies"], "/api/bodies/wco/", BODY_FIELDS),
        (LISTS["topics"], "/api/topics/risk-management/", TOPIC_FIELDS),
        (LISTS["articles"], "/api/uncac/articles/7/", ARTICLE_FIELDS),
    ],
)
def test_each_record_has_exactly_the_allowed_fields(get, list_url, detail_url, fields):
    detail = json_of(get(detail_url))

    assert set(json_of(get(list_url))["results"][0]) == fields
    assert set(detail) == fields
    assert not STAFF_ONLY & fields


def test_an_event_gives_its_facts_and_links(get):
    event = json_of(get("/api/events/irg-10/"))
    published = Event.objects.get(slug="irg-10").first_published_at

    assert event["html_url"] == "http://testserver/en/events/irg-10/"
    assert event["api_url"] == "http://testserver/api/events/irg-10/"
    assert event["series"] == {
        "slug": "irg-sessions",
        "name": "Sessions of the IRG",
        "api_url": "http://testserver/api/events/?series=irg-sessions",
        "html_url": "http://testserver/en/events/?series=irg-sessions",
    }
    assert (event["start_date"], event["end_date"], event["dates"]) == ("2019-05-27", "2019-05-29", "27–29 May 2019")
    assert (event["country"], event["country_name"], event["city"]) == ("AT", "Austria", "Vienna")
    assert [body["slug"] for body in event["convening_bodies"]] == ["irg"]
    assert event["participants"][0]["body"]["slug"] == "wco"
    assert event["participants"][0]["role"] == "presenter"
    assert [article["number"] for article in event["uncac_articles"]] == [7, 8]
    assert event["uncac_articles"][0]["api_url"] == "http://testserver/api/uncac/articles/7/"
    assert event["contact_email"] == "irg@example.org"
    assert event["published_at"] == published.isoformat().replace("+00:00", "Z")


# Languages


def test_texts_and_page_addresses_follow_lang_and_fall_back_to_english(get):
    response = get("/api/events/irg-10/?lang=fr")
    event = json_of(response)

    assert response["Content-Language"] == "fr"
    assert event["title"] == "Session du Groupe d'examen"
    assert event["html_url"] == "http://testserver/fr/events/irg-10/"
    assert event["country_name"] == "Autriche"
    assert [topic["name"] for topic in event["topics"]] == ["Gestion des risques"]
    assert event["summary"] == ""
    assert json_of(get("/api/events/conference/?lang=fr"))["title"] == "Integrity conference"


def test_accept_language_is_not_read(client, catalogue):
    response = client.get("/api/events/irg-10/", headers={"accept-language": "fr"})

    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "IRG session"


def test_an_unknown_language_is_a_400(get):
    for query in ["lang=de", "lang=en&lang=fr", "lang=FR", "lang=&lang="]:
        for url in [*LISTS.values(), "/api/events/irg-10/"]:
            response = get(f"{url}?{query}")

            assert response.status_code == 400, f"{url}?{query}"
            assert list(response.json()) == ["lang"], f"{url}?{query}"


# Filters: the pages' own


EVENT_QUERIES = [
    "",
    "year=2019",
    "year=2020",
    "year=1000",
    "body=unodc",
    "body=irg",
    "body=wco",
    "country=AT",
    "topic=risk-management",
    "article=7",
    "chapter=2",
    "series=irg-sessions",
    "year=2019&body=unodc&topic=risk-management",
    "year=&body=&topic=",
    "utm_source=newsletter",
]
INSTRUMENT_QUERIES = [
    "",
    "year=2019",
    "year=2003",
    "body=unodc",
    "body=wco",
    "kind=declaration",
    "kind=survey",
    "article=7",
    "chapter=2",
    "topic=codes-of-conduct",
    "year=2019&body=wco",
]


def page_slugs(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, f"{url}?{query}"
    return [record.slug for record in response.context["filter"].qs]


def test_a_filter_finds_what_the_page_finds_in_the_same_order(client, catalogue, settings):
    # Each answer made by its view, rather than served whole from the cache for an equal query.
    settings.CACHE_LAYERS_OFF = settings.CACHE_LAYERS_OFF | {"response"}
    for api_url, page_url, queries in [
        (LISTS["events"], "/en/events/", EVENT_QUERIES),
        (LISTS["instruments"], "/en/instruments/", INSTRUMENT_QUERIES),
    ]:
        for query in queries:
            found = [item["slug"] for item in all_results(client.get, f"{api_url}?{query}")]

            assert found == page_slugs(client, page_url, query), f"{api_url}?{query}"


INVALID_QUERIES = [
    ("year=abc", "year"),
    ("year=999", "year"),
    ("year=1.5", "year"),
    ("year=" + "9" * 5000, "year"),
    ("year=2019&year=abc", "year"),
    ("body=no-such-body", "body"),
    ("body=%00", "body"),
    ("body=unodc&body=nobody", "body"),
    ("topic=no-such-topic", "topic"),
    ("q=risk&q=guide", "q"),
    ("q=%00", "q"),
    ("sort=relevance", "sort"),
    ("sort=title&sort=newest", "sort"),
    ("article=abc", "article"),
    ("article=999", "article"),
    ("chapter=99", "chapter"),
]


def test_an_invalid_filter_is_a_400_naming_the_field_as_on_the_page(get):
    for query, field in INVALID_QUERIES:
        for api_url, page_url in [(LISTS["events"], "/en/events/"), (LISTS["instruments"], "/en/instruments/")]:
            case = f"{api_url}?{query[:40]}"
            response = get(f"{api_url}?{query}")
            errors = json_of(response)

            assert response.status_code == 400, case
            assert get(f"{page_url}?{query}").status_code == 400, f"{page_url}?{query[:40]}"
            assert field in errors, case
            assert all(isinstance(message, str) and message for message in errors[field]), case
            assert "results" not in errors, case


def test_the_filters_of_each_list_refuse_their_own_invalid_values(get):
    for api_url, query in [
        (LISTS["events"], "country=ZZ"),
        (LISTS["events"], "series=nope"),
        (LISTS["instruments"], "kind=nope"),
    ]:
        response = get(f"{api_url}?{query}")

        assert response.status_code == 400, f"{api_url}?{query}"
        assert list(json_of(response)) == [query.split("=")[0]], f"{api_url}?{query}"


def test_the_error_messages_follow_lang(get):
    errors = json_of(get(f"{LISTS['events']}?year=2019&lang=fr&body=nope"))

    assert errors["body"] != json_of(get(f"{LISTS['events']}?year=2019&body=nope"))["body"]


@pytest.mark.parametrize("url", [LISTS["events"], LISTS["instruments"]])
def test_an_empty_value_is_a_parameter_not_given(get, url):
    everything = all_results(get, url)

    assert all_results(get, f"{url}?year=&body=&topic=&article=&lang=&page=&page_size=") == everything


# Methods


def test_only_get_and_head_are_allowed(client, catalogue):
    for url in [*LISTS.values(), "/api/events/irg-10/", "/api/", "/api/schema/"]:
        for method in ["post", "put", "patch", "delete", "options"]:
            response = getattr(client, method)(url, data={}, content_type="application/json")

            assert response.status_code == 405, f"{method} {url}"
            assert response["Allow"] == "GET, HEAD", f"{method} {url}"


def test_get_and_head_answer_in_json(get, client):
    for url in [*LISTS.values(), "/api/events/irg-10/", "/api/"]:
        assert get(url)["Content-Type"] == "application/json", url
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b"", url


def test_no_browsable_html_is_served(client, catalogue):
    from_browser = client.get(LISTS["events"], headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert from_browser["Content-Type"] == "application/json"
    assert client.get(LISTS["events"], headers={"accept": "text/html"}).status_code == 406
    assert client.get(f"{LISTS['events']}?format=api").status_code == 404


# Schema


def test_the_schema_is_served_in_yaml_and_json_and_describes_every_list_and_its_filters(client, catalogue):
    as_yaml = client.get("/api/schema/")
    as_json = client.get("/api/schema/?format=json")

    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = as_json.json()
    assert yaml.load(as_yaml.content, Loader=yaml.CSafeLoader) == schema
    assert set(schema["paths"]) == {
        *LISTS.values(),
        "/api/events/{slug}/",
        "/api/instruments/{slug}/",
        "/api/bodies/{slug}/",
        "/api/topics/{slug}/",
        "/api/uncac/articles/{number}/",
    }
    parameters = {
        path: {parameter["name"]: parameter["schema"] for parameter in schema["paths"][path]["get"]["parameters"]}
        for path in (LISTS["events"], LISTS["instruments"])
    }
    assert set(parameters[LISTS["events"]]) == {
        *("q", "state", "year", "body", "country", "topic", "wco_role", "format", "article", "chapter", "series"),
        *("has_documents", "document_language", "sort", "lang", "page", "page_size"),
    }
    assert set(parameters[LISTS["instruments"]]) == {
        *("q", "year", "body", "kind", "article", "chapter", "topic", "sort", "lang", "page", "page_size"),
        *("has_documents", "document_language"),
    }
    events, instruments = parameters[LISTS["events"]], parameters[LISTS["instruments"]]
    assert events["year"] == {"type": "array", "items": {"type": "integer", "minimum": 1000, "maximum": 9999}}
    assert events["article"]["items"]["type"] == "integer"
    assert events["document_language"]["items"] == {"type": "string", "pattern": "^[a-z]{2}$"}
    assert events["body"]["items"]["type"] == "string"
    assert events["state"]["items"]["enum"] == ["upcoming", "ongoing", "past", "postponed", "cancelled"]
    assert "declaration" in instruments["kind"]["items"]["enum"]
    assert events["q"] == {"type": "string", "maxLength": 200}
    assert events["sort"]["enum"] == ["relevance", "newest", "oldest", "title"]


def test_the_schema_validates_without_a_warning(tmp_path):
    # Raises on an invalid schema (--validate) and on any generator warning (--fail-on-warn).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert yaml.load((tmp_path / "schema.yaml").read_text(), Loader=yaml.CSafeLoader)["openapi"].startswith("3.")


# Generated requests: no server error, and answers as the schema says


@contextmanager
def connection_kept_open():
    """As the test client does, keep Django from closing the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_app():
    """Django's own WSGI application, called in the test's transaction."""
    with connection_kept_open():
        yield WSGIHandler()


@pytest.fixture(scope="module")
def api_schema(catalogue, django_db_blocker):
    """The schema as Schemathesis reads it from the site, once for the module: it does not depend on the data."""
    with django_db_blocker.unblock(), connection_kept_open():
        return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


OPERATIONS = [
    *LISTS.values(),
    "/api/events/{slug}/",
    "/api/instruments/{slug}/",
    "/api/bodies/{slug}/",
    "/api/topics/{slug}/",
    "/api/uncac/articles/{number}/",
]


@pytest.mark.parametrize("path", OPERATIONS)
def test_generated_requests_get_no_server_error_and_answers_that_match_the_schema(api_schema, wsgi_app, path):
    """
    Schemathesis generates requests from the schema, valid ones and invalid ones, and checks
    each answer: no 5xx, a documented status and content type, a body that matches the
    schema, invalid requests refused. It runs here through Hypothesis directly rather than
    through its pytest plugin, whose fixture loader does not run under this pytest.
    """
    operation = api_schema[path]["GET"]
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]

    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes)))
    def answers_as_documented(case):
        # Left out: "a schema-valid request is accepted". The filters take only values that some
        # public record has, which change with the data and so are not an enum in the schema.
        case.call_and_validate(app=wsgi_app, excluded_checks=[schemathesis.checks.positive_data_acceptance])

    answers_as_documented()
