from django.db import migrations

from search.operations import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("instruments", "0006_search_vector")]

    # The vectors themselves are filled after migrating (search/apps.py).
    operations = [CreateSearchIndex("instruments_instrument", "instrument_search_idx")]
