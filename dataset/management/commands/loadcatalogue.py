import json
from pathlib import Path

import reversion
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
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

DATA = Path(__file__).resolve().parents[2] / "data"
DEFAULT_PATH = DATA / "initial_catalogue.json"
DEFAULT_CORRECTIONS = DATA / "corrections.json"
FIRST_VERSION_COMMENT = "Loaded from the initial catalogue."


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
    return save(Body(**fields))


def create_source(fields):
    fields["publisher"] = find(Body, "slug", fields.get("publisher"))
    return save(Source(**fields))


def create_topic(fields):
    return save(Topic(**fields))


def create_chapter(fields):
    return save(Chapter(**fields))


def create_article(fields):
    fields["chapter"] = find(Chapter, "number", fields.get("chapter"))
    return save(Article(**fields))


def create_instrument(fields):
    related = {
        "uncac_articles": find_all(Article, "number", fields.pop("uncac_articles", [])),
        "topics": find_all(Topic, "slug", fields.pop("topics", [])),
        "sources": find_all(Source, "url", fields.pop("sources", [])),
    }
    fields["issuing_body"] = find(Body, "slug", fields.get("issuing_body"))
    fields["programme"] = find(Instrument, "slug", fields.get("programme"))
    return save(Instrument(**fields, publication_status=PublicationStatus.PUBLISHED), related)


def create_series(fields):
    fields["body"] = find(Body, "slug", fields.get("body"))
    return save(Series(**fields))


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
    return event


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


NATURAL_KEYS = {model: key for _name, model, key, _create in LOADERS}
KINDS = {name: (model, key, create) for name, model, key, create in LOADERS}


def natural(value, model):
    """A related record (or records) as the catalogue's files name it: by its natural key."""
    key = NATURAL_KEYS[model]
    if hasattr(value, "all"):
        return sorted(getattr(related, key) for related in value.all())
    return None if value is None else getattr(value, key)


def comparable(value):
    """A value of the catalogue's files as `current()` reads one: empty is "", lists are sorted."""
    if isinstance(value, list):
        return sorted(value)
    return "" if value is None else value


