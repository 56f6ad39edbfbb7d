"""
The version of the catalogue that the public sees, and what is cached on it.

The one row of `CatalogueVersion` holds a token that every change to the catalogue renews:
any save or delete of a record of the catalogue's apps, and any change to one of their
many-to-many relations (the signal handlers at the end, connected for the apps that
catalogue/records.py derives from the registered kinds of record; `renew_catalogue_version` for
writes that send no signal, such as bulk inserts). The renewal is written in the same
transaction as the change, so the new token and the new records become visible together.

Everything cached for the public (whole responses, publishing/middleware.py, and what goes
through `cached`, `cached_many` and `kept`: docs/caching.md) is keyed on that token, on the day
(an event's time state changes at midnight) and on the language. After a change nothing
cached before it is read again, by any server sharing the database: nobody is served a
record as it was, or one that has been unpublished. Old entries age out of the cache.

A scheduled record going public changes the catalogue without any write: the row keeps the
time of the next scheduled publication, and the first request after it renews the token.
"""

import datetime
import hashlib
import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, router, transaction
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce, Least
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.db.models.sql.subqueries import UpdateQuery
from django.utils import timezone
from django.utils.translation import get_language

from publishing.replica import read_from_primary

from .models import CatalogueVersion, PublicationStatus, Publishable
from .notifications import memory, notify
from .sharedcache import SharedCache

MISSING = object()


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime.datetime
    today: datetime.date

    @property
    def last_modified(self):
        """When what the public sees last changed: the last change, or midnight, when time states move on."""
        midnight = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time()))
        return max(self.changed_at, midnight)

    def key(self, *parts, per_language=True):
        """A cache key for `parts` (any values with a stable repr) in this version, today, in this language."""
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
        language = get_language() if per_language else "-"
        return f"catalogue:{self.token}:{self.today.isoformat()}:{language}:{digest}"


# Within a request (version_scope), the version is read once.
_scope = ContextVar("catalogue_version_scope", default=None)


@contextmanager
def version_scope():
    """Read the catalogue's version at most once inside this block, as during one request."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def catalogue_version():
    """The catalogue's current `Version`: one query, once per request."""
    scope = _scope.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    version = read_version()
    if scope is not None:
        scope["version"] = version
    return version


def read_version():
    """
    The version, from the database the request reads (a replica, for the public), or from the
    primary when a scheduled publication has come: the primary renews it, once, and reads it
    back. The rest of the request then reads from the primary too, so that nothing is cached under
    the primary's version from a replica that does not have that version's records yet.
    """
    now = timezone.now()
    primary = router.db_for_write(CatalogueVersion)
    row, ticket = memory.get()
    read_from = primary
    if row is None:
        versions = version_row()
        row, read_from = versions.first(), versions.db
        if row is not None and not transaction.get_connection(versions.db).in_atomic_block:
            # Outside a transaction: what it reads is committed, and so the same for every process.
            memory.keep(row, ticket)
    if is_due(row, now):
        if read_from != primary:
            # A replica that lags behind: the primary may have renewed the version already.
            row = version_row().using(primary).first()
        if is_due(row, now):
            renew_catalogue_version(using=primary, due_by=None if row is None else now)
            row = version_row().using(primary).first()
        if read_from != primary:
            read_from_primary()
    token, changed_at, _next = row
    return Version(token, changed_at, timezone.localdate(now))


def version_row():
    return CatalogueVersion.objects.filter(pk=1).values_list("token", "changed_at", "next_publication_at")


def is_due(row, now):
    """Whether the version's row is missing, or a scheduled record has gone public since it was renewed."""
    return row is None or (row[2] is not None and row[2] <= now)


def renew_catalogue_version(using=DEFAULT_DB_ALIAS, due_by=None, schedule=True):
    """
    Say that the catalogue has changed: a new token, in one query (two the very first time).
    With `due_by`, only if a scheduled record went public by then and the token has not been
    renewed since: of the requests that find it due at the same moment, one renews it. Without
    `schedule`, the change cannot have moved the next scheduled publication (it saved no
    Publishable record), which is then left as it was: a far cheaper query.
    """
    now = timezone.now()
    values = {"token": uuid.uuid4().hex, "changed_at": now}
    versions = CatalogueVersion.objects.using(using)
    if due_by is not None:
        values["next_publication_at"] = next_publication(now)
        if not versions.filter(pk=1, next_publication_at__lte=due_by).update(**values):
            return
    elif not (renew_with_schedule(using, values) if schedule else versions.filter(pk=1).update(**values)):
        values["next_publication_at"] = next_publication(now)
        try:
            with transaction.atomic(using=using):
                versions.create(pk=1, **values)
        except IntegrityError:  # Another request created it first.
            versions.filter(pk=1).update(**values)
    notify(transaction.get_connection(using))
    scope = _scope.get()
    if scope is not None:
        scope.pop("version", None)


