"""
Browser tests: a real Chromium, driven by Playwright's sync API, against pytest-django's live server.

One Playwright and one Chromium serve the whole session; each visitor test gets a fresh
browser context (cookies, storage, viewport, locale) and so cannot leak state into the next
(the axe cases share one per width, for speed: see test_accessibility.py). Tests that only read
the catalogue share one copy of it a module (`site`); a test that changes it gets its own
(`editable_site`).
Every test collected from this folder is marked `browser` (deselect with `-m "not browser"`).
"""

import datetime
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import modify_settings, override_settings
from django.utils import translation

from bodies.models import Body
from documents.models import Document, DocumentAccess, DocumentKind
from events.models import Event
from instruments.models import Instrument
from tests.factories import make_event

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MISSING_CHROMIUM = "Chromium is not installed: apt-get install chromium"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

# How many extra 2019 events, convened by the Implementation Review Group (a subsidiary of the
# Conference of the States Parties, itself a subsidiary of UNODC), the data fixture publishes.
# With the catalogue's own irg-10 that makes 26: two pages of 20.
EXTRA_UNODC_2019_EVENTS = 25

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if "site" in item.fixturenames:
            # Either would empty the database after the test, under the module's other tests.
            if {"live_server", "transactional_db"} & set(item.fixturenames):
                raise pytest.UsageError(f"{item.nodeid}: `site` is for tests that only read; use `editable_site`")
            # So that the test database is made, even for these tests alone, and each test's own
            # changes are rolled back.
            item.add_marker(pytest.mark.django_db)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists() and any(
        HERE in Path(report.fspath).resolve().parents for report in terminalreporter.stats.get("skipped", [])
    ):
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.line(f"{MISSING_CHROMIUM} (with CI=true this is a failure)", red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; skipped loudly (failed under CI=true) without Chromium."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{MISSING_CHROMIUM} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(f"!!! {MISSING_CHROMIUM} — browser tests are SKIPPED !!!")

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def sizes():
    """Browser context options for each width tested, by name."""
    return SIZES


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh context: `new_page("phone", locale="fr-FR")`. Contexts close after the test."""
    contexts = []

    def open_page(size="desktop", **options):
        context = browser.new_context(**SIZES[size], **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280x800)."""
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page):
    """A phone page (390x844, mobile, touch)."""
    return new_page("phone")


# The apps whose records make up the catalogue (everything the public pages show).
CATALOGUE_APPS = ["bodies", "sources", "topics", "uncac", "instruments", "events", "documents"]


def seed_catalogue():
    """The real initial catalogue, then the extra events the visitor tests page and filter through."""
    call_command("loadcatalogue", verbosity=0)
    irg = Body.objects.get(slug="irg")
    isc = Body.objects.get(slug="isc")
    for n in range(1, EXTRA_UNODC_2019_EVENTS + 1):
        make_event(
            f"Browser test meeting {n:02d}",
            start=datetime.date(2019, 1, 1) + datetime.timedelta(days=7 * n),
            bodies=[irg],
            slug=f"browser-test-meeting-{n:02d}",
        )
    # Decoys that the visitor's filters must leave out: the right year but a WCO body,
    # and a UNODC body but the wrong year.
    make_event("Decoy WCO meeting in 2019", start="2019-06-15", bodies=[isc], slug="decoy-wco-2019")
    make_event("Decoy UNODC meeting in 2020", start="2020-06-15", bodies=[irg], slug="decoy-unodc-2020")
    seed_documents()


def seed_documents():
    """
    Documents of every sort on the record pages that the axe cases check: files in two languages,
    an address elsewhere and a members-only link. Only their rows: no page reads the files.
    """
    records = [Event.objects.get(slug="irg-10"), Instrument.objects.get(slug="wco-integrity-programme")]
    for record in records:
        text = {"kind": DocumentKind.REPORT, "title_en": "Report of the meeting", "title_fr": "Rapport de la réunion"}
        pdf = {"media_type": "application/pdf", "size": 1_258_291, "page_count": 24}
        Document.objects.create(record=record, language="en", file="documents/browser-report-en.pdf", **text, **pdf)
        Document.objects.create(record=record, language="fr", file="documents/browser-report-fr.pdf", **text, **pdf)
        Document.objects.create(record=record, language="es", url="https://www.example.org/report-es", **text)
        Document.objects.create(
            record=record,
            language="en",
            url="https://members.example.org/report",
            access=DocumentAccess.MEMBERS,
            **text,
        )


