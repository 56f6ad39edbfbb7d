import datetime
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Revision, Version

from bodies.models import Body
from dataset.management.commands.loadcatalogue import DEFAULT_CORRECTIONS, FIRST_VERSION_COMMENT, KINDS
from events.models import Event
from instruments.models import Instrument
from sources.models import Source
from tests.factories import built_once
from topics.models import Topic
from uncac.models import Article

pytestmark = pytest.mark.django_db


LISTS = ["/en/events/", "/en/instruments/", "/en/bodies/", "/en/topics/", "/en/uncac/"]
OTHER_PAGES = ["/en/events/?body=unodc", "/fr/instruments/cosp-resolution-7-5/"]


def every_record():
    for records in (Event.objects, Instrument.objects, Body.objects.public(), Topic.objects.public(), Article.objects):
        yield from records.all()


def load_catalogue_and_visit_it():
    """
    The seeded catalogue, and its public pages as a visitor reads them, by address: the lists,
    every record's own page and a few more, each fetched once for the module's tests.
    """
    call_command("loadcatalogue", verbosity=0)
    client = Client()
    urls = LISTS + [record.get_absolute_url() for record in every_record()] + OTHER_PAGES
    with translation.override(settings.LANGUAGE_CODE):
        return {url: client.get(url) for url in urls}


catalogue = built_once(load_catalogue_and_visit_it)


def test_the_seeded_events_carry_their_facts(catalogue):
    expected = {
        "wg-prevention-9": ((2018, 9, 5), (2018, 9, 7), "Vienna", "AT", 9),
        "irg-10": ((2019, 5, 27), (2019, 5, 29), "Vienna", "AT", 10),
        "irg-13": ((2022, 9, 5), (2022, 9, 8), "Vienna", "AT", 13),
        "isc-24": ((2025, 2, 3), (2025, 2, 4), "", "", 24),
    }
    for slug, (start, end, city, country, number) in expected.items():
        event = Event.objects.published().get(slug=slug)
        assert (event.start_date, event.end_date) == (datetime.date(*start), datetime.date(*end))
        assert (event.city, event.country.code or "", event.session_number) == (city, country, number)
        assert event.sources.exists()
    assert Event.objects.get(slug="irg-10").series == Event.objects.get(slug="irg-13").series


def test_what_the_sources_do_not_say_is_left_empty(catalogue):
    assert set(Event.objects.values_list("format", flat=True)) == {""}
    assert not Instrument.objects.exclude(access="").exists()
    assert not Instrument.objects.filter(year_adopted__isnull=False).exists()
    isc_24 = Event.objects.get(slug="isc-24")
    assert isc_24.city == ""
    assert not isc_24.country


def test_the_wco_role_is_recorded_as_the_sources_describe_it(catalogue):
    roles = dict(Event.objects.values_list("slug", "wco_role"))
    assert roles == {
        "wg-prevention-9": "participant",
        "irg-10": "participant",
        "irg-13": "presenter",
        "isc-15": "organiser",
        "isc-24": "organiser",
    }


def test_the_revised_arusha_declaration_serves_its_four_articles(catalogue):
    declaration = Instrument.objects.get(slug="revised-arusha-declaration")
    assert sorted(declaration.uncac_articles.values_list("number", flat=True)) == [5, 7, 8, 10]
    assert declaration.is_featured


def test_the_instruments_named_by_the_sources_are_all_there(catalogue):
    names = set(Instrument.objects.published().values_list("short_name", flat=True)) | set(
        Instrument.objects.values_list("title", flat=True)
    )
    for name in ("CIPS", "PMM", "Corruption Risk Mapping Guide", "Risk Management: Internal Risk"):
        assert any(name in candidate for candidate in names), name
    assert Instrument.objects.filter(title__icontains="A-CIP").exists()
    assert Instrument.objects.filter(title__icontains="Work Programme 2022").exists()
    assert Instrument.objects.filter(title__icontains="staff rotation").exists()
    assert Instrument.objects.filter(title__icontains="accreditation").exists()
    assert Instrument.objects.filter(title__icontains="Integrity Action Plan").exists()


def test_every_record_links_a_source_page(catalogue):
    assert not Event.objects.filter(sources=None).exists()
    assert not Instrument.objects.filter(sources=None).exists()
    assert Source.objects.filter(url__startswith="https://www.wcoomd.org/en/").count() >= 4


def test_loading_twice_changes_nothing_and_keeps_staff_edits(catalogue, capsys):
    event = Event.objects.get(slug="irg-13")
    event.summary = "Corrected by an editor."
    event.save()
    event.topics.clear()
    counts = [model.objects.count() for model in (Body, Event, Instrument, Topic, Article, Source)]

    isc_24 = Event.objects.get(slug="isc-24")
    isc_24.summary = "Corrected again by an editor."
    isc_24.save()
    revisions = Revision.objects.count()

    call_command("loadcatalogue")

    assert [model.objects.count() for model in (Body, Event, Instrument, Topic, Article, Source)] == counts
    event.refresh_from_db()
    isc_24.refresh_from_db()
    assert event.summary == "Corrected by an editor."
    assert isc_24.summary == "Corrected again by an editor."
    assert not event.topics.exists()
    assert Revision.objects.count() == revisions
    output = capsys.readouterr().out
    assert "Events: 0 created" in output
    assert "Corrections: 0 made, 20 made before, 1 left as editors changed the records since" in output


