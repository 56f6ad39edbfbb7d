"""
The matching words of a search, marked in the titles and excerpts of the results.

On PostgreSQL, ts_headline marks what the search matched, stems included ("corruption"
for "corrupted"), in one query for a page of results; elsewhere the words of the search are
marked as written. Either way the record's text is escaped and only the <mark> elements
are markup. A record with documents also says where in them the search found it, with the
passage around the words (search/documents.py, `found_in_documents`).
"""

import re
from functools import partial

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline
from django.db.models import Case, When
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from languages.translations import lacks_translation

from .documents import CONFIGS, is_postgresql, localized, postgresql_query, terms

# Around each match, in ts_headline's output: control characters that no catalogue text holds.
START, STOP = "\x02", "\x03"
EXCERPT_WORDS = 35
# A text at most this long is its own excerpt; a longer one gives a passage around the matches.
EXCERPT_CHARACTERS = 240


def highlight(records, text, document, *, title="title"):
    """
    Give each record `highlighted_title` and `highlighted_excerpt`: its title and an excerpt
    of the search document's `excerpt` around the matches, in the page's language, as safe
    HTML; and `found_in_documents`, where in its documents the search found it, or None.
    """
    records = list(records)
    if not records or not text:
        return records
    excerpt = document.excerpt
    language = get_language()
    if is_postgresql(records[0]._meta.model.objects.all()):
        marked = postgresql_headlines(records, text, title, excerpt, language)
    else:
        words = terms(text)
        marked = {
            record.pk: (
                mark(getattr(record, title) or "", words),
                excerpt_around(getattr(record, excerpt) or "", words),
            )
            for record in records
        }
    found = document.found_in_documents(records, text)
    for record in records:
        record_title, record_excerpt = marked[record.pk]
        record.highlighted_title = in_source_language(record, title, record_title)
        record.highlighted_excerpt = in_source_language(record, excerpt, record_excerpt)
        record.found_in_documents = found.get(record.pk)
    return records


def postgresql_headlines(records, text, title, excerpt, language):
    """{pk: (title, excerpt)} with the matches marked, for all the records in one query."""
    model = records[0]._meta.model
    headline = partial(
        SearchHeadline,
        query=postgresql_query(text),
        config=CONFIGS.get(language, "simple"),
        start_sel=START,
        stop_sel=STOP,
    )
    excerpt_text = localized(excerpt, language)
    headlines = (
        model._base_manager.filter(pk__in=[record.pk for record in records])
        .annotate(
            marked_title=headline(localized(title, language), highlight_all=True),
            # A short text whole: as fragments, it would lose its short first words and its last full stop.
            marked_excerpt=Case(
                When(
                    LessThanOrEqual(Length(excerpt_text), EXCERPT_CHARACTERS),
                    then=headline(excerpt_text, highlight_all=True),
                ),
                default=headline(
                    excerpt_text,
                    max_words=EXCERPT_WORDS,
                    min_words=EXCERPT_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            ),
        )
        .values_list("pk", "marked_title", "marked_excerpt")
    )
    return {pk: (as_html(marked_title), as_html(marked_excerpt)) for pk, marked_title, marked_excerpt in headlines}


def as_html(marked):
    """ts_headline's output, escaped, with its markers turned into <mark> elements."""
    html = escape(marked or "").replace(START, "<mark>").replace(STOP, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):  # A marker character in the text itself.
        html = escape((marked or "").replace(START, "").replace(STOP, ""))
    return mark_safe(html)  # noqa: S308 - escaped above; only <mark> is markup.


def mark(text, words):
    """The text, escaped, with each occurrence of the words (case-insensitive) in a <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - each piece is escaped or built by format_html.


def excerpt_around(text, words):
    """A short text whole, or a passage of a long one around the first match, with the words marked."""
    if len(text) <= EXCERPT_CHARACTERS:
        return mark(text, words)
    lowered = text.lower()
    first = min((lowered.find(word) for word in words if word in lowered), default=0)
    start = max(0, first - EXCERPT_CHARACTERS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + EXCERPT_CHARACTERS
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    passage = mark(text[start:end].strip(), words)
    return format_html(
        "{}{}{}", "… " if start else "", passage, " …" if end < len(text) else ""
    )  # format_html keeps the marks: `passage` is safe.


def in_source_language(record, field, html):
    """Marked as English when the page is in another language and the record has no text in it."""
    if html and lacks_translation(record, field):
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, html)
    return html
