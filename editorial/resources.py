"""
What the bulk import and export of bodies, events and instruments share (each app's
resources.py builds on CatalogueResource):

- a fixed list of columns with stable names, the translated texts as `<field>_en` and `<field>_fr`;
- records identified by their slug, linked records by their natural key (a slug, an UNCAC
  article number), and a key that matches no record rejects its row instead of being dropped;
- each row checked as the admin's form checks it (the model's full_clean);
- an unchanged row skipped, so that importing the same file twice changes nothing;
- new records arriving as drafts, and a published record never changed by an import;
- each record written by a confirmed import entered in the audit log;
- a row refused at the confirmation if its record has changed since the preview (or has
  been created or deleted since), the preview's file being confirmed as it was previewed;
- CSV cells that a spreadsheet shows as text, never runs as formulas, read back as they were.
"""

import hashlib
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.resources import ModelResource
from import_export.widgets import DateWidget, ForeignKeyWidget, IntegerWidget, ManyToManyWidget

from catalogue.exports import FORMULA_TRIGGERS, neutralise
from publishing.models import Publishable

from . import audit
from .models import AuditAction


def _unknown(noun, key_name, values):
    return gettext("No %(noun)s has the %(key)s %(values)s.") % {
        "noun": noun,
        "key": key_name,
        "values": ", ".join(f"“{value}”" for value in values),
    }


class NaturalKeyWidget(ForeignKeyWidget):
    """
    A linked record by its natural key, e.g. a body by its slug. `limit` narrows the records
    it may be (a programme is an instrument of kind "programme"), `noun` names them in errors.
    """

    def __init__(self, model, field="slug", limit=None, noun=None, **kwargs):
        super().__init__(model, field, **kwargs)
        self.limit = limit or {}
        self.noun = noun

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(**self.limit)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError):
            opts = self.model._meta
            noun = self.noun or opts.verbose_name
            raise ValueError(_unknown(noun, opts.get_field(self.field).verbose_name, [value])) from None


class NaturalKeysWidget(ManyToManyWidget):
    """
    Linked records by their natural keys, separated by commas ("irg,wg-prevention"); in JSON a
    list will do too. Every key must match a record: an unknown one is an error, not dropped.
    """

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=",", field=field, **kwargs)

    def keys(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            parts = value
        elif isinstance(value, int | float):
            parts = [int(value)]
        else:
            parts = str(value).split(self.separator)
        return list(dict.fromkeys(str(part).strip() for part in parts if str(part).strip()))

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        key_field = self.model._meta.get_field(self.field)
        valid = []
        for key in keys:
            try:
                valid.append(key_field.to_python(key))
            except ValidationError:
                pass
        found = self.model.objects.filter(**{f"{self.field}__in": valid})
        known = {str(getattr(obj, self.field)) for obj in found}
        missing = [key for key in keys if key not in known]
        if missing:
            raise ValueError(_unknown(self.model._meta.verbose_name, key_field.verbose_name, missing))
        return found


class IsoDateWidget(DateWidget):
    """Dates written as YYYY-MM-DD, the one form that no reader takes for another date."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row, **kwargs)
        except ValueError:
            raise ValueError(gettext("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": value}) from None


class WholeNumberWidget(IntegerWidget):
    """A whole number; "10.5" or "ten" is an error, never rounded or read as something else."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
            if number != number.to_integral_value():
                raise ValueError
            return int(number)
        except (InvalidOperation, ValueError):
            raise ValueError(gettext("“%(value)s” is not a whole number.") % {"value": value}) from None


def linked(model, attribute, key="slug", **options):
    """The column of a foreign key, holding the natural key of the linked record."""
    return Field(attribute=attribute, column_name=attribute, widget=NaturalKeyWidget(model, key, **options))


def linked_many(model, attribute, key="slug"):
    """The column of a many-to-many relation, holding the natural keys of the linked records."""
    return Field(attribute=attribute, column_name=attribute, widget=NaturalKeysWidget(model, key))


def to_csv_cell(text):
    """
    The text of a CSV cell as the public exports write it (catalogue.exports.neutralise),
    in a way that from_csv_cell reverses: the quote goes after any quotes the text already
    begins with, so that "'=x" is written "''=x" and read back as "'=x".
    """
    quotes = len(text) - len(text.lstrip("'"))
    return text[:quotes] + neutralise(text[quotes:])


def from_csv_cell(text):
    """The text that to_csv_cell wrote, or a spreadsheet's "'=x": one quote less before a formula."""
    quotes = len(text) - len(text.lstrip("'"))
    return text[1:] if quotes and text[quotes:].startswith(FORMULA_TRIGGERS) else text


def _map_cells(dataset, function):
    mapped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        mapped.append([function(value) if isinstance(value, str) else value for value in row])
    return mapped


class SpreadsheetCSV(CSV):
    """
    CSV whose cells a spreadsheet never runs as formulas, as the public exports write them,
    and which is read back as it was before: an exported file imports back unchanged.
    (JSON is left as it is: no program runs its strings.)
    """

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, to_csv_cell), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), from_csv_cell)