def current(obj, name):
    """The value of the field `name` of `obj`, as the catalogue's files write it."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.is_relation:
        value = natural(value, field.related_model)
    return comparable(value)


def apply_fields(obj, fields):
    """Set `fields` (as the catalogue's files write them) on `obj`, validate and save it, as a staff edit does."""
    related = {}
    for name, value in fields.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            related[name] = find_all(field.related_model, NATURAL_KEYS[field.related_model], value)
        elif field.is_relation:
            setattr(obj, name, find(field.related_model, NATURAL_KEYS[field.related_model], value))
        else:
            setattr(obj, name, "" if value is None and not field.null else value)
    changed = {obj._meta.get_field(name).name for name in fields}
    # What the correction leaves alone was validated when it was saved: its constraints are not read again.
    obj.full_clean(exclude=[field.name for field in obj._meta.concrete_fields if field.name not in changed])
    obj.save()
    for name, objects in related.items():
        getattr(obj, name).set(objects)
    return obj


def as_revision(objects, comment):
    """
    Save `objects` as they now are, with what their histories follow, as one revision, as the
    admin saves an edit or an import. The revision is made once the records and their
    relations are saved, rather than around each save, so that each is written once rather
    than again at each relation set.
    """
    with reversion.create_revision():
        for obj in objects:
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
        reversion.set_comment(comment)


class Corrections:
    """
    The corrections made to the initial catalogue since it was first published, in the order
    they were made (dataset/data/corrections.json). Each either changes fields of a record,
    {"change": kind, "key": natural key, "fields": {...}, "note": ...}, or adds a record,
    {"add": kind, "record": {...}, "note": ...}, and is saved as its own revision of the
    record's history, with its note as the revision's comment, as an edit in the admin is.

    A change is made to a field that still holds the value it had before the correction (the
    seed's, or an earlier correction's); a field that holds the corrected value or a later
    one is done, and one that an editor changed otherwise since is left as the editor left it.
    """

    def __init__(self, entries, seed):
        self.entries = entries
        # {(kind, key, field): [the seed's value, then each correction's, in order]}
        seeded = {
            (kind, record[KINDS[kind][1]]): record
            for kind, records in seed.items()
            if kind in KINDS
            for record in records
        }
        self.values = {}
        for entry in entries:
            if "change" in entry:
                record = seeded.get((entry["change"], entry["key"]), {})
                for name, value in entry["fields"].items():
                    history = self.values.setdefault(
                        (entry["change"], entry["key"], name), [comparable(record.get(name))]
                    )
                    history.append(comparable(value))

    def apply(self):
        """Make the corrections not made yet; return (made, done before, left to editors' changes)."""
        made, done, left = 0, 0, 0
        seen = {}
        for entry in self.entries:
            if "add" in entry:
                model, key, create = KINDS[entry["add"]]
                if model.objects.filter(**{key: entry["record"][key]}).exists():
                    done += 1
                    continue
                as_revision([create(dict(entry["record"]))], entry.get("note", ""))
                made += 1
                continue
            kind, key = entry["change"], entry["key"]
            model, key_field, _create = KINDS[kind]
            obj = model._base_manager.filter(**{key_field: key}).first()
            if obj is None:
                left += 1
                continue
            pending = {}
            for name, value in entry["fields"].items():
                place = seen[(kind, key, name)] = seen.get((kind, key, name), 0) + 1
                history = self.values[(kind, key, name)]
                now = current(obj, name)
                if now == history[place - 1] and now != comparable(value):
                    pending[name] = value
            if not pending:
                changed_since = any(
                    current(obj, name) not in self.values[(kind, key, name)] for name in entry["fields"]
                )
                left += changed_since
                done += not changed_since
                continue
            as_revision([apply_fields(obj, pending)], entry.get("note", ""))
            made += 1
        return made, done, left


def describe(error):
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Load the initial catalogue of bodies, sources, topics, UNCAC chapters and articles, instruments, "
        "series and events, each record's first version in its history, then make the corrections published "
        "since, each as a revision of its own. Records that already exist are left untouched, and so are "
        "corrections already made and fields that editors have changed since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=DEFAULT_PATH, help=f"JSON file to load (default: {DEFAULT_PATH})."
        )
        parser.add_argument(
            "--corrections",
            type=Path,
            help=f"JSON file of the corrections made to it since (default: {DEFAULT_CORRECTIONS} for the default "
            "catalogue, none for another).",
        )

    def handle(self, *args, path, corrections, verbosity, **options):
        catalogue = self.read(path)
        if corrections is None and path == DEFAULT_PATH:
            corrections = DEFAULT_CORRECTIONS
        entries = self.read(corrections) if corrections else []

        summary = []
        # The file's plain fields ("name", "title") hold the English texts, its "_fr" fields the French ones.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            loaded = []
            for key, model, natural_key, create in LOADERS:
                created = self.load(catalogue.get(key, []), model, natural_key, create)
                loaded += created
                label = capfirst(model._meta.verbose_name_plural)
                summary.append(
                    f"{label}: {len(created)} created, {len(catalogue.get(key, [])) - len(created)} already present"
                )
            # The records' first versions, in one revision, as an import in the admin makes them.
            if loaded:
                as_revision(loaded, FIRST_VERSION_COMMENT)
            try:
                made, done, left = Corrections(entries, catalogue).apply()
            except (ValidationError, FieldDoesNotExist, KeyError, TypeError) as error:
                reason = describe(error) if isinstance(error, ValidationError) else repr(error)
                raise CommandError(f"Cannot apply the corrections of {corrections}: {reason}") from error
            summary.append(
                f"Corrections: {made} made, {done} made before, {left} left as editors changed the records since"
            )
        if verbosity >= 1:
            self.stdout.write("\n".join(summary))

    def load(self, records, model, key, create):
        """Create the records whose natural key is not in the database yet, and return them."""
        created = []
        for record in records:
            if model.objects.filter(**{key: record[key]}).exists():
                continue
            try:
                created.append(create(dict(record)))
            except ValidationError as error:
                raise CommandError(
                    f"Cannot load {model._meta.verbose_name} {record[key]!r}: {describe(error)}"
                ) from error
            except TypeError as error:  # a key that is not a field of the model
                raise CommandError(f"Cannot load {model._meta.verbose_name} {record[key]!r}: {error}") from error
        return created

    def read(self, path):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
