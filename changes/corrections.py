"""
The public record of changes: the corrections made to published records, read from the
versions of them that django-reversion keeps (editorial/history.py). Nothing is copied.

- A version is *public* if the public saw it: it is published, and the time it went public
  (`publish_at`) came before the next version replaced it, or has come now. A draft, a version
  in review, and one scheduled for a time that another version overtook never are.
- A *correction* is a public version that differs from the record's previous public version in
  a public field. A record's first public version is its publication, not a correction; what
  was changed while it was not public shows only in how its next public version differs.
- The *public fields* of a record are derived from its model: every editable field but its
  primary key, those of the publication workflow (the fields of `Publishable` and `Lockable`)
  and those that the model names in `history_private`. A new field is public unless its model
  names it there. A translated field counts once per language.
- The shared records that the catalogue's records point to (bodies, topics, sources, series:
  every model whose history is kept and whose QuerySet has `public()`) have no draft of their own:
  a change to one is public at once if the record is. One of their versions counts as public if it
  was still current when the earliest published record that points to it directly was first
  published, or later; one that no published record points to directly (a parent body) counts
  from its first version.
- Only records that are public now are listed, and of what their fields point to, only what is
  public now: a record in draft that a version named is left out of its values.

Who saved a version, and the comment of its revision, are staff's and never read here.
"""

import datetime
import difflib
from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext, pgettext_lazy
from modeltranslation.translator import NotRegistered, translator
from reversion.models import Version

from catalogue.records import record_types
from editorial.models import Lockable
from languages.translations import localized
from publishing.models import PublicationStatus, Publishable

# As many as the feeds show.
RECENT_LENGTH = 50
# The languages as a field's name names them ("Title (French)"); another language is named as Django names it.
LANGUAGE_NAMES = {
    "en": pgettext_lazy("the language of a field", "English"),
    "fr": pgettext_lazy("the language of a field", "French"),
}
# The unchanged words shown around each change of a long text.
CONTEXT_WORDS = 6
# Versions read at a time, newest first, to find the most recent corrections, and at most in all:
# "recent" means among the latest saves, which bounds the work on a large catalogue.
SCAN_CHUNK = 200
SCAN_LIMIT = 10_000


@dataclass
class Change:
    label: str
    # "value": `before` and `after` are shown; "text": a long text's `segments` are; "added", "removed" or
    # "rewritten": a long text's change is only named.
    kind: str
    before: str = ""
    after: str = ""
    # [(kind, words)]: "same", "removed", "added", or "gap" for the unchanged words left out.
    segments: list = field(default_factory=list)


@dataclass
class Correction:
    record: models.Model
    at: datetime.datetime
    version_id: int
    # The address of the page of the record's corrections, for the kinds of record that have one.
    changes_url: str = ""
    # [(field, value before, value after)], the values as stored; made readable by `describe()`.
    differences: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def name(self):
        """The record's name or title in the page's language, or its English one marked as such."""
        try:
            translated = translator.get_options_for_model(type(self.record)).get_field_names()
        except NotRegistered:
            translated = ()
        if {"name", "title"} & set(translated):
            return localized(self.record, "__str__")
        return str(self.record)

    @property
    def kind(self):
        return capfirst(self.record._meta.verbose_name)

    @property
    def link(self):
        """Where the entry leads: its place on the page of the record's corrections, or on the recent changes."""
        return f"{self.changes_url or reverse('changes:recent')}#change-{self.version_id}"


def _workflow_field_names():
    return {f.name for mixin in (Publishable, Lockable) for f in mixin._meta.local_fields}


def public_fields(model):
    """The fields of `model` whose changes the public record of changes shows (see the module's docstring)."""
    hidden = _workflow_field_names() | set(getattr(model, "history_private", ()))
    candidates = [*model._meta.concrete_fields, *model._meta.many_to_many]
    translated = {f.translated_field.name for f in candidates if hasattr(f, "translated_field")}
    fields = []
    for candidate in candidates:
        base = getattr(candidate, "translated_field", candidate)
        if candidate.primary_key or not candidate.editable or base.name in hidden:
            continue
        # The field that stands for the current language's: its languages' fields are shown instead.
        if candidate.name in translated:
            continue
        fields.append(candidate)
    return fields


def is_long_text(model_field):
    return isinstance(getattr(model_field, "translated_field", model_field), models.TextField)


def label(model_field):
    base = getattr(model_field, "translated_field", model_field)
    name = capfirst(base.verbose_name)
    language = getattr(model_field, "language", None)
    if language is None:
        return name
    return gettext("%(field)s (%(language)s)") % {
        "field": name,
        "language": LANGUAGE_NAMES.get(language) or get_language_info(language)["name_translated"],
    }


def _is_public_record(model):
    return issubclass(model, Publishable)


