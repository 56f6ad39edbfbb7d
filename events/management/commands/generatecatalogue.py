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
BATCH = 5_000

WORDS = (
    "integrity customs corruption prevention asset recovery transparency accountability ethics "
    "governance border risk management audit procurement whistleblower declaration review "
    "cooperation capacity building training leadership mirror analysis performance measurement "
    "human resources code conduct conflict interest trade facilitation automation e-learning"
).split()
CITIES = ["Brussels", "Vienna", "Geneva", "New York", "Nairobi", "Bangkok", "Lima", "Rabat", "Tbilisi", "Almaty"]
COUNTRIES = ["BE", "AT", "CH", "US", "KE", "TH", "PE", "MA", "GE", "KZ", "FR", "SN", "BR", "IN", "JP"]


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
        if search and not options["delete"] and is_postgresql(Event.objects.using(database)):
            from events.search import EVENT_DOCUMENT
            from instruments.search import INSTRUMENT_DOCUMENT

            self.stdout.write("Building the search vectors...")
            EVENT_DOCUMENT.refresh(Event._base_manager.using(database).filter(slug__startswith=PREFIX))
            INSTRUMENT_DOCUMENT.refresh(Instrument._base_manager.using(database).filter(slug__startswith=PREFIX))
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
        body_weights, topic_weights = zipf_weights(len(bodies)), zipf_weights(len(topics))
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
        self.create(
            Instrument.topics.through,
            [
                Instrument.topics.through(instrument=instrument, topic=topic)
                for instrument in instruments
                for topic in set(rng.choices(topics, cum_weights=topic_weights, k=rng.randint(1, 3)))
            ],
        )
        self.create(
            Instrument.uncac_articles.through,
            [
                Instrument.uncac_articles.through(instrument=instrument, article=article)
                for instrument in instruments
                for article in set(rng.choices(articles, k=rng.randint(0, 2)) if articles else [])
            ],
        )
        return instruments

    def generate_events(self, rng, options, bodies, topics, articles, series, instruments, now):
        body_weights, topic_weights = zipf_weights(len(bodies)), zipf_weights(len(topics))
        today = now.date()
        first_year = today.year + 1 - options["years"]
        # Later years hold more events than early ones: the weight of a year grows with it.
        years = list(range(first_year, today.year + 2))
        year_weights = list(accumulate(1 + index for index in range(len(years))))
        session_numbers = dict.fromkeys(series, 0)
        events = []
        for n in range(1, options["events"] + 1):
            year = rng.choices(years, cum_weights=year_weights)[0]
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
            in_series = rng.choice(series) if rng.random() < 0.1 else None
            if in_series is not None:
                session_numbers[in_series] += 1
            events.append(
                Event(
                    title_en=f"{self.text(rng, 5)[:-1]} {n}",
                    slug=f"{PREFIX}event-{n}",
                    series=in_series,
                    session_number=session_numbers[in_series] if in_series else None,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.choice([0, 0, 1, 2, 4])),
                    date_precision=DatePrecision.DAY,
                    city_en=rng.choice(CITIES),
                    country=rng.choice(COUNTRIES),
                    format=rng.choice(EventFormat.values),
                    status=rng.choices(EventStatus.values, weights=[96, 2, 2])[0],
                    wco_role=rng.choice(Role.values),
                    summary_en=self.text(rng, 30),
                    **self.publication(rng, now),
                )
            )
        events = self.create(Event, events)
        self.create(
            Event.convening_bodies.through,
            [
                Event.convening_bodies.through(event=event, body=body)
                for event in events
                for body in set(rng.choices(bodies, cum_weights=body_weights, k=rng.choice([1, 1, 1, 2])))
            ],
        )
        self.create(
            Participation,
            [
                Participation(event=event, body=body, role=rng.choice(Role.values))
                for event in events
                for body in set(rng.choices(bodies, k=rng.randint(0, 3)))
            ],
        )
        self.create(
            Event.topics.through,
            [
                Event.topics.through(event=event, topic=topic)
                for event in events
                for topic in set(rng.choices(topics, cum_weights=topic_weights, k=rng.randint(1, 3)))
            ],
        )
        self.create(
            Event.uncac_articles.through,
            [
                Event.uncac_articles.through(event=event, article=article)
                for event in events
                for article in set(rng.choices(articles, k=rng.randint(0, 2)) if articles else [])
            ],
        )
        self.create(
            Event.instruments.through,
            [
                Event.instruments.through(event=event, instrument=instrument)
                for event in events
                if rng.random() < 0.2
                for instrument in set(rng.choices(instruments, k=rng.randint(1, 2)))
            ],
        )
