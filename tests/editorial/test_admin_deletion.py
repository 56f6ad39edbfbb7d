"""Deleting a record in the admin never silently unlinks it from the events and instruments that use it."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import make_article, make_body, make_event, make_instrument, make_source, make_topic

pytestmark = pytest.mark.django_db


def delete_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_delete", args=[record.pk])


# Each kind of record an event links to, and how the event links to it.
LINKED = {
    "topic": (make_topic, lambda event, record: event.topics.add(record)),
    "UNCAC article": (make_article, lambda event, record: event.uncac_articles.add(record)),
    "source": (make_source, lambda event, record: event.sources.add(record)),
    "instrument": (make_instrument, lambda event, record: event.instruments.add(record)),
    "body": (make_body, lambda event, record: event.convening_bodies.add(record)),
}


def test_a_record_that_an_event_links_to_cannot_be_deleted(admin_client):
    event = make_event("13th session of the IRG")

    for kind, (make_record, link) in LINKED.items():
        record = make_record()
        link(event, record)

        confirmation = admin_client.get(delete_url(record))
        refused = admin_client.post(delete_url(record), {"post": "yes"})

        assertContains(confirmation, "protected related objects", msg_prefix=kind)
        assertContains(confirmation, "Event: 13th session of the IRG", msg_prefix=kind)
        assertContains(refused, "protected related objects", msg_prefix=kind)
        assert type(record).objects.filter(pk=record.pk).exists(), kind


def test_the_list_of_blocking_records_is_bounded(admin_client):
    topic = make_topic()
    for _ in range(22):
        make_event(topics=[topic])
    assertContains(admin_client.get(delete_url(topic)), "… and 2 more")


def test_an_unused_record_can_be_deleted(admin_client):
    topic = make_topic()
    response = admin_client.post(delete_url(topic), {"post": "yes"})
    assert response.status_code == 302
    assert not type(topic).objects.filter(pk=topic.pk).exists()
