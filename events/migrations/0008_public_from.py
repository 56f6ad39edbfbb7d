from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce, Now


def set_public_from(apps, schema_editor):
    """Records published before scheduling existed are public since they were first published."""
    model = apps.get_model("events", "Event")
    model.objects.filter(publication_status="published", publish_at__isnull=True).update(
        publish_at=Coalesce(F("first_published_at"), Now())
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0007_editorial_workflow")]

    # Going back removes the column, so there is nothing to undo.
    operations = [migrations.RunPython(set_public_from, migrations.RunPython.noop)]
