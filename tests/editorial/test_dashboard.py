"""The admin's front page: what awaits review and what is scheduled, for the staff who can act on it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from editorial.models import AuditAction, AuditEntry
from editorial.roles import EDITOR, PUBLISHER, grant
from publishing.models import PublicationStatus
from tests.factories import make_event, make_instrument

pytestmark = pytest.mark.django_db


def staff(role):
    user = get_user_model().objects.create_user(role.lower(), password="a long enough passphrase")
    grant(user, role)
    return user


def test_the_dashboard_lists_records_awaiting_review_with_previews(client):
    event = make_event("Zanzibar regional workshop", publication_status=PublicationStatus.IN_REVIEW)
    make_instrument("Draft guide on rotation", publication_status=PublicationStatus.DRAFT)
    client.force_login(staff(PUBLISHER))

    response = client.get("/admin/")

    assertContains(response, "Awaiting review: events (1)")
    assertContains(response, f'href="/admin/events/event/{event.pk}/change/"')
    assertContains(response, f'href="/en/events/{event.slug}/preview/"')
    assertContains(response, "Awaiting review: instruments (0)")
    assertNotContains(response, "Draft guide on rotation")


def test_the_dashboard_lists_scheduled_publications_with_their_time(client):
    when = timezone.now() + datetime.timedelta(days=3)
    make_instrument("Guide due next week", publication_status=PublicationStatus.PUBLISHED, publish_at=when)
    client.force_login(staff(EDITOR))

    response = client.get("/admin/")

    assertContains(response, "Scheduled: instruments (1)")
    assertContains(response, f"public from {when:%Y-%m-%d %H:%M} UTC")


def test_the_audit_log_is_read_only_even_for_superusers(admin_client):
    entry = AuditEntry.objects.create(action=AuditAction.LOGIN, username="amina")

    assert admin_client.get("/admin/editorial/auditentry/").status_code == 200
    assert admin_client.get("/admin/editorial/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/editorial/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
