"""
The public record of changes: the corrections of published records, read from their history,
with what each changed in the public fields, and never a draft, a staff name or a comment.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from changes.corrections import public_fields, word_diff
from events.models import Event
from instruments.models import Instrument
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event, make_instrument, make_source, make_topic
from tests.fetching import fetched_once

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
STAFF_NAME = "Bruno Backoffice"
COMMENT = "Fixed after a call with the secretariat"


def saved(record, topics=None, **fields):
    """Save `record` with `fields` in a revision of its own, as a staff member's edit in the admin does."""
    with reversion.create_revision():
        reversion.set_user(get_user_model().objects.get_or_create(username=STAFF_NAME)[0])
        reversion.set_comment(COMMENT)
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
        if topics is not None:
            record.topics.set(topics)
    return record


def created(make, *args, **fields):
    with reversion.create_revision():
        reversion.set_user(get_user_model().objects.get_or_create(username=STAFF_NAME)[0])
        reversion.set_comment(COMMENT)
        return make(*args, **fields)


def build():
    risk = make_topic("Risk management", name_fr="Gestion des risques")
    audit = make_topic("Lifestyle audits", name_fr="Audits du train de vie")
    corrected = created(
        make_event,
        "Tenth session of the group",
        title_fr="Dixième session du groupe",
        slug="corrected",
        start="2020-03-05",
        summary_en="The group met.",
        topics=[risk],
    )
    source = created(make_source, title="WCO news item: the group met")
    corrected.sources.set([source])
    saved(source, title="The group meets in Vienna")
    hidden_body = created(make_body, "Body of a draft")
    another = created(make_event, "Another draft", bodies=[hidden_body], publication_status=PublicationStatus.DRAFT)
    saved(hidden_body, name="Body, renamed before it was public")
    saved(another, publication_status=PublicationStatus.PUBLISHED, publish_at=timezone.now())
    corrected.instruments.set([make_instrument("Instrument in draft", publication_status=PublicationStatus.DRAFT)])
    saved(
        corrected,
        topics=[audit],
        title_en="10th session of the group",
        title_fr="10e session du groupe",
        start_date=datetime.date(2020, 3, 6),
        end_date=datetime.date(2020, 3, 6),
        summary_en="The group met and heard two reports.",
    )
    drafted = created(make_event, "Draft working title", slug="drafted", publication_status=PublicationStatus.DRAFT)
    saved(drafted, title_en="Second draft title", city_en="Draftville")
    saved(drafted, title_en="Published title", publication_status=PublicationStatus.PUBLISHED)
    republished = created(make_event, "Republished meeting", slug="republished", city_en="Vienna")
    saved(republished, publication_status=PublicationStatus.DRAFT)
    saved(republished, city_en="Paris", title_en="Unpublished rewording")
    saved(republished, city_en="Geneva", title_en="Republished meeting")
    saved(republished, publication_status=PublicationStatus.PUBLISHED)
    withdrawn = created(make_event, "Withdrawn meeting", slug="withdrawn")
    saved(withdrawn, title_en="Withdrawn meeting, renamed")
    saved(withdrawn, publication_status=PublicationStatus.DRAFT)
    guide = created(make_instrument, "Integrity guide", slug="guide", year_adopted=2019)
    saved(guide, year_adopted=2020)
    return {"corrected": corrected, "drafted": drafted, "republished": republished, "guide": guide}


records = built_once(build)


get = fetched_once("records")


def read_feed(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def test_a_correction_shows_the_previous_and_new_public_values(get):
    response = get("/en/changes/")

    assertContains(response, "<h1>Recent changes</h1>", html=True)
    # Every page links to it from its footer.
    assertContains(response, '<a href="/en/changes/">Recent changes</a>', html=True)
    for text in (
        "Title (English)</span>: <del>Tenth session of the group</del>, now <ins>10th session of the group</ins>",
        "Title (French)</span>: <del>Dixième session du groupe</del>, now <ins>10e session du groupe</ins>",
        "Start date</span>: <del>5 March 2020</del>, now <ins>6 March 2020</ins>",
        "Topics</span>: <del>Risk management</del>, now <ins>Lifestyle audits</ins>",
        # A long text's change shows word by word.
        'Summary (English)</span>: <span class="changes__diff">The group <del><span class="visually-hidden">'
        '(removed) </span>met.</del> <ins><span class="visually-hidden">(added) </span>'
        "met and heard two reports.</ins>",
    ):
        assertContains(response, text)
    assertContains(response, "Year adopted or released</span>: <del>2019</del>, now <ins>2020</ins>")
    # A source of a published record is corrected too, as the record cites it.
    assertContains(response, "<del>WCO news item: the group met</del>, now <ins>The group meets in Vienna</ins>")


def test_the_page_is_in_french_with_the_values_in_french(client, records):
    response = client.get("/fr/changes/")

    for text in (
        "Titre (anglais)</span> : <del>Tenth session of the group</del>, désormais "
        "<ins>10th session of the group</ins>",
        "Date de début</span> : <del>5 mars 2020</del>, désormais <ins>6 mars 2020</ins>",
        "Thèmes</span> : <del>Gestion des risques</del>, désormais <ins>Audits du train de vie</ins>",
        'Résumé (anglais)</span> : <span class="changes__diff">The group <del>'
        '<span class="visually-hidden">(supprimé)',
    ):
        assertContains(response, text)


def test_the_feed_lists_the_corrections_newest_first_with_what_changed(get):
    feed = read_feed(get("/en/changes/feed/"))
    entries = feed.findall(f"{ATOM}entry")

    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Corrected: Integrity guide",
        "Corrected: Republished meeting",
        "Corrected: 10th session of the group",
        "Corrected: The group meets in Vienna",
    ]
    content = entries[2].findtext(f"{ATOM}summary")
    assert "<del>Tenth session of the group</del>, now <ins>10th session of the group</ins>" in content
    assert "<del>Risk management</del>, now <ins>Lifestyle audits</ins>" in content
    assert entries[2].find(f"{ATOM}link").get("href").startswith("http://testserver/en/changes/event/corrected/#")
    french = read_feed(get("/fr/changes/feed/")).findall(f"{ATOM}entry")[2].findtext(f"{ATOM}summary")
    assert "<del>5 mars 2020</del>, désormais <ins>6 mars 2020</ins>" in french


