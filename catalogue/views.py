from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from publishing.cache import cached
from search.highlight import highlight

from .cards import cards, cards_of
from .pagination import CachedRecords, CataloguePaginator, IndexedRecords
from .records import covered_by


class CatalogueListView(FilterView):
    """
    A public, searchable, faceted and paginated list (catalogue/filters.py). Invalid
    filters are shown on the page with a 400 status and no results; a page number that
    does not exist is a 404 that says which pages do. When searching, the matching words
    are marked in the titles and excerpts of the page's records.
    """

    paginate_by = 20
    paginator_class = CataloguePaginator

    def get_paginator(self, queryset, per_page, **kwargs):
        """Pages of the records' primary keys: the page shows their cards (catalogue/cards.py)."""
        filterset = self.filterset
        if filterset.is_bound and not filterset.is_valid():
            return super().get_paginator(queryset.values_list("pk", flat=True), per_page, **kwargs)
        if filterset.sorted_as_indexed:
            # Any page at the cost of the first, from the facet index.
            return super().get_paginator(IndexedRecords(filterset), per_page, **kwargs)
        # Each page read once in each version of the catalogue, for these filters and this sort.
        pages = CachedRecords(queryset.values_list("pk", flat=True), filterset.record_count, self.page_parts())
        return super().get_paginator(pages, per_page, **kwargs)

    def page_parts(self):
        return "page", self.filterset.cache_parts(), self.filterset.sort

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        pks = list(context["object_list"])
        if filterset.search_text:
            # The matching words are marked in each card, for this search: the page's cards are cached whole.
            text = filterset.search_text
            records = SimpleLazyObject(lambda: highlight(self.page_records(pks), text, filterset.search_document))
            context["cards"] = cached(("search-cards", *self.page_parts(), tuple(pks)), lambda: cards(records))
        else:
            # Only the records whose cards are not cached are read; the records themselves only if asked for.
            records = SimpleLazyObject(lambda: self.page_records(pks))
            context["cards"] = cards_of(self.get_queryset(), pks)
        context["object_list"] = records
        context["invalid_filters"] = [
            {
                "label": filterset.filters[name].label if name in filterset.filters else "",
                "errors": errors,
                "remove_query": filterset.without_parameter(name),
            }
            for name, errors in (filterset.errors.items() if filterset.is_bound else [])
        ]
        return context

    def page_records(self, pks):
        """The records with these primary keys, in that order."""
        records = self.get_queryset().in_bulk(pks)
        return [records[pk] for pk in pks if pk in records]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            page = self.request.GET.get(self.page_kwarg, "")
            last = self.get_paginator(queryset, page_size).num_pages
            raise Http404(
                _("This list has no page “%(page)s”: its pages are numbered from 1 to %(last)s.")
                % {"page": page[:20], "last": last}
            ) from None


class CoveredRecordsMixin:
    """
    For the page of a body, topic or UNCAC article: the first published records of each kind
    that cover it (records.py, `covers`): `events` and `event_count`, `instruments` and
    `instrument_count`, with a link to the full filtered list.
    """

    listed = 10

    def covered_pks(self):
        """The records of the page's model whose coverers are shown: the page's own unless said otherwise."""
        return None

    def get_context_data(self, **kwargs):
        covered = {}
        for record_type, records in covered_by(self.object, self.covered_pks()):
            covered[f"{record_type.name}s"] = records.for_listing()[: self.listed]
            covered[f"{record_type.name}_count"] = records.count()
        return super().get_context_data(**covered, **kwargs)
