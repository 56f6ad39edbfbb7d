import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from bodies.models import Body
from tests.factories import make_body, make_event

pytestmark = pytest.mark.django_db


def test_tree_orders_parents_before_subsidiaries_and_knows_each_subtree():
    unodc = make_body("UNODC")
    cosp = make_body("Conference", parent=unodc)
    irg = make_body("Implementation Review Group", parent=cosp)
    wco = make_body("A WCO")
    tree = {body.name: body for body in Body.objects.tree()}
    assert [body.name for body in Body.objects.tree()] == [
        "A WCO",
        "UNODC",
        "Conference",
        "Implementation Review Group",
    ]
    assert tree["UNODC"].subtree_pks == {unodc.pk, cosp.pk, irg.pk}
    assert tree["Implementation Review Group"].ancestors == [unodc, cosp]
    assert tree["Implementation Review Group"].depth == 2
    assert tree["A WCO"].subtree_pks == {wco.pk}


def test_a_body_cannot_be_placed_under_its_own_subsidiary():
    parent = make_body()
    child = make_body(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError) as error:
        parent.full_clean()
    assert "parent" in error.value.message_dict


def test_a_body_cannot_be_its_own_parent_in_the_database():
    body = make_body()
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.filter(pk=body.pk).update(parent=body.pk)


def test_a_parent_with_subsidiaries_cannot_be_deleted():
    parent = make_body()
    make_body(parent=parent)
    with pytest.raises(ProtectedError):
        parent.delete()


def test_kind_outside_the_vocabulary_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body(kind="secret_society")


def test_label_adds_the_short_name():
    assert make_body("Integrity Sub-Committee", short_name="ISC").label == "Integrity Sub-Committee (ISC)"
    assert make_body("World Customs Organization").label == "World Customs Organization"


def test_a_secretariat_takes_in_the_bodies_it_serves_without_becoming_their_parent():
    unodc = make_body("UNODC")
    conference = make_body("Conference", secretariat=unodc)
    irg = make_body("Implementation Review Group", parent=conference)
    tree = {body.name: body for body in Body.objects.tree()}
    assert tree["Conference"].depth == 0
    assert tree["Conference"].served_by == unodc
    assert tree["UNODC"].served == [conference]
    assert tree["UNODC"].subtree_pks == {unodc.pk, conference.pk, irg.pk}
    assert tree["Conference"].subtree_pks == {conference.pk, irg.pk}


def test_bodies_that_serve_each_other_still_make_a_tree():
    first = make_body("First")
    second = make_body("Second", secretariat=first)
    Body.objects.filter(pk=first.pk).update(secretariat=second)
    assert [body.subtree_pks for body in Body.objects.tree()] == [{first.pk, second.pk}] * 2


def test_a_body_cannot_be_its_own_secretariat():
    body = make_body()
    body.secretariat = body
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert "secretariat" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.filter(pk=body.pk).update(secretariat=body.pk)


def test_the_secretariat_of_a_public_body_is_public():
    unodc = make_body("UNODC")
    conference = make_body("Conference", secretariat=unodc)
    make_event(bodies=[conference])
    make_body("Unused")
    assert set(Body.objects.public().values_list("name", flat=True)) == {"UNODC", "Conference"}
