"""The rules a list relies on, checked when the site starts (catalogue/checks.py)."""

import pytest
from django.db.models import F

from catalogue import records
from catalogue.checks import check_record_types
from catalogue.filters import ChoiceFacet, FacetedFilterSet, SortFilter
from editorial.models import AuditEntry
from events.feeds import EventFeed


def audit_filter(default_sort="newest"):
    class AuditFilter(FacetedFilterSet):
        user = ChoiceFacet(field_name="user__username", choices=[])
        sort = SortFilter(orderings={"newest": ("Newest", [F("at").desc()])})

        class Meta:
            model = AuditEntry
            fields = ["user", "sort"]

    AuditFilter.default_sort = default_sort
    return AuditFilter


@pytest.fixture
def registered(monkeypatch):
    """Register a kind of record for the duration of a test."""
    registry = dict(records._registry)
    monkeypatch.setattr(records, "_registry", registry)

    def register(filterset, covers=None):
        registry["editorial.AuditEntry"] = records.RecordType(AuditEntry, filterset, EventFeed, covers or {})

    return register


def test_the_registered_kinds_of_record_pass_the_checks():
    assert check_record_types(None) == []


def test_a_facet_that_reads_a_model_whose_changes_keep_the_version_is_an_error(registered):
    registered(audit_filter())

    [error] = [error for error in check_record_types(None) if error.id == "catalogue.E001"]

    assert "AuditFilter.user reads auth.User" in error.msg


def test_a_default_order_that_the_sort_does_not_offer_is_an_error(registered):
    registered(audit_filter(default_sort="oldest"))

    errors = [error.id for error in check_record_types(None)]

    assert "catalogue.E002" in errors


def test_a_path_that_does_not_lead_to_the_model_it_covers_is_an_error(registered):
    registered(audit_filter(), covers={"topics.Topic": "user"})

    errors = [error for error in check_record_types(None) if error.id == "catalogue.E003"]

    assert [error.msg for error in errors] == [
        "editorial.AuditEntry covers topics.Topic by the path 'user', which leads to auth.User."
    ]


def test_the_catalogue_apps_are_those_the_records_reach_and_no_library_s():
    assert records.catalogue_apps() == {"events", "instruments", "bodies", "topics", "uncac", "sources", "documents"}


def test_a_feed_that_follows_a_list_of_other_filters_is_an_error(registered):
    registered(audit_filter())

    errors = [error.msg for error in check_record_types(None) if error.id == "catalogue.E004"]

    assert errors == [
        "The feed EventFeed follows the list EventListView, whose filters are not AuditFilter: "
        "it would hold other records than the list."
    ]
