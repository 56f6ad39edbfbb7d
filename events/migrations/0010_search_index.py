from django.db import migrations

from search.operations import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("events", "0009_search_and_status")]

    # The vectors themselves are filled after migrating (search/apps.py).
    operations = [CreateSearchIndex("events_event", "event_search_idx")]