def test_no_draft_content_no_staff_name_and_no_comment_ever_appear(client, get):
    pages = [
        get(url).content.decode()
        for url in (
            "/en/changes/",
            "/en/changes/feed/",
            "/en/changes/event/drafted/",
            "/en/changes/event/republished/",
        )
    ]

    for page in pages:
        for secret in (
            "Draft working title",
            "Second draft title",
            "Draftville",
            "Paris",
            "Unpublished rewording",
            "Instrument in draft",
            "Body of a draft",
        ):
            assert secret not in page
        assert "Withdrawn meeting" not in page
        assert STAFF_NAME not in page and "Bruno" not in page
        assert COMMENT not in page
    # Its publication is not a correction of its draft.
    assert "Published title" not in pages[0]
    assertNotContains(client.get("/en/changes/event/withdrawn/"), "Withdrawn", status_code=404)


def test_a_record_unpublished_changed_and_republished_shows_one_correction_between_its_public_versions(get):
    response = get("/en/changes/event/republished/")

    assert len(response.context["corrections"]) == 1
    (correction,) = response.context["corrections"]
    assert [(change.label, change.before, change.after) for change in correction.changes] == [
        ("City (English)", "Vienna", "Geneva")
    ]


def test_the_record_page_says_when_it_was_first_published_and_last_corrected(client, records):
    last = Event.objects.get(pk=records["corrected"].pk)

    response = client.get("/en/events/corrected/")

    first = f"{last.first_published_at:%-d %B %Y}"
    assertContains(response, f"First published on {first} · last corrected on {first}")
    assertContains(response, '<a href="/en/changes/event/corrected/">Changes to this record</a>', html=True)
    assertContains(client.get("/fr/events/corrected/"), "Première publication le")
    drafted_page = client.get("/en/events/drafted/")
    assertContains(drafted_page, "First published on")
    assertNotContains(drafted_page, "last corrected")


def test_bad_addresses_are_not_found(client, records):
    assert client.get("/en/changes/person/corrected/").status_code == 404
    assert client.get("/en/changes/event/no-such-event/").status_code == 404


def test_public_fields_are_derived_from_the_model(monkeypatch):
    names = {field.name for field in public_fields(Event)}

    assert {"title_en", "title_fr", "summary_en", "start_date", "topics", "city_fr", "contact_email"} <= names
    assert not names & {"title", "publication_status", "publish_at", "first_published_at", "lock_version", "id"}
    assert "search_vector" not in names
    monkeypatch.setattr(Instrument, "history_private", ("is_featured", "description"), raising=False)
    names = {field.name for field in public_fields(Instrument)}
    assert "year_adopted" in names
    assert not names & {"is_featured", "description_en", "description_fr"}


def corrections_of(count, topic):
    for n in range(count):
        saved(created(make_event, f"Meeting {n}", topics=[topic]), title_en=f"Meeting {n}, corrected")


def test_the_page_and_the_feed_run_as_many_queries_with_6_corrections_as_with_3(client, django_assert_num_queries):
    topic = make_topic()
    corrections_of(3, topic)
    few = {}
    for url in ("/en/changes/feed/", "/en/changes/"):
        caches["default"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        few[url] = (len(queries), response)
    corrections_of(3, topic)

    for url, (count, response) in few.items():
        caches["default"].clear()
        with django_assert_num_queries(count):
            more = client.get(url)
        if url == "/en/changes/":
            assert len(more.context["corrections"]) == len(response.context["corrections"]) + 3
    # Until the catalogue changes, the page (rendered last, above) is served from the public page cache.
    assert client.get("/en/changes/").context is None


def test_a_long_text_shows_each_change_with_a_few_words_around_it():
    old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    new = "one two three four five six seven EIGHT nine ten eleven twelve thirteen fourteen fifteen sixteen"

    assert word_diff(old, new) == [
        ("gap", "…"),
        ("same", "two three four five six seven"),
        ("removed", "eight"),
        ("added", "EIGHT"),
        ("same", "nine ten eleven twelve thirteen fourteen fifteen"),
        ("added", "sixteen"),
    ]
