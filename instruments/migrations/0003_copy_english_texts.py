from django.db import migrations
from django.db.models import F

# The English text of every record written before translations existed.
TRANSLATED = {'Instrument': ['title', 'short_name', 'description']}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("instruments", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_en__isnull": True}).update(**{f"{field}_en": F(field)})


class Migration(migrations.Migration):
    dependencies = [("instruments", "0002_instrument_description_en_instrument_description_fr_and_more")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
