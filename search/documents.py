"""
What a search looks through, for events and instruments, and how it looks.

A `SearchDocument` names the texts of a record that a search reads, each with a weight
(A counts most): its own translated fields, and the names of related records such as the
bodies that convened an event. The same declaration serves both databases:

- on PostgreSQL, the texts are kept in the record's `search_vector` column (a tsvector, each
  language stemmed by its own dictionary, with a GIN index), refreshed by the signals in
  catalogue/searchvectors.py whenever a record or one of the related names changes; a search is a
  `websearch_to_tsquery` in each language, ranked with `ts_rank`;
- elsewhere (SQLite), every word of the search must appear, as written, in one of the texts
  (case-insensitive for unaccented letters only, as SQLite's LIKE is), and the rank counts
  the words found in the texts of each weight.

A kind of record that has documents (documents.models.Documented, through its `page_search`) is
also found through the text of their pages, ranked after the records that the search finds in
their own texts; a page of results then says where in their documents it found them.
"""

import functools
import re
import string
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, F, IntegerField, OuterRef, Q, StringAgg, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.db.models.sql import UpdateQuery
from modeltranslation.utils import build_localized_fieldname

# The PostgreSQL text search configuration that stems each language of the site.
CONFIGS = {"en": "english", "fr": "french"}
SIMPLE = "simple"  # Names and codes, which no dictionary should stem.

# What each weight counts in the fallback's rank, as ts_rank's defaults do (D 0.1 … A 1.0).
FALLBACK_WEIGHTS = {"A": 10, "B": 4, "C": 2, "D": 1}

# A search is at most this long: enough for any real question, and a bound on the work.
MAX_LENGTH = 200


def is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


