import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst

from bodies.models import Body
from events.models import Event, Participation, Series
from instruments.models import Instrument
from publishing.models import PublicationStatus
from sources.models import Source
from topics.models import Topic
from uncac.models import Article, Chapter

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "initial_catalogue.json"


def find(model, field, value):
    """The record whose natural key `field` is `value`, or None for no value."""
    if value is None:
        return None
    try:
        return model.objects.get(**{field: value})
    except model.DoesNotExist:
        raise ValidationError(f"there is no {model._meta.verbose_name} with {field} {value!r}") from None


def find_all(model, field, values):
    return [find(model, field, value) for value in values]


def save(instance, related=None):
    """Validate and save a new record, then set its many-to-many relations."""
    instance.full_clean()
    instance.save()
    for name, objects in (related or {}).items():
        getattr(instance, name).set(objects)
    return instance


def create_body(fields):
    fields["parent"] = find(Body, "slug", fields.get("parent"))
    save(Body(**fields))


def create_source(fields):
    fields["publisher"] = find(Body, "slug", fields.get("publisher"))
    save(Source(**fields))


def create_topic(fields):
    save(Topic(**fields))


def create_chapter(fields):
    save(Chapter(**fields))


def create_article(fields):
    fields["chapter"] = find(Chapter, "number", fields.get("chapter"))
    save(Article(**fields))


def create_instrument(fields):
    related = {
        "uncac_articles": find_all(Article, "number", fields.pop("uncac_articles", [])),
        "topics": find_all(Topic, "slug", fields.pop("topics", [])),
        "sources": find_all(Source, "url", fields.pop("sources", [])),
    }
    fields["issuing_body"] = find(Body, "slug", fields.get("issuing_body"))
    fields["programme"] = find(Instrument, "slug", fields.get("programme"))
    save(Instrument(**fields, publication_status=PublicationStatus.PUBLISHED), related)


def create_series(fields):
    fields["body"] = find(Body, "slug", fields.get("body"))
    save(Series(**fields))


def create_event(fields):
    participants = fields.pop("participants", [])
    related = {
        "convening_bodies": find_all(Body, "slug", fields.pop("convening_bodies", [])),
        "topics": find_all(Topic, "slug", fields.pop("topics", [])),
        "instruments": find_all(Instrument, "slug", fields.pop("instruments", [])),
        "uncac_articles": find_all(Article, "number", fields.pop("uncac_articles", [])),
        "sources": find_all(Source, "url", fields.pop("sources", [])),
    }
    fields["series"] = find(Series, "slug", fields.get("series"))
    event = save(Event(**fields, publication_status=PublicationStatus.PUBLISHED), related)
    for participant in participants:
        body = find(Body, "slug", participant.get("body"))
        save(Participation(**{**participant, "event": event, "body": body}))


# In load order: each kind of record only refers to kinds loaded before it.
LOADERS = [
    ("bodies", Body, "slug", create_body),
    ("sources", Source, "url", create_source),
    ("topics", Topic, "slug", create_topic),
    ("uncac_chapters", Chapter, "number", create_chapter),
    ("uncac_articles", Article, "number", create_article),
    ("instruments", Instrument, "slug", create_instrument),
    ("series", Series, "slug", create_series),
    ("events", Event, "slug", create_event),
]


def describe(error):
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Load the initial catalogue of bodies, sources, topics, UNCAC chapters and articles, instruments, "
        "series and events. Records that already exist are left untouched; only missing ones are created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=DEFAULT_PATH, help=f"JSON file to load (default: {DEFAULT_PATH})."
        )

    def handle(self, *args, path, verbosity, **options):
        try:
            catalogue = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

        summary = []
        # The file's plain fields ("name", "title") hold the English texts, its "_fr" fields the French ones.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            for key, model, natural_key, create in LOADERS:
                created, present = self.load(catalogue.get(key, []), model, natural_key, create)
                label = capfirst(model._meta.verbose_name_plural)
                summary.append(f"{label}: {created} created, {present} already present")
        if verbosity >= 1:
            self.stdout.write("\n".join(summary))

    def load(self, records, model, key, create):
        """Create the records whose natural key is not in the database yet; return (created, present)."""
        created = 0
        for record in records:
            if model.objects.filter(**{key: record[key]}).exists():
                continue
            try:
                create(dict(record))
            except ValidationError as error:
                raise CommandError(
                    f"Cannot load {model._meta.verbose_name} {record[key]!r}: {describe(error)}"
                ) from error
            except TypeError as error:  # a key that is not a field of the model
                raise CommandError(f"Cannot load {model._meta.verbose_name} {record[key]!r}: {error}") from error
            created += 1
        return created, len(records) - created
