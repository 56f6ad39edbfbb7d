from django.core.paginator import Paginator


class CataloguePaginator(Paginator):
    """A paginator that may be told the number of records, known already, rather than count them."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value.
