"""
The database time of a search through the documents' pages, on PostgreSQL:

    scripts/with-postgres .venv/bin/python scripts/bench_document_search.py

It builds a catalogue (`generatecatalogue --events 2000`), gives its events 1,000 documents of
20,000 pages in all (English and some French, from the words of the site's and Django's own
texts and French translations, in their own frequencies, from the commonest to words met only
once; a few long books, many short papers), reads them as
the reading does (`index_pages`), then runs the queries of a searched list of events for
several terms, from rare to common: the search itself (the records found, as the facet counts
read them), the first page in order of relevance, and the pages found for that page's records
(their best page and its passage). Each figure is PostgreSQL's own execution time (EXPLAIN
ANALYZE), the median of several runs; the last line gives the median over the terms.
"""

import argparse
import io
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wcointegrity.settings")
os.environ.setdefault("DEBUG", "true")  # A throwaway database, and no server: the local settings do.

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402

from documents.models import Document, DocumentKind, Page, Reading  # noqa: E402
from documents.search import PAGES, index_pages  # noqa: E402
from events.models import Event  # noqa: E402
from events.search import EVENT_DOCUMENT  # noqa: E402

WORD = re.compile(r"[^\W\d_]{3,}")
RUNS = 7
PAGE_SIZE = 20


def vocabulary(paths):
    """(words, cumulative weights): the words of these texts, each weighted by how often they use it."""
    counts = Counter()
    for path in paths:
        counts.update(word.lower() for word in WORD.findall(path.read_text(errors="ignore")))
    words = [word for word, _count in counts.most_common()]
    return words, list(accumulate(counts[word] for word in words))


def french_text(path):
    """The French of the translations: their msgstr lines."""
    return "\n".join(line for line in path.read_text().splitlines() if line.startswith(("msgstr", '"')))


def page_text(rng, words, weights, length):
    sentences, left = [], length
    while left > 0:
        count = min(left, rng.randint(8, 22))
        sentences.append(" ".join(rng.choices(words, cum_weights=weights, k=count)).capitalize() + ".")
        left -= count
    return " ".join(sentences)


def prepare_database():
    import psycopg

    with psycopg.connect(host=os.environ["PG_SOCKET_DIR"], user="postgres", dbname="postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = 'wcointegrity'").fetchone():
            db.execute("CREATE DATABASE wcointegrity")


