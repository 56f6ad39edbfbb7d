"""
The lists that alerts follow: a kind of record registered with the catalogue
(catalogue/records.py), named in addresses by its app's label ("events"), and the filters
of its list, read by its registered FilterSet from the published records alone.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from catalogue.filters import SortFilter
from catalogue.records import record_types

# The longest filters an alert keeps, as a query string.
MAX_QUERY_LENGTH = 2000


def kinds():
    """{the label in addresses: the registered kind of record}."""
    return {record_type.model._meta.app_label: record_type for record_type in record_types()}


def list_view_name(record_type):
    """The list of a kind of record is the `list` view of its app's namespace (checks.py sees to it)."""
    return f"{record_type.model._meta.app_label}:list"


@dataclass
class FollowedList:
    record_type: object
    data: QueryDict

    @classmethod
    def of(cls, kind, query):
        """The list of `kind` with the filters of `query` (a query string or a QueryDict), or None for no such kind."""
        record_type = kinds().get(kind)
        if record_type is None:
            return None
        data = QueryDict(query) if isinstance(query, str) else query
        return cls(record_type, data)

    @property
    def kind(self):
        return self.record_type.model._meta.app_label

    @cached_property
    def filterset(self):
        model = self.record_type.model
        return self.record_type.filterset(self.data, queryset=model.objects.published())

    @property
    def is_valid(self):
        return self.filterset.is_valid()

    @property
    def errors(self):
        """[(the filter's label, its messages)], as the list shows them."""
        filters = self.filterset.filters
        return [
            (filters[name].label if name in filters else "", messages)
            for name, messages in self.filterset.errors.items()
        ]

    @property
    def query(self):
        """The filters alone (no sort, no page, no blank or unknown parameter), each name's values in order."""
        filters = self.filterset.filters
        pairs = [
            (name, value)
            for name in sorted(self.data)
            if name in filters and not isinstance(filters[name], SortFilter)
            for value in sorted(self.data.getlist(name))
            if value.strip()
        ]
        return urlencode(pairs)

    @property
    def kind_label(self):
        """The kind's name in the active language: "Events"."""
        return capfirst(self.record_type.model._meta.verbose_name_plural)

    @property
    def conditions(self):
        """Each active filter in the active language: ["Body: Integrity Sub-Committee", "Search: “audit”"]."""
        return [
            _("%(filter)s: %(value)s")
            % {"filter": active.facet_label, "value": f"“{active.label}”" if active.name == "q" else active.label}
            for active in self.filterset.active_filters
        ]

    @property
    def summary(self):
        conditions = self.conditions
        return f"{self.kind_label} ({'; '.join(conditions)})" if conditions else str(self.kind_label)

    def list_path(self):
        query = self.query
        return reverse(list_view_name(self.record_type)) + (f"?{query}" if query else "")

    def new_records(self, since, until):
        """The records of the list first published after `since` and up to `until`, newest first; None if invalid."""
        if not self.is_valid:
            return None
        return self.filterset.qs.filter(first_published_at__gt=since, first_published_at__lte=until).order_by(
            "-first_published_at", "-pk"
        )

    def title_of(self, record):
        """A record's title as the feed of its kind gives it."""
        return self.record_type.feed().item_title(record)
