"""
Fills the database with a large made-up catalogue, for measuring the site at the size it
may reach: by default 100,000 events over 40 years, 2,000 instruments, 300 bodies in a
hierarchy and 60 topics. It has the skew of real data: a few bodies convene most events,
a few topics cover most of them, and recent years hold more events than early ones.

The records are written with bulk inserts, beside whatever the database holds already;
their slugs start with "generated-" so that `--delete` can take them out again.
"""

import datetime
import random
import time
from itertools import accumulate
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone

from bodies.models import Body, BodyKind
from events.models import DatePrecision, Event, EventFormat, EventStatus, Participation, Role, Series
from instruments.models import Instrument, InstrumentKind
from publishing.cache import renew_catalogue_version
from publishing.models import PublicationStatus
from search.documents import is_postgresql
from topics.models import Topic
from uncac.models import Article

PREFIX = "generated-"
DATED = {"DateField", "DateTimeField"}
BATCH = 5_000

WORDS = (
    "integrity customs corruption prevention asset recovery transparency accountability ethics "
    "governance border risk management audit procurement whistleblower declaration review "
    "cooperation capacity building training leadership mirror analysis performance measurement "
    "human resources code conduct conflict interest trade facilitation automation e-learning"
).split()
CITIES = ["Brussels", "Vienna", "Geneva", "New York", "Nairobi", "Bangkok", "Lima", "Rabat", "Tbilisi", "Almaty"]
COUNTRIES = ["BE", "AT", "CH", "US", "KE", "TH", "PE", "MA", "GE", "KZ", "FR", "SN", "BR", "IN", "JP"]


def chooser(rng):
    """
    some(values, weights, low, high): a function that draws from `values` (with cumulative
    `weights`, or evenly) between `low` and `high` of them; a fractional `high` is a chance of one more.
    """

    def some(values, weights, low, high):
        def draw():
            count = rng.randint(low, int(high)) + (rng.random() < high % 1)
            return rng.choices(values, cum_weights=weights, k=count) if values else []

        return draw

    return some


