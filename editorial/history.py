"""
Revision history: every Lockable model's versions are kept (registered when the site starts),
and read back for people: what changed, field by field, from one version to the next.
"""

import datetime

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from reversion.models import Version

SHOWN_VERSIONS = 50


def register_lockable_models():
    """
    Keep the versions of every Lockable model, without the lock count, which is bookkeeping
    rather than content, and with the records of its `history_follows` relations (an event's
    participants), so that restoring a version restores them too.
    """
    from .models import Lockable

    for model in apps.get_models():
        if issubclass(model, Lockable) and not reversion.is_registered(model):
            for name in model.history_follows:
                followed = model._meta.get_field(name).related_model
                if not reversion.is_registered(followed):
                    reversion.register(followed)
            reversion.register(model, exclude=["lock_version"], follow=list(model.history_follows))


def _shown_fields(fields):
    """
    The fields worth showing: a translated text appears once per language (Title [en],
    Title [fr]), not a third time as the field that stands for the current language.
    """
    names = {field.name for field in fields}
    return [
        field
        for field in fields
        if not any(f"{field.name}_{code.replace('-', '_')}" in names for code, _name in settings.LANGUAGES)
    ]


def _display(field, value, names):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # As the publication history and the dashboard show times.
        return f"{value.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    if isinstance(field, models.ManyToManyField):
        return ", ".join(names.get((field.related_model, pk), f"#{pk}") for pk in value)
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _related_names(model, dicts):
    """The names of every record that the versions link to, read in one query per related model."""
    wanted = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if not field.is_relation:
            continue
        for data in dicts:
            value = data.get(field.attname)
            pks = value if isinstance(value, list) else [value]
            wanted.setdefault(field.related_model, set()).update(pk for pk in pks if pk is not None)
    names = {}
    for related, pks in wanted.items():
        for pk, obj in related._base_manager.in_bulk(pks).items():
            names[(related, pk)] = str(obj)
    return names


def parent_link(rel, model, pk):
    """
    {attname: value} of the fields that tie a record of the relation `rel` of `model` (a reverse
    foreign key, or a GenericRelation) to its record `pk`.
    """
    if isinstance(rel, GenericRelation):
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=rel.for_concrete_model)
        return {rel.object_id_field_name: pk, f"{rel.content_type_field_name}_id": content_type.pk}
    return {rel.field.attname: pk}


def _inline_rows(version, related_name, model):
    """The inline records saved in the same revision as `version`, each as one readable line."""
    rel = model._meta.get_field(related_name)
    inline_model = rel.related_model
    content_type = ContentType.objects.get_for_model(inline_model)
    tie = parent_link(rel, model, version.field_dict.get(model._meta.pk.attname))
    dicts = [
        inline.field_dict
        for inline in version.revision.version_set.filter(content_type=content_type)
        if all(inline.field_dict.get(attname) == value for attname, value in tie.items())
    ]
    names = _related_names(inline_model, dicts)
    shown = [
        f for f in _shown_fields(inline_model._meta.concrete_fields) if not f.primary_key and f.attname not in tie
    ]
    rows = [", ".join(_display(f, data.get(f.attname), names) for f in shown if data.get(f.attname)) for data in dicts]
    return sorted(rows)


def versions_with_changes(obj, inlines=()):
    """
    The latest versions of `obj`, newest first, each with the list of (field, before, after)
    that it changed from the version before it. The first version lists what it was created with.
    """
    model = type(obj)
    versions = list(Version.objects.get_for_object(obj).select_related("revision__user")[: SHOWN_VERSIONS + 1])
    dicts = [version.field_dict for version in versions]
    names = _related_names(model, dicts)
    fields = [
        field
        for field in _shown_fields([*model._meta.concrete_fields, *model._meta.many_to_many])
        if not field.primary_key and any(field.attname in data for data in dicts)
    ]
    inline_rows = [{name: _inline_rows(version, name, model) for name in inlines} for version in versions]
    result = []
    for index, version in enumerate(versions[:SHOWN_VERSIONS]):
        after = dicts[index]
        before = dicts[index + 1] if index + 1 < len(dicts) else {}
        changes = []
        for field in fields:
            if field.attname in after and after.get(field.attname) != before.get(field.attname):
                old = _display(field, before.get(field.attname), names) if before else "—"
                changes.append((capfirst(field.verbose_name), old, _display(field, after[field.attname], names)))
        for name in inlines:
            new_rows = inline_rows[index][name]
            old_rows = inline_rows[index + 1][name] if index + 1 < len(versions) else []
            if new_rows != old_rows:
                label = capfirst(model._meta.get_field(name).related_model._meta.verbose_name_plural)
                changes.append((label, "; ".join(old_rows) or "—", "; ".join(new_rows) or "—"))
        result.append({"version": version, "revision": version.revision, "changes": changes})
    return result
