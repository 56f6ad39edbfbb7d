from django.core.paginator import Paginator

from publishing.cache import cached


class CataloguePaginator(Paginator):
    """A paginator that may be told the number of records, known already, rather than count them."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value.


class PagedKeys:
    """
    Primary keys as a paginator reads them: a count, told rather than counted, and windows of
    keys, which `keys(start, stop)` reads.
    """

    def count(self):
        raise NotImplementedError

    def keys(self, start, stop):
        raise NotImplementedError

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if isinstance(window, int):
            return self[window : window + 1][0]
        start, stop, _step = window.indices(self.count())
        return self.keys(start, max(stop, start))

    def __iter__(self):
        return iter(self[:])


class IndexedRecords(PagedKeys):
    """
    The primary keys of the records that a FacetedFilterSet selects, in its default order: the
    count and each page come from its facet index (catalogue/facetindex.py).
    """

    def __init__(self, filterset):
        self.filterset = filterset

    def count(self):
        return self.filterset.record_count

    def keys(self, start, stop):
        return self.filterset.indexed_page(start, stop - start)


class CachedRecords(PagedKeys):
    """
    The primary keys of `pks`, a queryset's, for an order that the facet index does not hold
    (another sort, relevance): each page is read once in each version of the catalogue and kept
    in the cache under `parts`; the count is told.
    """

    def __init__(self, pks, count, parts):
        self.pks = pks
        self.total = count
        self.parts = parts

    def count(self):
        return self.total

    def keys(self, start, stop):
        return cached((*self.parts, start, stop), lambda: list(self.pks[start:stop]))
