from django.db import migrations
from django.db.models import F

# The English text of every record written before translations existed.
TRANSLATED = {'Event': ['title', 'summary'], 'Series': ['name']}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("events", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_en__isnull": True}).update(**{f"{field}_en": F(field)})


class Migration(migrations.Migration):
    dependencies = [("events", "0002_event_summary_en_event_summary_fr_event_title_en_and_more")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
