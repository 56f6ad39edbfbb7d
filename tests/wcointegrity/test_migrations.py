"""Every migration of the site's own apps can be undone: they migrate to zero and forward again, on each database."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue.records import project_app
from events.models import Event


@pytest.mark.django_db(transaction=True)
def test_the_project_migrates_to_zero_and_back_and_still_loads_its_catalogue():
    executor = MigrationExecutor(connection)
    # The libraries' migrations are theirs to undo (django-tasks-db's, for one, cannot be).
    labels = [
        config.label
        for config in apps.get_app_configs()
        if project_app(config) and executor.loader.migrated_apps & {config.label}
    ]

    executor.migrate([(label, None) for label in labels])
    executor.loader.build_graph()

    assert "events_event" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert not MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    call_command("loadcatalogue", verbosity=0)
    assert Event.objects.filter(slug="irg-13").exists()
