"""
The kinds of record that the catalogue publishes (events, instruments), each registered once,
in its app's `records.py`, which the catalogue's app reads at start-up:

    register(Event, filterset=EventFilter, feed=EventFeed, covers={"topics.Topic": "topics", ...})

A registration is all a new kind of record needs for the machinery to serve it:
- the pages and feeds of what the records point to (a body, a topic, a UNCAC article) list
  those that cover it, by the path registered for its model (`covered_by`), and a mixed
  feed presents each record as the feed of its kind does;
- the catalogue's version (publishing/cache.py) is renewed by any change to a model of the
  apps that the registered records reach through their relations (`catalogue_models`), so
  that nothing cached for the public outlives a change to what it shows;
- each new server process builds the facet index of its list before it answers (warmup.py);
- the sitemap lists the page of each published record (sitemaps.py), and the site-wide search
  and the search vectors cover them (search/, through the list's `search_document`);
- the system checks (checks.py) refuse a facet that reads a model whose changes would not
  renew the version, and a list whose default order is not one of its sorts.
"""

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Prefetch, Q


@dataclass(frozen=True)
class RecordType:
    model: type
    # The FacetedFilterSet of the public list of these records.
    filterset: type
    # The feed of the newest of these records (catalogue.feeds.RecordFeed).
    feed: type
    # {label of a model the records point to: the path from a record to it}, e.g. {"topics.Topic": "topics"}.
    covers: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.model._meta.model_name

    @property
    def search_document(self):
        """What a search of these records reads (search/documents.py), as their list searches it."""
        return self.filterset.search_document

    def covering(self, obj, pks=None, records=None):
        """
        The published records (or those of `records`) that point to `obj`, or to any record of
        its model in `pks` (a body and its subsidiaries), each record once.
        """
        path = self.covers[obj._meta.label]
        pointing = self.model._base_manager.filter(**{f"{path}__in": [obj.pk] if pks is None else pks})
        records = self.model.objects.published() if records is None else records
        return records.filter(pk__in=pointing.values("pk"))

    def published_per(self, model):
        """{primary key of a record of `model`: the primary keys of the published records that point to it}."""
        per = defaultdict(set)
        pairs = self.model.objects.published().order_by().values_list(self.covers[model._meta.label], "pk")
        for target, pk in pairs:
            per[target].add(pk)
        return per


# Names the catalogue itself, whatever host serves it: part of every feed entry id and calendar UID.
IDENTITY_DOMAIN = "wcointegrity"

_registry = {}


def register(model, *, filterset, feed, covers=None):
    _registry[model._meta.label] = RecordType(model, filterset, feed, covers or {})


def record_types():
    return list(_registry.values())


def record_type_of(model):
    return _registry[model._meta.label]


def covering_types(model):
    """The kinds of record that point to records of `model`."""
    return [record_type for record_type in record_types() if model._meta.label in record_type.covers]


def covered_by(obj, pks=None):
    """[(record type, its published records that point to `obj`)] for every kind of record that covers its model."""
    return [(record_type, record_type.covering(obj, pks)) for record_type in covering_types(type(obj))]


def with_counts(queryset):
    """
    The records of `queryset` (topics, UNCAC articles), each with `<kind>_count` for every kind
    of record that points to them directly: how many published records of that kind do.
    """
    label = queryset.model._meta.label
    for record_type in record_types():
        path = record_type.covers.get(label)
        if path is None or "__" in path:
            continue
        reverse = record_type.model._meta.get_field(path).related_query_name()
        published = record_type.model.objects.published()
        count = Count(reverse, filter=Q(**{f"{reverse}__in": published}), distinct=True)
        queryset = queryset.annotate(**{f"{record_type.name}_count": count})
    return queryset


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
        for model_field in model._meta.get_fields():
            # Forward relations only: what the records point to, not what points to them.
            if model_field.is_relation and model_field.related_model and not model_field.auto_created:
                pending.append(model_field.related_model)
    return labels


def catalogue_models():
    """Every model of those apps, the tables of their many-to-many relations included."""
    labels = catalogue_apps()
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in labels]


def published_related(model, name):
    """
    A Prefetch of the relation `name` of `model` that reads only the published records at its
    other end, as their lists show them (an instrument's events).
    """
    related = model._meta.get_field(name).related_model
    return Prefetch(name, queryset=related.objects.published().for_listing())
