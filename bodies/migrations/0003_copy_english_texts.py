from django.db import migrations
from django.db.models import F

# The English text of every record written before translations existed.
TRANSLATED = {'Body': ['name', 'short_name', 'description']}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("bodies", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_en__isnull": True}).update(**{f"{field}_en": F(field)})


class Migration(migrations.Migration):
    dependencies = [("bodies", "0002_body_description_en_body_description_fr_body_name_en_and_more")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