def generate(options):
    rng = random.Random(options.seed)  # noqa: S311 (made-up text, not secrets)
    django_root = Path(django.__file__).parent
    english = vocabulary(
        [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(django_root.rglob("*.py"))]
    )
    french_texts = [ROOT / "locale/fr/LC_MESSAGES/django.po", *sorted(django_root.rglob("locale/fr/LC_MESSAGES/*.po"))]
    french_words = Counter(word.lower() for path in french_texts for word in WORD.findall(french_text(path)))
    ordered = [word for word, _count in french_words.most_common()]
    french = (ordered, list(accumulate(french_words[word] for word in ordered)))
    print(f"Vocabularies: {len(english[0]):,} English words, {len(french[0]):,} French words")

    events = list(Event.objects.filter(slug__startswith="generated-").values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(Event)
    # Every document has a page; the rest of the pages go mostly to a few long ones.
    shares = [rng.paretovariate(1.2) for _n in range(options.documents)]
    lengths = [1] * options.documents
    for index in rng.choices(range(options.documents), weights=shares, k=options.pages - options.documents):
        lengths[index] += 1
    documents = Document.objects.bulk_create(
        Document(
            content_type=content_type,
            object_id=rng.choice(events),
            kind=rng.choice(DocumentKind.values),
            title=f"Generated document {n}",
            language="fr" if rng.random() < 0.2 else "en",
            file=f"documents/generated-{n}.pdf",
            media_type="application/pdf",
            reading=Reading.DONE,
            page_count=lengths[n],
        )
        for n in range(options.documents)
    )
    started = time.monotonic()
    batch = []
    for document, length in zip(documents, lengths, strict=True):
        words, weights = french if document.language == "fr" else english
        for number in range(1, length + 1):
            batch.append(Page(document=document, number=number, text=page_text(rng, words, weights, options.words)))
        if len(batch) >= 2000:
            Page.objects.bulk_create(batch)
            batch = []
    Page.objects.bulk_create(batch)
    print(
        f"{len(documents):,} documents, {Page.objects.count():,} pages written in {time.monotonic() - started:.0f} s"
    )
    started = time.monotonic()
    for document in documents:
        index_pages(document)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE documents_page")
        cursor.execute("ANALYZE documents_document")
    print(f"Indexed (index_pages, one UPDATE a document) in {time.monotonic() - started:.0f} s")


def execution_ms(queryset):
    """PostgreSQL's execution time of the queryset's SQL: the median of RUNS, after one run to warm up."""
    sql, params = queryset.query.sql_with_params()
    times = []
    with connection.cursor() as cursor:
        for _run in range(RUNS + 1):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            times.append(plan[0]["Execution Time"])
    return statistics.median(times[1:])


def page_frequencies(sample):
    """{word: the share of pages that hold it}, from a sample of pages."""
    counts = Counter()
    for text in sample:
        counts.update(set(word.lower() for word in WORD.findall(text)))
    return {word: count / len(sample) for word, count in counts.items()}


def chosen_terms(frequencies):
    """Words on about 0.05%, 0.5%, 2%, 10%, 30% and 60% of the pages, and two searches of two words."""
    terms = []
    by_share = sorted(frequencies.items(), key=lambda item: item[1])
    for share in (0.0005, 0.005, 0.02, 0.10, 0.30, 0.60):
        word, _found = min(by_share, key=lambda item: (abs(item[1] - share), item[0]))
        if word not in terms:
            terms.append(word)
    terms.append(f"{terms[1]} {terms[4]}")
    terms.append(f"{terms[3]} {terms[4]}")
    return terms


def measure():
    published = Event.objects.published().order_by()
    sample = list(Page.objects.order_by("?").values_list("text", flat=True)[:2000])
    frequencies = page_frequencies(sample)
    terms = chosen_terms(frequencies)
    rows = []
    header = f"{'search':<32} {'pages':>7} {'events':>7} {'search ms':>10} {'1st page ms':>12} {'pages ms':>9}"
    print(header)
    print("-" * len(header))
    for term in terms:
        share = min(frequencies.get(word, 0) for word in term.split())
        found = EVENT_DOCUMENT.matching(published, term)
        found_pks = found.values_list("pk", flat=True)
        first_page = (
            EVENT_DOCUMENT.ranked(found, term)
            .order_by("-search_rank", F("start_date").desc(), F("end_date").desc(), "title", "pk")
            .values_list("pk", flat=True)[:PAGE_SIZE]
        )
        pks = list(first_page)
        pages = PAGES.best_pages(Event, pks, term, "default")
        row = (execution_ms(found_pks), execution_ms(first_page), execution_ms(pages) if pks else 0.0)
        rows.append(row)
        print(f"{term:<32} {share:>6.1%} {found_pks.count():>7,} {row[0]:>10.2f} {row[1]:>12.2f} {row[2]:>9.2f}")
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    print("-" * len(header))
    print(f"{'median':<32} {'':>7} {'':>7} {medians[0]:>10.2f} {medians[1]:>12.2f} {medians[2]:>9.2f}")
    print(f"Search (the records found) median {medians[0]:.1f} ms: target 20 ms or less.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=350, help="Words on a page.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", action="append", default=[], help="Print the plan of the search of this term.")
    parser.add_argument(
        "--set", action="append", default=[], help="A planner setting for the searches, e.g. random_page_cost=1.1."
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run inside scripts/with-postgres: the figures are PostgreSQL's.")
    prepare_database()
    call_command("migrate", verbosity=0)
    if not Event.objects.filter(slug__startswith="generated-").exists():
        call_command("generatecatalogue", events=options.events, instruments=200, stdout=io.StringIO())
    if not Page.objects.exists():
        generate(options)
    print(
        f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, "
        f"{Event.objects.count():,} events, {Document.objects.count():,} documents, {Page.objects.count():,} pages"
    )
    with connection.cursor() as cursor:
        for setting in options.set:
            name, _equals, value = setting.partition("=")
            cursor.execute("SELECT set_config(%s, %s, false)", [name.strip(), value.strip()])
            print(f"SET {name.strip()} = {value.strip()}")
    for term in options.explain:
        sql, params = (
            EVENT_DOCUMENT.matching(Event.objects.published().order_by(), term).values("pk").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(f"\n{term}:\n" + "\n".join(row[0] for row in cursor.fetchall()))
    measure()


if __name__ == "__main__":
    main()
