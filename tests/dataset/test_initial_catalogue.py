import datetime

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from bodies.models import Body
from events.models import Event
from instruments.models import Instrument
from sources.models import Source
from tests.factories import built_once
from topics.models import Topic
from uncac.models import Article

pytestmark = pytest.mark.django_db


def load_catalogue():
    call_command("loadcatalogue", verbosity=0)


catalogue = built_once(load_catalogue)


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

    call_command("loadcatalogue")

    assert [model.objects.count() for model in (Body, Event, Instrument, Topic, Article, Source)] == counts
    event.refresh_from_db()
    assert event.summary == "Corrected by an editor."
    assert not event.topics.exists()
    assert "Events: 0 created" in capsys.readouterr().out


def test_unodc_includes_the_events_of_its_subsidiary_bodies(catalogue, client):
    response = client.get("/en/events/", {"body": "unodc"})
    assert sorted(event.slug for event in response.context["object_list"]) == ["irg-10", "irg-13", "wg-prevention-9"]


def test_every_record_is_reachable_from_the_public_pages(catalogue, client):
    listed_events = {event.slug for event in client.get("/en/events/").context["object_list"]}
    listed_instruments = {instrument.slug for instrument in client.get("/en/instruments/").context["object_list"]}
    assert listed_events == set(Event.objects.values_list("slug", flat=True))
    assert listed_instruments == set(Instrument.objects.values_list("slug", flat=True))

    bodies_page = client.get("/en/bodies/")
    topics_page = client.get("/en/topics/")
    uncac_page = client.get("/en/uncac/")
    for records, page in ((Body.objects.public(), bodies_page), (Topic.objects.public(), topics_page)):
        for record in records:
            assertContains(page, f'href="{record.get_absolute_url()}"')
    for article in Article.objects.all():
        assertContains(uncac_page, f'href="{article.get_absolute_url()}"')

    for records in (Event.objects, Instrument.objects, Body.objects.public(), Topic.objects.public(), Article.objects):
        for record in records.all():
            assert client.get(record.get_absolute_url()).status_code == 200, record
    # A body or topic is public once a published record uses it. No record links these two: the
    # sources name them (the survey's pilot, the special session) but no event or instrument of theirs.
    assert set(Body.objects.exclude(pk__in=Body.objects.public()).values_list("slug", flat=True)) == {
        "argentina-customs",
        "unga",
    }
    assert not Topic.objects.exclude(pk__in=Topic.objects.public()).exists()
