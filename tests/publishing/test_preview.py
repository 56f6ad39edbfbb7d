"""
The preview: staff who may change a record see its public page before it is public, marked
as a preview, never cached, never indexed. Everyone else finds nothing there.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from editorial.roles import TWO_FACTOR_REQUIRED
from events.models import Event
from instruments.models import Instrument
from publishing.models import PublicationStatus
from tests.admin_forms import PASSWORD, admin_url, make_staff
from tests.factories import make_event, make_instrument

pytestmark = pytest.mark.django_db

User = get_user_model()

STATES = {
    "draft": {"publication_status": PublicationStatus.DRAFT},
    "in review": {"publication_status": PublicationStatus.IN_REVIEW},
    "scheduled": {
        "publication_status": PublicationStatus.PUBLISHED,
        "publish_at": timezone.now() + datetime.timedelta(days=30),
    },
}
MODELS = pytest.mark.parametrize("model", [Event, Instrument], ids=["event", "instrument"])


def make_record(model, state="draft", slug="zanzibar"):
    make = make_event if model is Event else make_instrument
    return make(f"Zanzibar {model._meta.verbose_name}", slug=slug, **STATES[state])


def preview_url(record, language="en"):
    with translation.override(language):
        return f"{record.get_absolute_url()}preview/"


def assert_is_a_private_preview(response, record, banner="Preview"):
    assert response.status_code == 200
    assertContains(response, f'<p class="preview-banner" role="status"><strong>{banner}</strong>')
    assertContains(response, record.title)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')


@MODELS
def test_staff_who_may_change_a_record_preview_it_before_it_is_public(client, model):
    """Each role, each state that is not public."""
    staff = [make_staff(role.lower(), role) for role in ["Editor", "Publisher", "Administrator"]]

    for number, state in enumerate(STATES):
        record = make_record(model, state, slug=f"zanzibar-{number}")
        for user in staff:
            client.force_login(user)

            response = client.get(preview_url(record))

            assert_is_a_private_preview(response, record)
            assertContains(response, f"This page is not public (state: {record.state_label}).")
            assert client.get(record.get_absolute_url()).status_code == 404, (state, user.username)


@MODELS
def test_the_preview_speaks_french_too_and_a_published_record_can_be_previewed_as_well(client, model):
    """Its banner too, all in French; and once the record is published, its preview is still a private one."""
    record = make_record(model)
    client.force_login(make_staff("staff", "Editor"))

    response = client.get(preview_url(record, "fr"))

    assert_is_a_private_preview(response, record, banner="Aperçu")
    assertContains(response, '<html lang="fr">')
    assertNotContains(response, "This page is not public")
    assertContains(response, "Cette page n’est pas publique (état : Brouillon).")

    record.publication_status = PublicationStatus.PUBLISHED
    record.save()

    assert_is_a_private_preview(client.get(preview_url(record)), record)


def staff_who_may_only_read(model):
    user = User.objects.create_user("reader", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename=f"view_{model._meta.model_name}"))
    return user


def member_with_the_change_permission_but_not_staff(model):
    user = User.objects.create_user("member", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename=f"change_{model._meta.model_name}"))
    return user


def deactivated_editor(model):
    user = make_staff("gone", "Editor")
    user.is_active = False
    user.save()
    return user


def editor_without_the_second_factor_they_must_use(model):
    user = make_staff("unverified", "Editor")
    user.groups.add(Group.objects.get(name=TWO_FACTOR_REQUIRED))
    return user


VISITORS = {
    "anonymous": None,
    "logged-in non-staff": lambda model: User.objects.create_user("someone", password=PASSWORD),
    "non-staff with the change permission": member_with_the_change_permission_but_not_staff,
    "staff who may only read": staff_who_may_only_read,
    "deactivated editor": deactivated_editor,
    "editor without the second factor": editor_without_the_second_factor_they_must_use,
}


@MODELS
def test_nobody_else_finds_the_preview(client, model):
    """Each of VISITORS."""
    record = make_record(model)

    for visitor, make_visitor in VISITORS.items():
        client.logout()
        if make_visitor is not None:
            client.force_login(make_visitor(model))

        response = client.get(preview_url(record))

        assert response.status_code == 404, visitor
        assertNotContains(response, "Zanzibar", status_code=404, msg_prefix=visitor)


def test_the_staff_who_may_only_read_still_reach_the_admin(client):
    """So that the 404 above is about the preview, not about a broken account."""
    client.force_login(staff_who_may_only_read(Event))

    assert client.get(admin_url(Event, "changelist")).status_code == 200


@MODELS
def test_a_preview_of_a_record_that_does_not_exist_is_not_found(client, model):
    client.force_login(make_staff("staff", "Publisher"))

    assert client.get(f"/en/{model._meta.model_name}s/no-such-record/preview/").status_code == 404


@MODELS
@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_the_change_form_links_to_the_preview_until_the_record_is_public(client, model, role):
    record = make_record(model)
    client.force_login(make_staff("staff", role))

    draft_page = client.get(admin_url(model, "change", record.pk))
    record.publication_status = PublicationStatus.PUBLISHED
    record.save()
    public_page = client.get(admin_url(model, "change", record.pk))

    assertContains(draft_page, f'<a href="{preview_url(record)}">Preview it</a>')
    assertContains(public_page, f'<a href="{record.get_absolute_url()}">View it on the site</a>')
    assertNotContains(public_page, preview_url(record))