@dataclass(frozen=True)
class Text:
    """A text of the record (`title`) or of its related records (`convening_bodies__name`)."""

    path: str
    weight: str
    translated: bool = True

    @property
    def related(self):
        return "__" in self.path

    def columns(self):
        """(column path, text search configuration) for each language the text is kept in."""
        if not self.translated:
            return [(self.path, SIMPLE)]
        return [(build_localized_fieldname(self.path, code), CONFIGS[code]) for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class FoundInDocuments:
    """
    Where a search found a record in its documents: `pages`, the best page of each (FoundPage of
    documents/search.py), and whether it found the record `only` there, not in its own texts.
    """

    pages: tuple
    only: bool


class SearchDocument:
    """
    What a search of one kind of record reads (`texts`), and `excerpt`, the field whose passage
    around the matches its results show; and, for records that have documents, their pages.
    """

    def __init__(self, *texts, excerpt):
        self.texts = texts
        self.excerpt = excerpt
        self._update_sql = {}

    # Keeping the vectors (PostgreSQL)

    def vector(self, model):
        """The expression of a record's search vector, for an UPDATE of `model`'s table."""
        parts = []
        for text in self.texts:
            for column, config in text.columns():
                value = self.related_text(model, column) if text.related else F(column)
                parts.append(SearchVector(value, config=config, weight=text.weight))
        vector = parts[0]
        for part in parts[1:]:
            vector = vector + part
        return vector

    @staticmethod
    def related_text(model, column):
        """The related records' texts, joined with spaces, in one subquery."""
        texts = (
            model._base_manager.filter(pk=OuterRef("pk"))
            .order_by()
            .values("pk")
            .annotate(text=StringAgg(column, Value(" ")))
            .values("text")
        )
        return Subquery(texts)

    def refresh(self, queryset):
        """
        Bring the search vectors of these records up to date, on PostgreSQL only: one query
        for their keys and one UPDATE, whose SQL is built once per model and database (the
        ORM takes far longer to compile the vector's expression than PostgreSQL to run it).
        """
        if is_postgresql(queryset):
            self.refresh_keys(queryset.model, list(queryset.order_by().values_list("pk", flat=True)), queryset.db)

    def refresh_keys(self, model, pks, using):
        """`refresh` for the records of `model` with these primary keys."""
        if pks and connections[using].vendor == "postgresql":
            sql, params = self.update_sql(model, using)
            with connections[using].cursor() as cursor:
                cursor.execute(sql, [*params, list(pks)])

    def update_sql(self, model, using):
        """`UPDATE <table> SET search_vector = <vector> WHERE <pk> = ANY(%s)` and its parameters but the keys."""
        key = (model._meta.label, using)
        if key not in self._update_sql:
            query = model._base_manager.using(using).filter(pk__in=[0]).query.chain(UpdateQuery)
            query.add_update_values({"search_vector": self.vector(model)})
            sql, params = query.get_compiler(using).as_sql()
            head, found, tail = sql.rpartition(" IN (%s)")
            if not found or tail or params[-1] != 0:
                raise ValueError(f"Unexpected form of the search vector's UPDATE: {sql}")
            self._update_sql[key] = (f"{head} = ANY(%s)", list(params[:-1]))
        return self._update_sql[key]

    # Searching

    @staticmethod
    def pages(model):
        """What finds records of `model` through the pages of their documents, or None when they have none."""
        page_search = getattr(model, "page_search", None)
        return page_search() if page_search else None

    def matching(self, queryset, text):
        """The records that the search `text` finds, in their own texts or in the pages of their documents."""
        condition = self.own_condition(queryset, text)
        pages = self.pages(queryset.model)
        in_pages = pages.records_matching(queryset, text) if pages else None
        if in_pages is not None:
            condition = Q(pk__in=in_pages) if condition is None else condition | Q(pk__in=in_pages)
        return queryset.none() if condition is None else queryset.filter(condition)

    def own_matching(self, queryset, text):
        """The records that the search `text` finds in their own texts."""
        condition = self.own_condition(queryset, text)
        return queryset.none() if condition is None else queryset.filter(condition)

    def own_condition(self, queryset, text):
        """What a record's own texts must hold for the search to find it, or None when it has nothing to look for."""
        if is_postgresql(queryset):
            return Q(search_vector=postgresql_query(text))
        return self.fallback_condition(queryset.model, text)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - the documents live as long as the process.
    def fallback_condition(self, model, text):
        """
        `own_condition` without PostgreSQL, built once for the few searches of the moment: a
        page asks for it several times (its records, their count, the facets), and a search of
        many words takes long to build.
        """
        words, excluded = terms(text), excluded_terms(text)
        if not words and not excluded:  # Only punctuation: nothing to look for, as on PostgreSQL.
            return None
        condition = Q()
        for term in words:
            condition &= self.fallback_match(model, term)
        for term in excluded:
            condition &= ~self.fallback_match(model, term)
        return condition

    def found_in_documents(self, records, text):
        """
        {primary key: FoundInDocuments} for those of `records` (a page of results) that the search
        finds in their documents: one query for their pages, and one, if any is found there, for
        which of them it finds in their own texts too.
        """
        model = records[0]._meta.model
        pages = self.pages(model)
        if pages is None:
            return {}
        using = records[0]._state.db or "default"
        found = pages.found(model, [record.pk for record in records], text, using)
        if not found:
            return {}
        own = self.own_matching(model._base_manager.using(using).filter(pk__in=list(found)), text)
        own_pks = set(own.values_list("pk", flat=True))
        return {pk: FoundInDocuments(tuple(shown), pk not in own_pks) for pk, shown in found.items()}

    def ranked(self, queryset, text):
        """
        The records annotated with `search_rank`: the higher, the better they answer `text`. A
        record found only in its documents ranks 0, after every record found in its own texts.
        """
        if is_postgresql(queryset):
            return queryset.annotate(search_rank=SearchRank(F("search_vector"), postgresql_query(text)))
        scores = [
            Case(
                When(Q(**{f"{column}__icontains": term}), then=Value(FALLBACK_WEIGHTS[part.weight])),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms(text)
            for part in self.texts
            if not part.related
            for column, _config in part.columns()
        ]
        own = self.own_condition(queryset, text) if self.pages(queryset.model) else None
        if own is not None:
            # One more for any record found in its own texts: one found by a related name only scores 0 above.
            scores.append(Case(When(own, then=Value(1)), default=Value(0), output_field=IntegerField()))
        rank = balanced_sum(scores) if scores else Value(0)
        return queryset.annotate(search_rank=rank)

    def fallback_match(self, model, term):
        """
        A term found in any text: the record's own columns, or its related records' by one
        subquery a relation, which looks through all of that relation's columns (a subquery
        a column made a search of many words several times slower to build).
        """
        condition, related = Q(), {}
        for part in self.texts:
            for column, _config in part.columns():
                lookup = Q(**{f"{column}__icontains": term})
                if part.related:
                    relation = column.split("__", 1)[0]
                    related[relation] = related.get(relation, Q()) | lookup
                else:
                    condition |= lookup
        for lookups in related.values():
            condition |= Q(pk__in=model._base_manager.filter(lookups).values("pk"))
        return condition


def balanced_sum(expressions):
    """
    The sum of the expressions, added in halves: nested log2(n) deep rather than n, which
    SQLite's parser and Python's recursion limit would refuse for a search of many words.
    """
    if len(expressions) == 1:
        return expressions[0]
    middle = len(expressions) // 2
    return balanced_sum(expressions[:middle]) + balanced_sum(expressions[middle:])


def postgresql_query(text):
    """
    The search in each language and unstemmed, any of which may match: websearch_to_tsquery
    reads any text without a syntax error ("quoted phrases", or). An -excluded word or phrase
    is taken out and excluded in every language at once: left in each language's query, it
    would be excluded by one and let through by another that stems it differently.
    """
    query = any_language(EXCLUDED.sub(" ", text), "websearch")
    for term in excluded_terms(text):
        for config in [*CONFIGS.values(), SIMPLE]:
            query = query & ~SearchQuery(term, config=config, search_type="phrase")
    return query


def any_language(text, search_type):
    queries = [SearchQuery(text, config=config, search_type=search_type) for config in [*CONFIGS.values(), SIMPLE]]
    query = queries[0]
    for other in queries[1:]:
        query = query | other
    return query


# A word or "quoted phrase" with a minus sign in front, at the start or after a space.
EXCLUDED = re.compile(r'(?:^|(?<=\s))-("[^"]*"?|\S+)')
WORD = re.compile(r'"([^"]+)"|(\S+)')
OPERATORS = {"or", "and", "not"}
# Around a word: punctuation, tsquery's operators (& | ! <-> :*) included, which websearch_to_tsquery ignores.
PUNCTUATION = string.punctuation + "“”‘’«»…"


def excluded_terms(text):
    """The -excluded words and "phrases" of a search, lower-cased, without surrounding punctuation."""
    found = []
    for excluded in EXCLUDED.findall(text):
        term = excluded.strip('"').strip().lower() if excluded.startswith('"') else excluded.strip(PUNCTUATION).lower()
        if term and term not in found:
            found.append(term)
    return found


def terms(text):
    """
    The words and "quoted phrases" of a search, lower-cased, as the fallback reads them:
    without search operators, excluded words or surrounding punctuation.
    """
    found = []
    for phrase, word in WORD.findall(EXCLUDED.sub(" ", text)):
        term = (phrase or word).strip().lower()
        if not phrase:
            term = term.strip(PUNCTUATION)
        if term and term not in OPERATORS and term not in found:
            found.append(term)
    return found


def localized(column, language):
    """The column's text in `language`, or the site's language when it has none, as the pages show it."""
    own = F(build_localized_fieldname(column, language))
    if language == settings.LANGUAGE_CODE:
        return own
    return Coalesce(NullIf(own, Value("")), F(build_localized_fieldname(column, settings.LANGUAGE_CODE)))
