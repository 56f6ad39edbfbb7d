"""
Cards: a record as the lists show it, from `templates/includes/<model name>_card.html`.

Each card is rendered once in each version of the catalogue and language (publishing/cache.py),
so that a page of a list reads from the database only the records whose cards are not cached
yet. A card with the words of a search marked in it is cached with those marks.
"""

from django.template.loader import render_to_string

from publishing.cache import cached_many


def render_card(record):
    name = record._meta.model_name
    return render_to_string(f"includes/{name}_card.html", {name: record})


def card_parts(model, pk, marks=(None, None, None)):
    """What a card depends on: its record, and the words of a search marked in it and in its documents."""
    return "card", model._meta.label, pk, *marks


def search_marks(record):
    return (
        getattr(record, "highlighted_title", None),
        getattr(record, "highlighted_excerpt", None),
        getattr(record, "found_in_documents", None),
    )


def cards(records):
    """The cards of `records`, read as their queryset's `for_listing()` reads them, in their order."""
    records = list(records)
    by_pk = {record.pk: record for record in records}
    found = cached_many(
        {record.pk: card_parts(type(record), record.pk, search_marks(record)) for record in records},
        lambda missing: {pk: render_card(by_pk[pk]) for pk in missing},
    )
    return [found[record.pk] for record in records]


def cards_of(queryset, pks):
    """
    The cards of the records of `queryset` with these primary keys, in that order: the records
    whose cards are not cached are read in one query (and one for each of their prefetches).
    """
    found = cached_many(
        {pk: card_parts(queryset.model, pk) for pk in pks},
        lambda missing: {record.pk: render_card(record) for record in queryset.filter(pk__in=missing)},
    )
    return [found[pk] for pk in pks if pk in found]
