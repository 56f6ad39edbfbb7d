"""A `dumpdata` of the catalogue loads back into an empty database whole: every record, every link."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from events.models import Event
from events.search import EVENT_DOCUMENT

CATALOGUE_APPS = ["bodies", "sources", "topics", "uncac", "instruments", "events"]


def snapshot():
    """Every record of the catalogue's apps with its fields and links, by model."""
    return {
        model._meta.label: sorted(
            (
                record.pk,
                tuple(
                    (field.name, str(getattr(record, field.attname)))
                    for field in model._meta.concrete_fields
                    if field.name != "search_vector"
                ),
                tuple(
                    (field.name, tuple(sorted(linked.pk for linked in getattr(record, field.name).all())))
                    for field in model._meta.many_to_many
                ),
            )
            for record in model._base_manager.prefetch_related(*(field.name for field in model._meta.many_to_many))
        )
        for label in CATALOGUE_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.mark.django_db
def test_a_dump_of_the_catalogue_loads_back_into_an_empty_database_unchanged(tmp_path):
    call_command("loadcatalogue", verbosity=0)
    before = snapshot()
    dump = tmp_path / "catalogue.json"
    call_command("dumpdata", *CATALOGUE_APPS, output=str(dump), verbosity=0)
    # The foreign keys checked now, as a commit would, so that the flush may empty the tables.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert all(not records for records in snapshot().values())

    call_command("loaddata", str(dump), verbosity=0)

    assert snapshot() == before
    assert sum(len(records) for records in before.values()) > 60
    # The loaded records are found by a search (on PostgreSQL, through their search vectors).
    found = EVENT_DOCUMENT.matching(Event.objects.published(), "asset recovery")
    assert set(found.values_list("slug", flat=True)) == {"irg-10", "irg-13"}