def _public_ids(histories):
    """
    {related model: the primary keys of its public records} for every Publishable model that
    the versions of `histories` point to, read in one query per model.
    """
    wanted = {}
    for model, history in histories:
        for model_field in public_fields(model):
            if not (model_field.is_relation and _is_public_record(model_field.related_model)):
                continue
            for _version, data in history:
                value = data.get(model_field.attname)
                pks = value if isinstance(value, list) else [value]
                wanted.setdefault(model_field.related_model, set()).update(pk for pk in pks if pk is not None)
    return {
        related: set(related._default_manager.published().filter(pk__in=pks).values_list("pk", flat=True))
        for related, pks in wanted.items()
    }


def _public_value(model_field, value, public_ids):
    """The value as the public could see it: the related records that are public now, a list in order."""
    if model_field.is_relation and _is_public_record(model_field.related_model):
        public = public_ids.get(model_field.related_model, set())
        if isinstance(value, list):
            return sorted(pk for pk in value if pk in public)
        return value if value in public else None
    if isinstance(value, list):
        return sorted(value)
    return value


def _data(version):
    return version.field_dict


def public_versions(history, now, since=None):
    """
    The (version, its data) of `history` (oldest first) that the public saw: for a Publishable
    record, as its own publication state says; for a shared record, those still current at
    `since` or later (all of them if `since` is None).
    """
    shown = []
    for index, version in enumerate(history):
        data = _data(version)
        until = history[index + 1].revision.date_created if index + 1 < len(history) else now
        if "publication_status" in data:
            publish_at = data.get("publish_at")
            public = data["publication_status"] == PublicationStatus.PUBLISHED and publish_at is not None
            public = public and publish_at <= until
        else:
            public = since is None or since <= until
        if public:
            shown.append((version, data))
    return shown


def tracked_models():
    """
    The models whose corrections are shown: the kinds of record, and the shared records they
    point to, i.e. every model whose history is kept and that says which of its records are public.
    """
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Lockable)
        and reversion.is_registered(model)
        and (_is_public_record(model) or hasattr(model._default_manager, "public"))
    ]


def public_now(model, pks):
    """{pk: record} of the records of `model` in `pks` that the public sees now."""
    records = model._default_manager
    records = records.published() if _is_public_record(model) else records.public()
    return records.in_bulk(pks)


def _public_since(model, pks):
    """
    {pk: when the earliest published record that points to it directly was first published}
    for the shared records `pks` of `model`, one query per relation.
    """
    since = {}
    for relation in model._meta.related_objects:
        if not _is_public_record(relation.related_model):
            continue
        name = relation.field.name
        pairs = (
            relation.related_model._default_manager.published()
            .filter(**{f"{name}__in": pks})
            .order_by()
            .values_list(name, "first_published_at")
        )
        for pk, first in pairs:
            if first is not None and (pk not in since or first < since[pk]):
                since[pk] = first
    return since


def _corrections_of(record, shown, fields, public_ids):
    kinds = {record_type.model for record_type in record_types()}
    changes_url = ""
    if type(record) in kinds:
        changes_url = reverse(f"changes:{record._meta.model_name}", kwargs={"slug": record.slug})
    corrections = []
    for (_before_version, before), (version, after) in zip(shown, shown[1:], strict=False):
        differences = []
        for model_field in fields:
            name = model_field.attname
            if name not in before or name not in after:
                continue
            old = _public_value(model_field, before[name], public_ids)
            new = _public_value(model_field, after[name], public_ids)
            if old != new and not (old in (None, "", []) and new in (None, "", [])):
                differences.append((model_field, old, new))
        if differences:
            corrections.append(Correction(record, version.revision.date_created, version.pk, changes_url, differences))
    return corrections


def _histories(model, records):
    """{pk: [versions of the record, oldest first]} for `records` of `model`, in one query."""
    content_type = ContentType.objects.get_for_model(model)
    versions = (
        Version.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in records])
        .select_related("revision", "content_type")
        .order_by("revision__date_created", "pk")
    )
    histories = {pk: [] for pk in records}
    for version in versions:
        pk = model._meta.pk.to_python(version.object_id)
        if pk in histories:
            histories[pk].append(version)
    return histories


def corrections_of_records(model, records, now=None):
    """The corrections of `records` ({pk: public record} of `model`), newest first, not yet described."""
    now = now or timezone.now()
    histories = _histories(model, records)
    since = {} if _is_public_record(model) else _public_since(model, list(records))
    shown = {pk: public_versions(history, now, since.get(pk)) for pk, history in histories.items()}
    public_ids = _public_ids([(model, history) for history in shown.values()])
    fields = public_fields(model)
    corrections = [
        correction
        for pk, record in records.items()
        for correction in _corrections_of(record, shown[pk], fields, public_ids)
    ]
    corrections.sort(key=lambda correction: (correction.at, correction.version_id), reverse=True)
    return corrections


