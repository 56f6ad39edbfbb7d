from django.core.paginator import Paginator


class CataloguePaginator(Paginator):
    """A paginator that may be told the number of records, known already, rather than count them."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value.


class IndexedRecords:
    """
    The primary keys of the records that a FacetedFilterSet selects, in its default order, as a
    paginator reads them: the count and each page come from its facet index (wcointegrity/facetindex.py).
    """

    def __init__(self, filterset):
        self.filterset = filterset

    def count(self):
        return self.filterset.record_count

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if isinstance(window, int):
            return self[window : window + 1][0]
        start, stop, _step = window.indices(self.count())
        return self.filterset.indexed_page(start, max(stop - start, 0))

    def __iter__(self):
        return iter(self[:])