def test_unodc_includes_the_events_of_its_subsidiary_bodies(catalogue):
    response = catalogue["/en/events/?body=unodc"]
    assert sorted(event.slug for event in response.context["object_list"]) == ["irg-10", "irg-13", "wg-prevention-9"]


def test_every_record_is_reachable_from_the_public_pages(catalogue):
    listed_events = {event.slug for event in catalogue["/en/events/"].context["object_list"]}
    listed_instruments = {instrument.slug for instrument in catalogue["/en/instruments/"].context["object_list"]}
    assert listed_events == set(Event.objects.values_list("slug", flat=True))
    assert listed_instruments == set(Instrument.objects.values_list("slug", flat=True))

    bodies_page = catalogue["/en/bodies/"]
    topics_page = catalogue["/en/topics/"]
    uncac_page = catalogue["/en/uncac/"]
    for records, page in ((Body.objects.public(), bodies_page), (Topic.objects.public(), topics_page)):
        for record in records:
            assertContains(page, f'href="{record.get_absolute_url()}"')
    for article in Article.objects.all():
        assertContains(uncac_page, f'href="{article.get_absolute_url()}"')

    for record in every_record():
        assert catalogue[record.get_absolute_url()].status_code == 200, record
    # A body or topic is public once a published record uses it. No record links this one: the
    # sources name it (the survey's pilot) but no event or instrument of its own.
    assert set(Body.objects.exclude(pk__in=Body.objects.public()).values_list("slug", flat=True)) == {
        "argentina-customs"
    }
    assert not Topic.objects.exclude(pk__in=Topic.objects.public()).exists()


def record_of(kind, key):
    model, key_field, _create = KINDS[kind]
    return model.objects.get(**{key_field: key})


def test_the_corrections_are_on_the_public_pages(catalogue):
    resolution = catalogue["/fr/instruments/cosp-resolution-7-5/"]
    assertContains(resolution, "Résolution 7/5 : Promouvoir les mesures de prévention de la corruption")
    irg_13 = catalogue["/en/events/irg-13/"]
    assertContains(
        irg_13, "WCO participated in the thirteenth session of the Implementation Review Group of the UNODC"
    )
    meeting = catalogue["/en/events/wg-prevention-9/"]
    assertContains(meeting, "preventing and managing conflicts of interest, under UNCAC Article 7(4)")
    assertContains(meeting, "Marrakech Declaration on the Prevention of Corruption")
    assertNotContains(meeting, "had taken them up at its 15th session")
    assertContains(catalogue["/en/bodies/isc/"], "Through the Policy Commission, it advises the Council")
    assertContains(catalogue["/en/instruments/a-cip/"], "instrumental in delivering the ISC Work Programme")
    assertContains(
        catalogue["/en/instruments/revised-arusha-declaration/"],
        "Revised Arusha Declaration on Good Governance and Integrity in Customs",
    )
    assertContains(catalogue["/en/topics/transparency/"], "Revised Arusha Declaration")
    assertContains(irg_13, "Political declaration of the special session of the General Assembly")


def test_each_correction_is_a_revision_of_its_own_after_the_first_version(catalogue):
    expected = {}
    for entry in json.loads(DEFAULT_CORRECTIONS.read_text(encoding="utf-8")):
        if "add" in entry:
            kind, key = entry["add"], entry["record"][KINDS[entry["add"]][1]]
            expected[(kind, key)] = [entry["note"]]
        else:
            kind, key = entry["change"], entry["key"]
            expected.setdefault((kind, key), [FIRST_VERSION_COMMENT]).append(entry["note"])
    for (kind, key), comments in expected.items():
        versions = Version.objects.get_for_object(record_of(kind, key)).order_by("revision_id")
        assert [version.revision.comment for version in versions] == comments, key
    assert Version.objects.get_for_object(Event.objects.get(slug="irg-10")).get().revision.comment == (
        FIRST_VERSION_COMMENT
    )


def test_a_catalogue_loaded_before_the_corrections_receives_them(catalogue):
    url = "https://www.wcoomd.org/en/media/newsroom/2019/june/wco-participates-in-the-unodcs-10th-session.aspx"
    Source.objects.filter(url=url).update(title="WCO news item: the 10th IRG session, Vienna, May 2019")

    call_command("loadcatalogue", verbosity=0)

    source = Source.objects.get(url=url)
    assert source.title.startswith(
        "WCO Participates in the UNODC\u2019s 10th session of the Implementation Review Group"
    )
    assert Version.objects.get_for_object(source).count() == 3


def test_the_conference_has_its_own_place_and_unodc_serves_it_as_secretariat(catalogue):
    conference = Body.objects.get(slug="cosp")
    assert conference.parent is None
    assert conference.secretariat.slug == "unodc"
    unodc = catalogue["/en/bodies/unodc/"]
    assertContains(unodc, "Secretariat of")
    assertContains(unodc, "include those of the bodies it serves as secretariat")
    assert {event.slug for event in unodc.context["events"]} == {"irg-10", "irg-13", "wg-prevention-9"}
    listed = catalogue["/en/events/?body=unodc"]
    body_counts = {
        option.value: option.count
        for view in listed.context["filter"].facet_views
        if view.name == "body"
        for option in view.options
    }
    assert body_counts["unodc"] == 3
