import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Role
from tests.factories import make_body, make_event, make_instrument

pytestmark = pytest.mark.django_db


def test_list_nests_subsidiaries_under_their_parent_with_event_counts(client):
    unodc = make_body("UNODC")
    irg = make_body("Implementation Review Group", parent=unodc)
    make_event(bodies=[irg])
    make_event(bodies=[irg])
    make_event(bodies=[unodc])
    make_event(bodies=[irg], publication_status="draft")

    response = client.get(reverse("bodies:list"))

    assertContains(
        response,
        f"""<li><a href="{unodc.get_absolute_url()}">UNODC</a> <span class="count">3 events convened</span>
        <ul><li><a href="{irg.get_absolute_url()}">Implementation Review Group</a>
        <span class="count">2 events convened</span></li></ul></li>""",
        html=True,
    )


def test_detail_shows_hierarchy_and_what_the_body_and_its_subsidiaries_did(client):
    wco = make_body("World Customs Organization", short_name="WCO")
    council = make_body("Council", parent=wco)
    isc = make_body("Integrity Sub-Committee", short_name="ISC", parent=council)
    make_event("24th session", bodies=[isc])
    make_event("Council session", bodies=[council])
    make_event("Draft session", bodies=[isc], publication_status="draft")
    make_instrument("Work Programme", issuing_body=isc)
    make_instrument("Elsewhere", issuing_body=make_body())

    response = client.get(council.get_absolute_url())

    assertContains(response, f'<a href="{wco.get_absolute_url()}">World Customs Organization (WCO)</a>', html=True)
    assertContains(response, f'<a href="{isc.get_absolute_url()}">Integrity Sub-Committee (ISC)</a>', html=True)
    assertContains(response, "24th session")
    assertContains(response, "Council session")
    assertContains(response, "Work Programme")
    assertNotContains(response, "Draft session")
    assertNotContains(response, "Elsewhere")


def test_detail_links_to_the_full_filtered_list_when_there_are_more(client):
    body = make_body()
    for _ in range(11):
        make_event(bodies=[body])
    response = client.get(body.get_absolute_url())
    assert len(response.context["events"]) == 10
    assertContains(response, f'<a class="more" href="/en/events/?body={body.slug}">See all 11 events</a>', html=True)


def test_unknown_body_is_not_found(client):
    response = client.get(reverse("bodies:detail", kwargs={"slug": "no-such-body"}))
    assertContains(response, "There is no body at this address.", status_code=404)


def test_list_counts_a_jointly_convened_event_once(client):
    unodc = make_body("UNODC")
    cosp = make_body("Conference of the States Parties", parent=unodc)
    irg = make_body("Implementation Review Group", parent=cosp)
    make_event(bodies=[cosp, irg])
    bodies = {body.name: body for body in client.get(reverse("bodies:list")).context["object_list"]}
    assert [bodies[name].event_count for name in ("UNODC", "Conference of the States Parties")] == [1, 1]


def test_list_orders_bodies_by_name_at_every_level(client):
    zeta = make_body("Zeta")
    make_event(bodies=[make_body("Alpha"), make_body("Omega", parent=zeta), make_body("Beta", parent=zeta)])
    names = [body.name for body in client.get(reverse("bodies:list")).context["object_list"]]
    assert names == ["Alpha", "Zeta", "Beta", "Omega"]


def test_detail_lists_the_events_a_body_took_part_in(client):
    imf = make_body("International Monetary Fund")
    make_event("24th session", participants=[(imf, Role.KEYNOTE_SPEAKER)])
    make_event("Draft session", participants=[(imf, Role.PRESENTER)], publication_status="draft")
    response = client.get(imf.get_absolute_url())
    assertContains(response, "Events it took part in")
    assertContains(response, "24th session")
    assertNotContains(response, "Draft session")


def test_a_secretariat_shows_and_filters_the_events_of_the_bodies_it_serves_and_says_so(client):
    unodc = make_body("UNODC", slug="unodc")
    conference = make_body("Conference of the States Parties", slug="cosp", secretariat=unodc)
    irg = make_body("Implementation Review Group", slug="irg", parent=conference)
    make_event("10th session", bodies=[irg])
    make_event("Elsewhere", bodies=[make_body()])

    secretariat = client.get(unodc.get_absolute_url())
    served = client.get(conference.get_absolute_url())
    listed = client.get(reverse("events:list"), {"body": "unodc"})
    bodies = client.get(reverse("bodies:list"))
    in_the_api = {slug: client.get(f"/api/bodies/{slug}/").json() for slug in ["unodc", "cosp"]}

    assertContains(
        secretariat,
        f'<dt>Secretariat of</dt><dd><ul class="plain-list"><li><a href="{conference.get_absolute_url()}">'
        "Conference of the States Parties</a></li></ul></dd>",
        html=True,
    )
    assertContains(secretariat, "include those of the bodies it serves as secretariat")
    assertContains(secretariat, "10th session")
    assertNotContains(secretariat, "Part of")
    assertContains(served, f'<dt>Secretariat</dt><dd><a href="{unodc.get_absolute_url()}">UNODC</a></dd>', html=True)
    assert [event.title for event in listed.context["object_list"]] == ["10th session"]
    options = {
        option.value: (option.label, option.count)
        for view in listed.context["filter"].facet_views
        if view.name == "body"
        for option in view.options
    }
    assert options["unodc"] == ("UNODC, with the bodies it serves as secretariat", 1)
    assert (options["cosp"][1], options["irg"][1]) == (1, 1)
    assertContains(bodies, "1 event convened or served as secretariat")
    assert [body["slug"] for body in in_the_api["unodc"]["secretariat_of"]] == ["cosp"]
    assert in_the_api["unodc"]["event_count"] == 1
    assert (in_the_api["cosp"]["parent"], in_the_api["cosp"]["secretariat"]["slug"]) == (None, "unodc")