class CatalogueResource(ModelResource):
    WIDGETS_MAP = {
        **ModelResource.WIDGETS_MAP,
        "DateField": IsoDateWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    class Meta:
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.saved = []  # (record, created) pairs, entered in the audit log once the whole file is in

    def many_to_many_fields(self):
        return [field for field in self.get_import_fields() if isinstance(field.widget, ManyToManyWidget)]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if kwargs.get("previewed_states") is not None:
            self.lock_records(dataset)

    def lock_records(self, dataset):
        """
        Lock the records that the rows name until the import ends (on databases that lock rows),
        all at once and in one order, so that two imports of the same records cannot deadlock.
        """
        [key] = self.get_import_id_fields()
        field = self.fields[key]
        values = set()
        for row in dataset.dict:
            try:
                values.add(field.clean(row))
            except (KeyError, TypeError, ValueError):
                continue
        records = self._meta.model._base_manager.select_for_update().filter(**{f"{field.attribute}__in": values})
        list(records.order_by("pk").values_list("pk", flat=True))

    @staticmethod
    def state_of(record):
        """A digest of every value `record` stores, its publication state and lock_version included."""
        values = [(f.attname, f.value_from_object(record)) for f in record._meta.concrete_fields if not f.generated]
        return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()

    def after_init_instance(self, instance, new, row, **kwargs):
        """
        Note the state of the record that the row names, as the preview finds it (in
        `seen_states`, by row number; None for no record), or refuse the row at the
        confirmation if its record is no longer in the state that the preview found
        (`previewed_states`).
        """
        super().after_init_instance(instance, new, row, **kwargs)
        number = str(kwargs["row_number"])
        state = None if new else self.state_of(instance)
        if (seen := kwargs.get("seen_states")) is not None:
            seen[number] = state
        previewed = kwargs.get("previewed_states")
        if previewed is not None and (number not in previewed or previewed[number] != state):
            raise ValidationError(
                gettext("“%(slug)s” has changed since the preview. Import the file again, and check its new preview.")
                % {"slug": row.get("slug")},
                code="stale",
            )

    def import_instance(self, instance, row, **kwargs):
        """Read the row into `instance`, and check its many-to-many columns before anything is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.many_to_many_fields():
            model_field = instance._meta.get_field(field.attribute)
            try:
                if field.column_name in row:
                    values = field.clean(row)
                    if not values and not model_field.blank:
                        raise ValueError(model_field.error_messages["blank"])
                elif instance._state.adding and not model_field.blank:
                    raise ValueError(model_field.error_messages["blank"])
            except ValueError as error:
                errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """
        Skip a row for an existing record whose columns all hold what the record already has.
        Values are compared as they are written in a file, where an empty text is empty
        whether the record stores it as "" or as NULL.
        """
        if import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, ManyToManyWidget):
                wanted = {obj.pk for obj in field.clean(row)}
                if wanted != set(field.get_value(original).values_list("pk", flat=True)):
                    return False
            elif field.export(instance) != field.export(original):
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """
        Reject a change to a published record, or to a body that published records show: an
        import would otherwise change public pages unreviewed.
        """
        errors = {name: list(messages) for name, messages in (import_validation_errors or {}).items()}
        if isinstance(instance, Publishable) and not instance._state.adding and instance.is_published:
            message = gettext(
                "“%(slug)s” is published: a publisher must unpublish it before an import can change it."
            ) % {"slug": instance.slug}
            errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(message, code="published"))
        elif not instance._state.adding and self.is_in_public_use(instance):
            message = gettext(
                "“%(slug)s” is shown by published records: change it in the admin, where a publisher reviews it."
            ) % {"slug": instance.slug}
            errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(message, code="in_public_use"))
        super().validate_instance(instance, errors, validate_unique)

    @staticmethod
    def is_in_public_use(instance):
        """Whether a record without a state of its own (a body) is shown by records in review, scheduled or public."""
        records = type(instance)._default_manager
        return hasattr(records, "public") and records.public(reviewed=True).filter(pk=instance.pk).exists()

    def after_import_row(self, row, row_result, **kwargs):
        # The preview numbers every row as the list of rejected rows does.
        row_result.number = kwargs.get("row_number")
        super().after_import_row(row, row_result, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if not self._is_dry_run(kwargs):
            self.saved.append((instance, is_create))

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        file_name = kwargs.get("file_name") or "?"
        for instance, created in self.saved:
            if created:
                detail = gettext("created from %(file)s") % {"file": file_name}
            else:
                detail = gettext("updated from %(file)s") % {"file": file_name}
            audit.record(AuditAction.IMPORT, kwargs.get("user"), instance, detail=detail)
