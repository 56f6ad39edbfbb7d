"""
The kinds of record that the catalogue publishes (events, instruments), each registered once,
in its app's `records.py`, which the catalogue's app reads at start-up:

    register(Event, filterset=EventFilter)

A registration is all a new kind of record needs for the machinery to serve it:
- the catalogue's version (publishing/cache.py) is renewed by any change to a model of the
  apps that the registered records reach through their relations (`catalogue_models`), so
  that nothing cached for the public outlives a change to what it shows;
- each new server process builds the facet index of its list before it answers (warmup.py);
- the system checks (checks.py) refuse a facet that reads a model whose changes would not
  renew the version, and a list whose default order is not one of its sorts.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings


@dataclass(frozen=True)
class RecordType:
    model: type
    # The FacetedFilterSet of the public list of these records.
    filterset: type


_registry = {}


def register(model, *, filterset):
    _registry[model._meta.label] = RecordType(model, filterset)


def record_types():
    return list(_registry.values())


def project_app(app_config):
    """Whether an app is the site's own, rather than Django's or a library's."""
    path = Path(app_config.path)
    return path.is_relative_to(settings.BASE_DIR) and not path.is_relative_to(sys.prefix)


def catalogue_apps():
    """
    The labels of the site's apps whose records the public sees: those of the registered
    records, and of every model of the site that they reach through their relations.
    """
    labels, seen = set(), set()
    pending = [record_type.model for record_type in record_types()]
    while pending:
        model = pending.pop()
        if model in seen or not project_app(model._meta.app_config):
            continue
        seen.add(model)
        labels.add(model._meta.app_label)
        for field in model._meta.get_fields():
            # Forward relations only: what the records point to, not what points to them.
            if field.is_relation and field.related_model and not field.auto_created:
                pending.append(field.related_model)
    return labels


def catalogue_models():
    """Every model of those apps, the tables of their many-to-many relations included."""
    labels = catalogue_apps()
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in labels]