# Stand-ins for the values of the statement below, compiled once and then given the real ones.
_STAND_IN_KEY = "stand-in-of-the-compiled-renewal"
_NOW = datetime.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
_renewals = {}


def renew_with_schedule(using, values):
    """
    Renew the version with `values` and work out the next scheduled publication, in one UPDATE;
    whether the row was there. The statement is compiled once for each database: building and
    compiling its subqueries (one a kind of Publishable record) costs several times running it.
    """
    connection = connections[using]
    key = (using, connection.vendor)
    if key not in _renewals:
        query = UpdateQuery(CatalogueVersion)
        stand_ins = {"token": _STAND_IN_KEY, "changed_at": _NOW, "next_publication_at": next_publication(_NOW)}
        query.add_update_values(stand_ins)
        query.add_q(Q(pk=1))
        _renewals[key] = query.get_compiler(using).as_sql()
    sql, params = _renewals[key]
    now = connection.ops.adapt_datetimefield_value(values["changed_at"])
    stand_in = connection.ops.adapt_datetimefield_value(_NOW)
    params = [values["token"] if param == _STAND_IN_KEY else now if param == stand_in else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def next_publication(now):
    """An expression for the earliest time after `now` at which a scheduled record of any kind goes public."""
    scheduled = [
        Subquery(
            model._base_manager.filter(publication_status=PublicationStatus.PUBLISHED, publish_at__gt=now)
            .order_by("publish_at")
            .values("publish_at")[:1]
        )
        for model in apps.get_models()
        if issubclass(model, Publishable)
    ]
    if len(scheduled) == 1:
        return scheduled[0]
    # LEAST of the ones that are not null: PostgreSQL's LEAST skips nulls, SQLite's MIN() returns null.
    return Least(*(Coalesce(first, *(other for other in scheduled if other is not first)) for first in scheduled))


def cache():
    return SharedCache(settings.CATALOGUE_CACHE)


def layer_off(name):
    """
    Whether the cache layer `name` (the first of its parts) is switched off by CACHE_LAYERS_OFF:
    a measuring tool for `make bench`, which then computes its values afresh every time.
    """
    return name in settings.CACHE_LAYERS_OFF


def cached(parts, compute, per_language=True):
    """The value of `compute()`, cached in the catalogue's current version under `parts`."""
    if layer_off(parts[0]):
        return compute()
    key = catalogue_version().key(*parts, per_language=per_language)
    value = cache().get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache().set(key, value, settings.CATALOGUE_CACHE_TIMEOUT)
    return value


def cached_many(parts_by_name, compute_missing, per_language=True):
    """
    {name: value} for each name of `parts_by_name` ({name: parts}), cached in the catalogue's
    current version: one read of the cache for them all, then `compute_missing(names)`
    ({name: value}) for those not in it. A name that it leaves out is left out of the result.
    """
    if any(layer_off(parts[0]) for parts in parts_by_name.values()):
        return compute_missing(list(parts_by_name))
    version = catalogue_version()
    keys = {name: version.key(*parts, per_language=per_language) for name, parts in parts_by_name.items()}
    found = cache().get_many(keys.values())
    values = {name: found[key] for name, key in keys.items() if key in found}
    missing = [name for name in keys if name not in values]
    if missing:
        computed = compute_missing(missing)
        cache().set_many(
            {keys[name]: computed[name] for name in missing if name in computed}, settings.CATALOGUE_CACHE_TIMEOUT
        )
        values.update(computed)
    return values


_kept = {}
_kept_lock = threading.RLock()  # Building a value may need another.


def kept(parts, compute, per_language=True):
    """
    `cached(parts, compute)`, also kept in this process until the catalogue's version changes:
    for the few values that nearly every request reads and none changes (the filters' choices,
    the body tree, the facet indexes), so that they are not read from the cache each time.
    """
    if layer_off(parts[0]):
        return compute()
    key = catalogue_version().key(*parts, per_language=per_language)
    entry = _kept.get(key)
    if entry is None:
        with _kept_lock:
            entry = _kept.get(key)
            if entry is None:
                # One entry for these parts: the value of an earlier version is let go.
                name = (parts, get_language() if per_language else None)
                for old in [old for old, (old_name, _value) in _kept.items() if old_name == name]:
                    del _kept[old]
                entry = _kept[key] = (name, cached(parts, compute, per_language=per_language))
    return entry[1]


def forget_kept():
    """Forget what this process keeps, as a new process would know nothing (for tests)."""
    with _kept_lock:
        _kept.clear()


def catalogue_changed(sender, using, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        # Only a Publishable record's save or deletion can move the next scheduled publication;
        # a change to a many-to-many relation comes from its through model.
        renew_catalogue_version(using=using, schedule=issubclass(sender, Publishable))


def renew_on_changes_to(models):
    """Renew the version on every save or delete of these models, and change to their many-to-many relations."""
    for model in models:
        uid = f"catalogue_version_{model._meta.label_lower}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}_delete")
        m2m_changed.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}_m2m")
