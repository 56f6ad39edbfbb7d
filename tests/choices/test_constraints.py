"""A field's choices, kept by the database and validated by the field alone (choices.constraints)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from choices.constraints import ChoicesConstraint
from events.models import Event
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_validation_asks_the_database_only_about_the_other_check_constraints():
    event = make_event()
    check_constraints = [
        constraint for constraint in Event._meta.constraints if isinstance(constraint, models.CheckConstraint)
    ]
    others = [constraint for constraint in check_constraints if not isinstance(constraint, ChoicesConstraint)]
    assert 0 < len(others) < len(check_constraints)

    with CaptureQueriesContext(connection) as queries:
        event.full_clean()

    checks = [query["sql"] for query in queries if '"_check"' in query["sql"]]
    assert len(checks) == len(others), checks


def test_a_value_outside_the_choices_is_refused_by_the_field_and_by_the_database():
    event = make_event()
    event.status = "someday"

    with pytest.raises(ValidationError) as refused:
        event.full_clean()

    assert refused.value.message_dict == {"status": ["Value 'someday' is not a valid choice."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(status="someday")


def test_a_condition_that_is_not_the_fields_choices_fails_the_system_check():
    constraints = [
        ChoicesConstraint(condition=models.Q(status__in=["scheduled"]), name="too_few"),
        ChoicesConstraint(condition=models.Q(format__in=["in_person", "online", "hybrid"]), name="blank_left_out"),
        ChoicesConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="not_choices"),
    ]

    for constraint in constraints:
        assert [error.id for error in constraint.check(Event, connection)] == ["choices.E001"], constraint.name
        assert not constraint.field_validates(Event), constraint.name
