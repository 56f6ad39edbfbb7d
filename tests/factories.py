"""Small helpers that make valid, published records with as few arguments as a test needs."""

import datetime
import itertools

import pytest
from django.db import transaction

from bodies.models import Body, BodyKind
from events.models import Event, Participation, Series
from instruments.models import Instrument, InstrumentKind
from publishing.models import PublicationStatus
from sources.models import Source
from topics.models import Topic
from uncac.models import Article, Chapter

_numbers = itertools.count(1)


def _next():
    return next(_numbers)


def make_body(name=None, **fields):
    n = _next()
    name = name or f"Body {n}"
    fields.setdefault("slug", f"body-{n}")
    fields.setdefault("kind", BodyKind.WCO_BODY)
    return Body.objects.create(name=name, **fields)


def make_topic(name=None, **fields):
    n = _next()
    fields.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(name=name or f"Topic {n}", **fields)


def make_article(number=None, chapter=None, **fields):
    chapter = chapter or Chapter.objects.get_or_create(number=2, defaults={"title": "Preventive measures"})[0]
    number = number or 100 + _next()
    fields.setdefault("title", f"Article title {number}")
    return Article.objects.create(number=number, chapter=chapter, **fields)


def make_source(**fields):
    n = _next()
    fields.setdefault("url", f"https://www.example.org/news/{n}")
    fields.setdefault("title", f"News item {n}")
    return Source.objects.create(**fields)


def make_series(body=None, **fields):
    n = _next()
    fields.setdefault("name", f"Sessions of body {n}")
    fields.setdefault("slug", f"series-{n}")
    return Series.objects.create(body=body or make_body(), **fields)


def make_instrument(title=None, **fields):
    n = _next()
    relations = {name: fields.pop(name) for name in ("uncac_articles", "topics", "sources") if name in fields}
    fields.setdefault("slug", f"instrument-{n}")
    fields.setdefault("kind", InstrumentKind.GUIDE)
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    instrument = Instrument.objects.create(title=title or f"Instrument {n}", **fields)
    for name, values in relations.items():
        getattr(instrument, name).set(values)
    return instrument


def make_event(title=None, start=None, end=None, bodies=(), participants=(), **fields):
    """An event; `start` and `end` are dates or "YYYY-MM-DD" strings, `participants` (body, role) pairs."""
    n = _next()
    relations = {
        name: fields.pop(name) for name in ("topics", "instruments", "uncac_articles", "sources") if name in fields
    }
    start = _date(start) or datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
    fields.setdefault("slug", f"event-{n}")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    event = Event.objects.create(title=title or f"Event {n}", start_date=start, end_date=_date(end), **fields)
    event.convening_bodies.set(bodies or [make_body()])
    for body, role in participants:
        Participation.objects.create(event=event, body=body, role=role)
    for name, values in relations.items():
        getattr(event, name).set(values)
    return event


def _date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def built_once(build, scope="module"):
    """
    A module-scoped (or class-scoped) fixture of the records that `build()` makes, for tests that
    only read them: built once for the module (or class) and taken out again after it. Each test's
    own changes are rolled back as usual.
    """

    @pytest.fixture(scope=scope)
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return fixture
