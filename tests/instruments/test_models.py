import pytest
from django.db import IntegrityError, transaction

from instruments.models import Instrument
from tests.factories import make_body, make_instrument

pytestmark = pytest.mark.django_db


def test_revision_cannot_come_before_adoption():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_instrument(year_adopted=2003, year_revised=1993)


def test_kind_outside_the_vocabulary_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_instrument(kind="rumour")


def test_of_year_matches_adoption_or_revision():
    adopted = make_instrument(year_adopted=1993, year_revised=2003)
    other = make_instrument(year_adopted=2003)
    make_instrument(year_adopted=2010)
    assert set(Instrument.objects.of_year(2003)) == {adopted, other}
    assert list(Instrument.objects.of_year(1993)) == [adopted]


def test_issued_by_uses_the_given_bodies():
    body = make_body()
    issued = make_instrument(issuing_body=body)
    make_instrument(issuing_body=make_body())
    assert list(Instrument.objects.issued_by({body.pk})) == [issued]
