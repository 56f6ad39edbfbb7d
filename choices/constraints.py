"""
A field holds one of its choices: a check constraint in the database, so that nothing written
around the models (a restore, a hand-made query) stores another value; and in validation, the
field's own check, without the query a CheckConstraint runs.
"""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, models


class ChoicesConstraint(models.CheckConstraint):
    """
    CheckConstraint(condition=Q(<field>__in=<its choices>), name=...), the empty string among them
    where the field may be blank. Django validates a CheckConstraint by asking the database, one
    query a constraint (on PostgreSQL inside a savepoint, three round trips): for this one the
    field's validation of its choices (Model.clean_fields, which a form and full_clean() run
    first, with the same fields left out) already says the same, in the field's own words. The
    system check below fails a condition that says anything else, and such a constraint is then
    validated by the database as any other.
    """

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if self.field_validates(model):
            return
        super().validate(model, instance, exclude=exclude, using=using)

    def field_validates(self, model):
        """Whether the field's own validation allows exactly the values of the condition."""
        lookup = self.lookup()
        if lookup is None:
            return False
        name, values = lookup
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not field.choices:
            return False
        allowed = {value for value, _label in field.flatchoices} | ({""} if field.blank else set())
        return set(values) == allowed

    def lookup(self):
        """(field name, values) of a condition Q(<field>__in=<values>), or None for any other."""
        condition = self.condition
        if not isinstance(condition, models.Q) or condition.negated or len(condition.children) != 1:
            return None
        child = condition.children[0]
        if not isinstance(child, tuple):
            return None
        lookup, values = child
        name, _, operator = lookup.partition("__")
        if operator != "in" or isinstance(values, str):
            return None
        return name, list(values)

    def check(self, model, connection):
        errors = super().check(model, connection)
        if not self.field_validates(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label}: the condition of {self.name!r} is not Q(<field>__in=<its choices>).",
                    hint="List the field's choices, with '' if it may be blank, or use a CheckConstraint.",
                    obj=model,
                    id="choices.E001",
                )
            )
        return errors
