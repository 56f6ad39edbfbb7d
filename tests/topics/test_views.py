import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_event, make_instrument, make_topic

pytestmark = pytest.mark.django_db


def test_list_counts_published_records_per_topic(client):
    topic = make_topic("Staff rotation")
    make_event(topics=[topic])
    make_event(topics=[topic], publication_status="draft")
    make_instrument(topics=[topic])
    response = client.get(reverse("topics:list"))
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{topic.get_absolute_url()}">Staff rotation</a></th>'
        '<td class="num">1</td><td class="num">1</td></tr>',
        html=True,
    )


def test_list_is_in_alphabetical_order(client):
    make_event(topics=[make_topic(name) for name in ("Staff rotation", "Asset recovery", "Lifestyle audits")])
    names = [topic.name for topic in client.get(reverse("topics:list")).context["object_list"]]
    assert names == ["Asset recovery", "Lifestyle audits", "Staff rotation"]


def test_detail_lists_its_published_events_and_instruments(client):
    topic = make_topic("Rewards and sanctions")
    make_event("ISC session", topics=[topic])
    make_event("Draft", topics=[topic], publication_status="draft")
    make_instrument("Guidance", topics=[topic])
    response = client.get(topic.get_absolute_url())
    assertContains(response, "<h1>Rewards and sanctions</h1>", html=True)
    assertContains(response, "ISC session")
    assertContains(response, "Guidance")
    assertNotContains(response, "Draft")
