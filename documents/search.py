"""
The documents' pages in the searches. On PostgreSQL each page keeps its own search vector (a
tsvector holds at most 1 MB: one per document would not do for a book), stemmed in the
document's language where PostgreSQL has a dictionary for it, and as written ("simple"), so that
a search in any language finds the words as they are; a GIN index serves them. Other databases
search the pages' text itself: every word of the search on the same page.

The searches read the public files whose text was read, of the records they may show:
`PageSearch` finds the records through them (search/documents.py asks it, for any kind of record
that is `Documented`), and says for a page of results which page of which document matched,
with the passage around the words.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext

from search.documents import EXCLUDED, excluded_terms, postgresql_query, terms
from search.highlight import EXCERPT_WORDS, START, STOP, as_html, excerpt_around

from .filters import public
from .models import Document, Page, Reading

# PostgreSQL's text search configurations (pg_ts_config, from PostgreSQL 15), by the ISO 639-1 code they stem.
CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE = "simple"

# The documents of a record that a result names: the best page of each, the best first.
DOCUMENTS_SHOWN = 3

# What a page is called in each format whose pages are something else.
SLIDES = {"PPTX", "ODP"}
SHEETS = {"XLSX", "ODS"}


def index_pages(document, using="default"):
    """Bring the search vectors of the document's pages up to date: one UPDATE, on PostgreSQL only."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    config = CONFIGS.get(document.language, SIMPLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_page SET search_vector = "
            "to_tsvector(%s::regconfig, text) || to_tsvector('simple'::regconfig, text) WHERE document_id = %s",
            [config, document.pk],
        )


def read(model, prefix=""):
    """The condition on a document (through `prefix`) that the searches read it: a public file whose text was read."""
    return public(model, prefix) & Q(**{f"{prefix}reading": Reading.DONE}) & ~Q(**{f"{prefix}file": ""})


@dataclass(frozen=True)
class FoundPage:
    """A page of a document where a search found its words, as a result shows it."""

    document: str  # "Revised Arusha Declaration (EN)"
    place: str  # "page 9"
    url: str  # The file, at that page when its format opens there.
    language: str
    passage: str  # Safe HTML: the text around the words, marked.


class PageSearch:
    """How the searches read the pages of the documents of a kind of record (documents.models.Documented)."""

    def records_matching(self, queryset, text):
        """
        The primary keys of the records of `queryset`'s model that the search `text` finds in a
        page of their documents (a subquery), or None when it has no word to look for.
        """
        condition = page_condition(text, connections[queryset.db].vendor)
        if condition is None:
            return None
        return Page.objects.filter(condition, read(queryset.model, "document__")).values("document__object_id")

    def found(self, model, pks, text, using):
        """
        {primary key: [FoundPage, ...]} for the records of `model` with these keys that the search
        finds in their documents: the best page of each document, at most DOCUMENTS_SHOWN of
        them. One query, whatever the number of records.
        """
        pages = self.best_pages(model, pks, text, using)
        if pages is None:
            return {}
        postgresql = connections[using].vendor == "postgresql"
        words = terms(text)
        found = {}
        for page in pages:
            shown = found.setdefault(page.document.object_id, [])
            if len(shown) < DOCUMENTS_SHOWN:
                passage = as_html(page.passage) if postgresql else excerpt_around(" ".join(page.text.split()), words)
                shown.append(found_page(page, passage))
        return found

    def best_pages(self, model, pks, text, using):
        """
        The best page of each document of these records that the search finds, the best first,
        with its document, and on PostgreSQL its `passage` marked by ts_headline; or None when
        the search has no word to look for.
        """
        vendor = connections[using].vendor
        condition = page_condition(text, vendor)
        if condition is None:
            return None
        documents = Document.objects.filter(read(model), object_id__in=pks)
        matching = Page.objects.filter(condition, document=OuterRef("pk"))
        if vendor == "postgresql":
            order = [SearchRank(F("search_vector"), postgresql_query(text)).desc(), "number"]
        else:
            order = ["number"]
        best = documents.annotate(best=Subquery(matching.order_by(*order).values("pk")[:1])).values("best")
        pages = Page.objects.using(using).filter(pk__in=best).select_related("document")
        if vendor != "postgresql":
            return pages.defer("search_vector").order_by("document__position", "document__pk")
        pages = pages.defer("text", "search_vector").annotate(
            rank=SearchRank(F("search_vector"), postgresql_query(text)), passage=headline(text)
        )
        return pages.order_by("-rank", "document__position", "document__pk")


PAGES = PageSearch()


def page_condition(text, vendor):
    """What a page must hold for the search `text` to find it, or None when the search has no word to look for."""
    words = terms(text)
    if not words:
        return None
    if vendor == "postgresql":
        return Q(search_vector=postgresql_query(text))
    condition = Q()
    for word in words:
        condition &= Q(text__icontains=word)
    for word in excluded_terms(text):
        condition &= ~Q(text__icontains=word)
    return condition


def headline(text):
    """The passage of a page around the words of the search, marked, stemmed as its document's language is."""
    config = Case(
        *(When(document__language=code, then=Value(name)) for code, name in CONFIGS.items()),
        default=Value(SIMPLE),
    )
    searched = EXCLUDED.sub(" ", text)
    query = SearchQuery(searched, config=config, search_type="websearch") | SearchQuery(
        searched, config=SIMPLE, search_type="websearch"
    )
    return SearchHeadline(
        "text",
        query,
        config=config,
        start_sel=START,
        stop_sel=STOP,
        max_words=EXCERPT_WORDS,
        min_words=EXCERPT_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def found_page(page, passage):
    document = page.document
    url = document.get_absolute_url()
    if document.format == "PDF":
        url = f"{url}#page={page.number}"
    if document.format in SLIDES:
        place = gettext("slide %(number)s") % {"number": page.number}
    elif document.format in SHEETS:
        place = gettext("sheet %(number)s") % {"number": page.number}
    else:
        place = gettext("page %(number)s") % {"number": page.number}
    return FoundPage(str(document), place, url, document.language, passage)
