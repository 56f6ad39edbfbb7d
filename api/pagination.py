from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class CataloguePagination(PageNumberPagination):
    """
    20 records a page, up to 100 with `page_size`. Unlike DRF's default, a `page_size`
    that is not a whole number from 1 to 100, or that is given twice, is a 400 rather
    than silently replaced by the default: a client asking for 500 records must learn
    that it gets 100. A page that does not exist is a 404, as on the HTML lists.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    page_query_description = _("A page number, from 1; `last` for the last page.")
    page_size_query_description = _("How many records a page holds, from 1 to 100; 20 if not given.")

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if values == [""]:
            values = []  # As with every parameter: empty is not given.
        if not values:
            return self.page_size
        if len(values) > 1:
            raise ValidationError({self.page_size_query_param: [_("Give only one value for this parameter.")]})
        value = values[0]
        # The length is checked first: int() refuses strings of thousands of digits with a ValueError.
        if not (value.isascii() and value.isdigit() and len(value) <= 3 and 1 <= int(value) <= self.max_page_size):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            # As on the HTML lists: say which pages there are.
            page = request.query_params.get(self.page_query_param, "")
            last = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            raise NotFound(
                _("This list has no page “%(page)s”: its pages are numbered from 1 to %(last)s.")
                % {"page": page[:20], "last": last}
            ) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