def corrections_of(record):
    """The corrections of one public record, newest first, described for the page's language."""
    return describe(corrections_of_records(type(record), {record.pk: record}))


def last_corrected(record):
    """When the public record was last corrected, or None."""
    corrections = corrections_of_records(type(record), {record.pk: record})
    return corrections[0].at if corrections else None


def _edited(model, pks):
    """The records of `model` in `pks` that have more than one version: only they can have been corrected."""
    content_type = ContentType.objects.get_for_model(model)
    counts = (
        Version.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks])
        .order_by()
        .values("object_id")
        .annotate(versions=models.Count("pk"))
        .filter(versions__gt=1)
        .values_list("object_id", flat=True)
    )
    return [model._meta.pk.to_python(object_id) for object_id in counts]


def recent_corrections(limit=RECENT_LENGTH):
    """
    The `limit` most recent corrections of every kind of record, newest first, described. The
    versions are read newest first, a chunk at a time, up to SCAN_LIMIT; each record met that is
    public and has more than one version is read whole, so once the corrections found reach
    `limit` at or after the oldest version read, no later chunk can add a newer one.
    """
    models_by_type = {
        content_type.pk: model for model, content_type in ContentType.objects.get_for_models(*tracked_models()).items()
    }
    now = timezone.now()
    newest = Version.objects.filter(content_type__in=models_by_type).order_by("-revision__date_created", "-pk")
    seen, found, offset = set(), [], 0
    while True:
        chunk = list(
            newest.values_list("content_type", "object_id", "revision__date_created")[offset : offset + SCAN_CHUNK]
        )
        offset += len(chunk)
        new = {}
        for content_type, object_id, _at in chunk:
            model = models_by_type[content_type]
            pk = model._meta.pk.to_python(object_id)
            if (model, pk) not in seen:
                seen.add((model, pk))
                new.setdefault(model, set()).add(pk)
        for model, pks in new.items():
            records = public_now(model, _edited(model, pks))
            if records:
                found.extend(corrections_of_records(model, records, now))
        found.sort(key=lambda correction: (correction.at, correction.version_id), reverse=True)
        oldest = chunk[-1][2] if chunk else None
        if len(chunk) < SCAN_CHUNK or offset >= SCAN_LIMIT or len([c for c in found if c.at >= oldest]) >= limit:
            break
    return describe(found[:limit])


def _names(corrections):
    """{(related model, pk): its name} of the records that the corrections' values point to, one query per model."""
    wanted = {}
    for correction in corrections:
        for model_field, old, new in correction.differences:
            if not model_field.is_relation:
                continue
            for value in (old, new):
                pks = value if isinstance(value, list) else [value]
                wanted.setdefault(model_field.related_model, set()).update(pk for pk in pks if pk is not None)
    names = {}
    for related, pks in wanted.items():
        for pk, obj in related._base_manager.in_bulk(pks).items():
            names[(related, pk)] = str(obj)
    return names


def _display(model_field, value, names):
    if value is None or value == "" or value == []:
        return "—"
    if model_field.is_relation:
        pks = value if isinstance(value, list) else [value]
        shown = sorted(
            names[(model_field.related_model, pk)] for pk in pks if (model_field.related_model, pk) in names
        )
        return ", ".join(shown) or "—"
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return str(value.name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def word_diff(old, new):
    """
    What changed from the text `old` to `new`, word by word: [(kind, words)], with CONTEXT_WORDS
    unchanged words either side of each change and a "gap" for the unchanged words between.
    """
    before, after = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    segments = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            if i2 > i1:
                segments.append(("removed", " ".join(before[i1:i2])))
            if j2 > j1:
                segments.append(("added", " ".join(after[j1:j2])))
            continue
        words = before[i1:i2]
        head = [] if index == 0 else words[:CONTEXT_WORDS]
        tail = [] if index == len(opcodes) - 1 else words[-CONTEXT_WORDS:]
        if len(head) + len(tail) >= len(words):
            segments.append(("same", " ".join(words)))
            continue
        if head:
            segments.append(("same", " ".join(head)))
        segments.append(("gap", "…"))
        if tail:
            segments.append(("same", " ".join(tail)))
    return segments


def _change(model_field, old, new, names):
    if is_long_text(model_field):
        if old in (None, ""):
            return Change(label(model_field), "added")
        if new in (None, ""):
            return Change(label(model_field), "removed")
        segments = word_diff(old, new)
        if not any(kind in ("removed", "added") for kind, _words in segments):
            return Change(label(model_field), "rewritten")
        return Change(label(model_field), "text", segments=segments)
    return Change(label(model_field), "value", _display(model_field, old, names), _display(model_field, new, names))


def describe(corrections):
    """The corrections, each with its `changes` readable in the active language."""
    names = _names(corrections)
    for correction in corrections:
        correction.changes = [_change(f, old, new, names) for f, old, new in correction.differences]
    return corrections
