"""
A control character in a record's text (a vertical tab pasted from a word processor, say)
never breaks a feed, a calendar or the sitemap: they leave it out. The admin refuses it.
"""

import xml.etree.ElementTree as ET

import pytest

from publishing.models import PublicationStatus
from tests.admin_forms import admin_url, form_data, make_staff
from tests.factories import built_once, make_body, make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTROLS = "\x0b\x01\x08\x0c\x1f"


def build_catalogue():
    body = make_body(f"Integrity{CONTROLS} Sub-Committee", slug="isc")
    topic = make_topic(f"Risk{CONTROLS} management", slug="risk-management")
    event = make_event(
        f"Integrity{CONTROLS} Days",
        slug="integrity-days",
        summary=f"Codes of{CONTROLS} conduct.",
        city=f"Brus{CONTROLS}sels",
        bodies=[body],
        topics=[topic],
    )
    make_instrument(f"Integrity{CONTROLS} guide", issuing_body=body, topics=[topic], description=f"A{CONTROLS} guide.")
    return event


catalogue = built_once(build_catalogue)


@pytest.mark.parametrize(
    "path",
    ["/en/events/feed/", "/en/instruments/feed/", "/en/bodies/isc/feed/", "/en/topics/risk-management/feed/"],
)
def test_the_feeds_leave_control_characters_out(client, catalogue, path):
    response = client.get(path)

    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    texts = " ".join(feed.itertext())
    assert "Integrity Days" in texts or "Integrity guide" in texts
    assert not any(character in response.content.decode() for character in CONTROLS)


@pytest.mark.parametrize("path", ["/en/events/calendar.ics", "/en/events/integrity-days/calendar.ics"])
def test_the_calendars_leave_control_characters_out(client, catalogue, path):
    response = client.get(path)

    assert response.status_code == 200
    text = response.content.decode()
    assert "SUMMARY:Integrity Days" in text and "Codes of conduct." in text.replace("\r\n ", "")
    assert not any(character in text for character in CONTROLS)


def test_the_sitemap_is_well_formed(client, catalogue):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    ET.fromstring(response.content)


def test_the_admin_refuses_a_control_character_in_a_text(client):
    draft = make_event("Working group meeting", publication_status=PublicationStatus.DRAFT)
    client.force_login(make_staff("amina", "Editor"))
    url = admin_url(draft, "change", draft.pk)

    response = client.post(url, form_data(client.get(url), title_en="Working\x0bgroup meeting"))

    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Working group meeting"