def zipf_weights(count, exponent=1.1):
    """Cumulative weights of a Zipf law: the first of `count` items is drawn most, the last least."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


class Command(BaseCommand):
    help = "Add a large made-up catalogue to the database, for benchmarks (see the README's Performance)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=100_000)
        parser.add_argument("--instruments", type=int, default=2_000)
        parser.add_argument("--bodies", type=int, default=300)
        parser.add_argument("--topics", type=int, default=60)
        parser.add_argument("--years", type=int, default=40, help="How many years the events span, up to next year.")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same catalogue.")
        parser.add_argument("--delete", action="store_true", help="Remove the generated records instead.")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--no-search", action="store_false", dest="search", help="Leave the search vectors to `updatesearch`."
        )

    def handle(self, *args, database, search, **options):
        self.using = database
        started = time.monotonic()
        with transaction.atomic(using=database):
            if options["delete"]:
                self.delete()
            else:
                if Body.objects.using(database).filter(slug__startswith=PREFIX).exists():
                    raise CommandError("The database holds generated records already: run with --delete first.")
                self.generate(random.Random(options["seed"]), options)  # noqa: S311 (made-up data, not secrets)
            renew_catalogue_version(using=database)
        if not options["delete"] and is_postgresql(Event.objects.using(database)):
            if search:
                from events.search import EVENT_DOCUMENT
                from instruments.search import INSTRUMENT_DOCUMENT

                self.stdout.write("Building the search vectors...")
                EVENT_DOCUMENT.refresh(Event._base_manager.using(database).filter(slug__startswith=PREFIX))
                INSTRUMENT_DOCUMENT.refresh(Instrument._base_manager.using(database).filter(slug__startswith=PREFIX))
            # The planner's statistics, without which it would plan for empty tables.
            with connections[database].cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")

    def delete(self):
        events = Event.objects.using(self.using).filter(slug__startswith=PREFIX)
        for model in (Event.convening_bodies.through, Event.topics.through, Event.uncac_articles.through):
            model.objects.using(self.using).filter(event__in=events).delete()
        Participation.objects.using(self.using).filter(event__in=events).delete()
        events.delete()
        instruments = Instrument.objects.using(self.using).filter(slug__startswith=PREFIX)
        for model in (Instrument.topics.through, Instrument.uncac_articles.through):
            model.objects.using(self.using).filter(instrument__in=instruments).delete()
        instruments.delete()
        Series.objects.using(self.using).filter(slug__startswith=PREFIX).delete()
        Topic.objects.using(self.using).filter(slug__startswith=PREFIX).delete()
        bodies = Body.objects.using(self.using).filter(slug__startswith=PREFIX)
        # Children before parents, which they protect.
        while bodies.exists():
            bodies.exclude(pk__in=bodies.filter(parent__isnull=False).values("parent")).delete()
        self.stdout.write("Generated records removed.")

    def create(self, model, objects):
        created = model.objects.using(self.using).bulk_create(objects, batch_size=BATCH)
        self.stdout.write(f"{len(created):>8,} {model._meta.verbose_name_plural}")
        return created

    def insert_rows(self, model, fields, rows):
        """
        Rows of `model`'s table, as tuples of the values of `fields`, written straight into it:
        several times faster than making a model instance of each, for the hundreds of thousands
        of links of a large catalogue. PostgreSQL takes them by COPY.
        """
        connection = connections[self.using]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        if connection.vendor != "postgresql":
            # Dates and times as the database stores them (psycopg's COPY takes them as they are).
            prepare = [model._meta.get_field(name).get_db_prep_save for name in fields]
            dated = [
                index for index, name in enumerate(fields) if model._meta.get_field(name).get_internal_type() in DATED
            ]
            rows = [
                tuple(
                    prepare[index](value, connection) if index in dated else value for index, value in enumerate(row)
                )
                for row in rows
            ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
        self.stdout.write(f"{len(rows):>8,} {model._meta.verbose_name_plural}")

    def link(self, through, records, owner, target, choose):
        """A row of `through` from each of `records` (as `owner`) to each value that `choose()` gives it."""
        rows = [(record.pk, value.pk) for record in records for value in set(choose())]
        self.insert_rows(through, [owner, target], rows)

    def generate(self, rng, options):
        now = timezone.now()
        bodies = self.generate_bodies(rng, options["bodies"])
        topics = self.create(
            Topic,
            [
                Topic(name_en=f"{' '.join(rng.sample(WORDS, 2)).capitalize()} {n}", slug=f"{PREFIX}topic-{n}")
                for n in range(1, options["topics"] + 1)
            ],
        )
        articles = list(Article.objects.using(self.using).all())
        series = self.create(
            Series,
            [
                Series(name_en=f"Sessions of {body.name}", slug=f"{PREFIX}series-{n}", body=body)
                for n, body in enumerate(bodies[:20], start=1)
            ],
        )
        instruments = self.generate_instruments(rng, options["instruments"], bodies, topics, articles, now)
        self.generate_events(rng, options, bodies, topics, articles, series, instruments, now)

    def generate_bodies(self, rng, count):
        """Ten top-level bodies; each further body under one of those made before it, down to four levels."""
        kinds = BodyKind.values
        made = []
        for n in range(1, count + 1):
            parent = None
            if n > 10:
                parent = rng.choice([body for body in made if body.level < 3])
            body = Body(
                name_en=f"{' '.join(rng.sample(WORDS, 2)).title()} Body {n}",
                short_name_en=f"B{n}",
                slug=f"{PREFIX}body-{n}",
                kind=rng.choice(kinds),
                country=rng.choice(COUNTRIES) if rng.random() < 0.4 else "",
                parent=parent,
            )
            # Saved one by one, each needing its parent's primary key; 300 inserts take well under a second.
            body.save(using=self.using)
            body.level = 0 if parent is None else parent.level + 1
            made.append(body)
        self.stdout.write(f"{len(made):>8,} bodies")
        return made

    def publication(self, rng, now):
        """Most records public, some drafts and in review, a few scheduled."""
        draw = rng.random()
        if draw < 0.92:
            return {"publication_status": PublicationStatus.PUBLISHED, "publish_at": now, "first_published_at": now}
        if draw < 0.96:
            return {"publication_status": PublicationStatus.DRAFT}
        if draw < 0.99:
            return {"publication_status": PublicationStatus.IN_REVIEW}
        later = now + datetime.timedelta(days=rng.randint(1, 60))
        return {"publication_status": PublicationStatus.PUBLISHED, "publish_at": later, "first_published_at": later}

    def text(self, rng, words):
        return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."

    def generate_instruments(self, rng, count, bodies, topics, articles, now):
        body_weights, topic_weights, some = zipf_weights(len(bodies)), zipf_weights(len(topics)), chooser(rng)
        this_year = now.year
        instruments = []
        for n in range(1, count + 1):
            adopted = rng.randint(this_year - 40, this_year)
            instruments.append(
                Instrument(
                    title_en=f"{self.text(rng, 4)[:-1]} {n}",
                    slug=f"{PREFIX}instrument-{n}",
                    kind=rng.choice(InstrumentKind.values),
                    issuing_body=rng.choices(bodies, cum_weights=body_weights)[0],
                    year_adopted=adopted,
                    year_revised=rng.randint(adopted, this_year) if rng.random() < 0.2 else None,
                    description_en=self.text(rng, 40),
                    **self.publication(rng, now),
                )
            )
        instruments = self.create(Instrument, instruments)
        self.link(Instrument.topics.through, instruments, "instrument", "topic", some(topics, topic_weights, 1, 3))
        self.link(Instrument.uncac_articles.through, instruments, "instrument", "article", some(articles, None, 0, 2))
        return instruments

    def generate_events(self, rng, options, bodies, topics, articles, series, instruments, now):
        body_weights, topic_weights = zipf_weights(len(bodies)), zipf_weights(len(topics))
        some = chooser(rng)
        today = now.date()
        first_year = today.year + 1 - options["years"]
        # Later years hold more events than early ones: the weight of a year grows with it.
        years = list(range(first_year, today.year + 2))
        year_weights = list(accumulate(1 + index for index in range(len(years))))
        session_numbers = dict.fromkeys(series, 0)
        fields = [
            *("title", "title_en", "slug", "series", "session_number", "start_date", "end_date", "date_precision"),
            *("city", "city_en", "country", "format", "status", "wco_role", "summary", "summary_en"),
            *("contact_email", "lock_version", "publication_status", "publish_at", "first_published_at"),
        ]
        rows = []
        for n in range(1, options["events"] + 1):
            year = rng.choices(years, cum_weights=year_weights)[0]
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
            in_series = rng.choice(series) if rng.random() < 0.1 else None
            if in_series is not None:
                session_numbers[in_series] += 1
            title, city, summary = f"{self.text(rng, 5)[:-1]} {n}", rng.choice(CITIES), self.text(rng, 30)
            publication = self.publication(rng, now)
            rows.append(
                (
                    *(title, title, f"{PREFIX}event-{n}", in_series.pk if in_series else None),
                    session_numbers[in_series] if in_series else None,
                    *(start, start + datetime.timedelta(days=rng.choice([0, 0, 1, 2, 4])), DatePrecision.DAY),
                    *(city, city, rng.choice(COUNTRIES), rng.choice(EventFormat.values)),
                    rng.choices(EventStatus.values, weights=[96, 2, 2])[0],
                    *(rng.choice(Role.values), summary, summary, "", 0, publication["publication_status"]),
                    *(publication.get("publish_at"), publication.get("first_published_at")),
                )
            )
        # Written straight into the table, as the links are: a hundred thousand events take seconds.
        self.insert_rows(Event, fields, rows)
        events = Event.objects.using(self.using).filter(slug__startswith=f"{PREFIX}event-").order_by("pk")
        events = [SimpleNamespace(pk=pk) for pk in events.values_list("pk", flat=True)]
        # One convening body, or two for a quarter of the events.
        self.link(Event.convening_bodies.through, events, "event", "body", some(bodies, body_weights, 1, 1.25))
        self.insert_rows(
            Participation,
            ["event", "body", "role", "note", "note_en", "note_fr"],
            [
                (event.pk, body.pk, rng.choice(Role.values), "", "", "")
                for event in events
                for body in set(rng.choices(bodies, k=rng.randint(0, 3)))
            ],
        )
        self.link(Event.topics.through, events, "event", "topic", some(topics, topic_weights, 1, 3))
        self.link(Event.uncac_articles.through, events, "event", "article", some(articles, None, 0, 2))
        self.insert_rows(
            Event.instruments.through,
            ["event", "instrument"],
            [
                (event.pk, instrument.pk)
                for event in events
                if rng.random() < 0.2
                for instrument in set(rng.choices(instruments, k=rng.randint(1, 2)))
            ],
        )