def catalogue_records():
    """Every record of the catalogue's apps, parents before the records that refer to them."""
    for label in CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models():
            yield from model._base_manager.order_by("pk")


@pytest.fixture(scope="session")
def catalogue_snapshot(django_db_setup, django_db_blocker):
    """
    Seed the test database once, keep the records as JSON and roll the seeding back.

    A test that changes the catalogue needs `transactional_db`, which empties the database
    after it, and then puts the catalogue back from this snapshot; so does each module of tests
    that only read it, once. Much faster than running loadcatalogue, which validates every
    record, again.
    """
    # In English, whatever an earlier test left active: modeltranslation writes `title=` and
    # the like into the fields of the active language.
    with django_db_blocker.unblock(), transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        seed_catalogue()
        # A document names its record's content type by its natural key: a flush renumbers them.
        snapshot = serializers.serialize("json", catalogue_records(), use_natural_foreign_keys=True)
        transaction.set_rollback(True)
    return snapshot


def restore_catalogue(snapshot):
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for record in serializers.deserialize("json", snapshot):
            record.save()


def empty_the_database():
    """What `transactional_db` does after each of its tests."""
    call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def catalogue(transactional_db, catalogue_snapshot):
    """The seeded catalogue, in the database for this test (and emptied after it by transactional_db)."""
    restore_catalogue(catalogue_snapshot)


def serve_through_the_site(application):
    """The live server's static handler: none, so that /static/ goes to the site's own WhiteNoise."""
    return application


@pytest.fixture(scope="session")
def site_server(request, django_db_setup):
    """
    pytest-django's live server, started on the test database (with SQLite in memory, on the
    test's own connection), with one change: static files are served as in production.

    pytest-django wraps the site in staticfiles' StaticFilesHandler, which looks files up in
    the source folders by their plain names; but outside DEBUG the pages link to the hashed
    names of CompressedManifestStaticFilesStorage (site.0123abcd.css), which only exist in
    STATIC_ROOT, so every stylesheet answered 404 and the pages were tested unstyled (and
    colour contrast not tested at all). Here WhiteNoise serves them from STATIC_ROOT,
    which tests/conftest.py collects into before any test runs.
    """
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    server.thread.static_handler = serve_through_the_site
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(site_server):
    """
    The same server under pytest-django's name, which gives each test that asks for it a
    database of its own (`transactional_db`, emptied after the test) and the server's settings.
    """
    return site_server


@pytest.fixture(scope="module")
def site(site_server, catalogue_snapshot, django_db_blocker):
    """
    The live server's root URL (no trailing slash), serving the catalogue as its own origin, for
    tests that only read it: loaded once for the module and emptied after its last test.
    """
    url = site_server.url
    with (
        django_db_blocker.unblock(),
        override_settings(SITE_URL=url),
        modify_settings(ALLOWED_HOSTS={"append": site_server.thread.host}),
    ):
        restore_catalogue(catalogue_snapshot)
        try:
            yield url
        finally:
            empty_the_database()


@pytest.fixture(scope="module")
def caches_emptied_for_the_module():
    caches["default"].clear()


@pytest.fixture(autouse=True)
def empty_caches(request):
    """
    A test that changes the catalogue starts with empty caches, as every other test of the suite.
    The tests of a module that only read its catalogue (`site`) share them, as visitors share
    one site: a page one of them has had rendered is served to the next from the cache, as it
    would be in production, rather than rendered again for each width or visitor.
    """
    if "site" in request.fixturenames:
        request.getfixturevalue("caches_emptied_for_the_module")
    else:
        caches["default"].clear()


@pytest.fixture
def editable_site(live_server, catalogue, settings):
    """The same for a test that changes the catalogue: loaded for it alone, emptied after it."""
    settings.SITE_URL = live_server.url
    return live_server.url
