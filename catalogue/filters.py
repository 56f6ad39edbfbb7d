"""
The filters of the public lists, as facets.

Each facet (year, body, topic...) takes several values, which combine with OR; facets
combine with AND. For each facet the list shows every value with the number of records it
would give under the other active filters and the search, in one query per facet whatever
the number of records. The query string holds the whole state (`?year=2019&year=2022&body=unodc`),
so that every view can be bookmarked, shared, downloaded (exports.py) and subscribed to
(events/calendars.py), and the API (api/) takes the same parameters.
"""

import copy
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalogue.collation import sort_key
from catalogue.facetindex import FacetIndex, all_of, facet_index
from publishing.cache import cached, kept
from search.forms import SearchField


class FilterForm(forms.Form):
    """
    A filter form that refuses a single-valued parameter (the search, the sort) given twice
    rather than silently keeping one of the values; facets take several values by design.
    """

    def clean(self):
        cleaned_data = super().clean()
        for name, form_field in self.fields.items():
            # A field whose widget reads one value from the query string, rather than a list, takes only one.
            if len(self.data.getlist(name)) > 1 and not self.reads_several(form_field, name):
                self.add_error(name, _("Give only one value for this filter."))
        if cleaned_data.get("sort") == SortFilter.RELEVANCE and not cleaned_data.get("q"):
            self.add_error("sort", _("Sorting by relevance needs words to search for."))
        return cleaned_data

    def reads_several(self, form_field, name):
        return isinstance(form_field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)), list)


@dataclass
class Option:
    """A value of a facet as the list shows it: its label, how many records it gives, whether it is chosen."""

    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class FacetView:
    """A facet with its options, for the template and the API."""

    name: str
    label: str
    options: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


class SharedSettings:
    """
    A filter that each FilterSet copies from its class with its own `extra` (a ChoiceFacet
    sets its choices there), sharing the rest: labels, orderings, search documents, set once
    and never changed, which the deep copy of django-filter would copy for every request.
    """

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.extra = dict(self.extra)
        return copied


class Facet(SharedSettings):
    """
    What a facet adds to a filter: `index_pairs(queryset)`, the (primary key, value) pairs
    of the records, from which the list's facet index is built in one query
    (catalogue/facetindex.py), and `options(counts, selected)`, the values to show.
    Values no record has under the other filters are not shown, unless they are chosen.
    """

    def index_pairs(self, queryset):
        raise NotImplementedError

    def relations_read(self):
        """
        The paths from the record that the facet's values are read through, as in a query
        ("topics__slug"): catalogue/checks.py refuses one that reaches a model whose changes
        do not renew the catalogue's version, whose counts would then be stale.
        """
        return [self.field_name]

    def labelled_values(self):
        """(value, label, depth) of every value the facet offers, in the order shown."""
        for value, label in self.field.choices:
            if isinstance(label, list | tuple):  # A group of the body hierarchy.
                yield from ((v, text, 0) for v, text in label)
            else:
                yield value, label, 0

    def options(self, counts, selected):
        chosen = {str(value) for value in selected}
        return [
            Option(str(value), str(label), counts.get(str(value), 0), str(value) in chosen, depth)
            for value, label, depth in self.labelled_values()
            if counts.get(str(value)) or str(value) in chosen
        ]

    def label_of(self, value):
        for option_value, label, _depth in self.labelled_values():
            if str(option_value) == str(value):
                return str(label).strip("\u00a0")
        return str(value)


class FacetChoiceField(forms.MultipleChoiceField):
    """Several choices, any of which may be empty: an empty value is no choice, as a form sends it."""

    def to_python(self, value):
        return list(dict.fromkeys(text for text in super().to_python(value) if text.strip()))


class ChoiceFacet(Facet, django_filters.MultipleChoiceFilter):
    """
    A facet over a model field or a relation (`field_name`, e.g. "country" or
    "topics__slug"). `choices` may be a callable, called with the model once per request,
    when the form is built; values of a relation are matched through a subquery, so that a
    record linked to two chosen values is listed once.
    """

    field_class = FacetChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field") and callable(self.extra["choices"]):
            read_choices, model = self.extra["choices"], self.parent._meta.model
            key = ("choices", model._meta.label, self.field_name)
            # A callable, which the form neither copies nor checks each time it is built.
            self.extra["choices"] = lambda: kept(key, lambda: list(read_choices(model)))
        return super().field

    @property
    def through_relation(self):
        return "__" in self.field_name or self.parent._meta.model._meta.get_field(self.field_name).many_to_many

    def filter(self, queryset, value):
        if not value:
            return queryset
        if self.through_relation:
            matching = self.parent._meta.model._base_manager.filter(**{f"{self.field_name}__in": value}).values("pk")
            return queryset.filter(pk__in=matching)
        return queryset.filter(**{f"{self.field_name}__in": value})

    def index_pairs(self, queryset):
        pairs = queryset.values_list("pk", self.field_name)
        return ((pk, value) for pk, value in pairs if value not in (None, ""))


class YearsField(forms.Field):
    """Any number of years, each a number from 1000 to 9999."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("Enter each year as a number, such as 2019."),
        "out_of_range": _("Enter years between 1000 and 9999."),
    }

    def to_python(self, value):
        years = []
        for text in value or []:
            text = str(text).strip()
            if not text:
                continue
            if not text.isascii() or not text.isdigit():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            year = int(text[-5:]) if len(text) <= 5 else 0  # A longer number is out of range anyway.
            if not 1000 <= year <= 9999:
                raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
            if year not in years:
                years.append(year)
        return sorted(years)


class YearFacet(Facet, django_filters.Filter):
    """
    Years, any of which a record must fall in (`in_years` on the model's queryset); the
    years shown are those some record falls in, newest first (`count_per_year`).
    """

    field_class = YearsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return queryset.in_years(value) if value else queryset

    def index_pairs(self, queryset):
        return queryset.year_pairs()

    def options(self, counts, selected):
        years = sorted({*map(int, counts), *selected}, reverse=True)
        chosen = set(selected)
        return [Option(str(year), str(year), counts.get(str(year), 0), year in chosen) for year in years]

    def label_of(self, value):
        return str(value)


class SearchFilter(SharedSettings, django_filters.CharFilter):
    """The words to search for, through the model's search document (search/documents.py)."""

    field_class = SearchField

    def __init__(self, *args, document, **kwargs):
        self.document = document
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return self.document.matching(queryset, value) if value else queryset


class SortFilter(SharedSettings, django_filters.ChoiceFilter):
    """
    The order of the list: one of `orderings`, {value: (label, order_by expressions)}, or
    "relevance" when searching. The FilterSet applies it last (FacetedFilterSet.sorted).
    """

    RELEVANCE = "relevance"

    def __init__(self, *args, orderings, **kwargs):
        self.orderings = orderings
        choices = [(self.RELEVANCE, _("Relevance (when searching)"))]
        choices += [(value, label) for value, (label, _order) in orderings.items()]
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("null_label", None)
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, queryset, value):
        return queryset  # Applied by the FilterSet, after the search.


class FacetedFilterSet(django_filters.FilterSet):
    """
    A FilterSet with a search (`q`), facets and a sort. `facet_views` gives each facet's
    options with their counts; `active_filters` each chosen value, with the query string
    that removes it.
    """

    search_document = None
    default_sort = None

    @property
    def qs(self):
        if not hasattr(self, "_qs") and not self.is_bound:
            # django-filter leaves an unbound FilterSet's records as they are: sort them all the same.
            self._qs = self.sorted(self.queryset.all())
        return super().qs

    def filter_queryset(self, queryset):
        return self.sorted(self.narrowed(queryset))

    def narrowed(self, queryset, without=None):
        """The records that the search and the facets, but for `without`, select."""
        if not self.is_bound:
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name != without and not isinstance(self.filters[name], SortFilter):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def search_text(self):
        return self.form.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    @property
    def sort(self):
        chosen = self.form.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        if chosen:
            return chosen
        return SortFilter.RELEVANCE if self.search_text else self.default_sort

    def sorted(self, queryset):
        sort = self.sort
        if sort == SortFilter.RELEVANCE:
            queryset = self.search_document.ranked(queryset, self.search_text)
            return queryset.order_by("-search_rank", *self.sort_filter.orderings[self.default_sort][1], "pk")
        return self.sorted_by(queryset, sort)

    def sorted_by(self, queryset, sort):
        return queryset.order_by(*self.sort_filter.orderings[sort][1], "pk")

    @property
    def sort_filter(self):
        return next(f for f in self.filters.values() if isinstance(f, SortFilter))

    @cached_property
    def facets(self):
        return {name: facet for name, facet in self.filters.items() if isinstance(facet, Facet)}

    @cached_property
    def facet_views(self):
        """
        Each facet with the values to show and their counts, from the facet index: read only
        to render the facets, which are cached (`facets_html`).
        """
        if self.is_bound and not self.is_valid():
            # No counts until the filters are corrected; each facet keeps its errors.
            return [
                FacetView(name, facet.label, [], self.form.errors.get(name, [])) for name, facet in self.facets.items()
            ]
        return self.summary[0]

    @cached_property
    def facets_html(self):
        """The facets as the list's form shows them, rendered once for these filters in this version."""
        if self.is_bound and not self.is_valid():
            return render_to_string("includes/facets.html", {"filter": self})
        return cached(
            ("facets-html", self.cache_parts()), lambda: render_to_string("includes/facets.html", {"filter": self})
        )

    @property
    def record_count(self):
        """How many records the filters and the search select."""
        return self.selection.bit_count()

    @cached_property
    def selection(self):
        """The records that the filters and the search select, a bitset of the facet index; cached for the filters."""
        return cached(("selection", self.cache_parts()), lambda: self.summary[1])

    @cached_property
    def summary(self):
        """(facet views, selection), counted once a request, when the facets' page or the selection is not cached."""
        return self.count_facets()

    @property
    def sorted_as_indexed(self):
        """Whether the list's order is the facet index's, whose pages `indexed_page` then gives."""
        return self.sort == self.index.order

    def indexed_page(self, start, count):
        """The primary keys of the records from the `start`-th to show, in the facet index's order."""
        return self.index.page(self.selection, start, count)

    def cache_parts(self):
        """What the records of this view depend on: the model and the filters, not the page or the sort."""
        if not self.is_bound:
            return self._meta.model._meta.label, ()
        filters = sorted(
            (name, tuple(sorted(self.data.getlist(name))))
            for name in self.data
            if name in self.filters and not isinstance(self.filters[name], SortFilter)
        )
        return self._meta.model._meta.label, tuple(filters)

    @cached_property
    def index(self):
        return facet_index(self._meta.model._meta.label, self.build_index)

    def count_facets(self):
        """
        The facets' views with their counts, and the selection of records (a bitset of the
        facet index), from the facet index: no query but the search's.
        """
        index = self.index
        matching = index.universe
        if self.search_text:
            found = self.search_document.matching(self.queryset.order_by(), self.search_text)
            matching &= index.records_of(found.values_list("pk", flat=True))
        chosen_values = self.chosen_values()
        chosen = {name: index.records(name, values) for name, values in chosen_values.items()}
        views = []
        for name, facet in self.facets.items():
            among = all_of((records for other, records in chosen.items() if other != name), matching)
            options = facet.options(index.counts(name, among), chosen_values.get(name, []))
            views.append(FacetView(name, facet.label, options))
        return views, all_of(chosen.values(), matching)

    def chosen_values(self):
        """{facet name: the values chosen}, for the facets that have any."""
        if not self.is_bound:
            return {}
        return {name: self.form.cleaned_data[name] for name in self.facets if self.form.cleaned_data.get(name)}

    def build_index(self):
        """The facet index of every record the list may show: one query for them and one per facet."""
        queryset = self.queryset.prefetch_related(None).order_by()
        pks = self.sorted_by(queryset, self.default_sort).values_list("pk", flat=True)
        index = FacetIndex(pks, order=self.default_sort)
        for name, facet in self.facets.items():
            index.add(name, facet.index_pairs(queryset))
        return index

    @cached_property
    def active_filters(self):
        """
        (name, value, label, query string without it) for each chosen value, in the order of
        the form: the search first, then each facet's values. Empty when a filter is not valid.
        """
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if name not in self.facets and not isinstance(self.filters[name], SearchFilter):
                continue
            for single in value if isinstance(value, list) else [value] if value else []:
                label = self.facets[name].label_of(single) if name in self.facets else single
                active.append(
                    ActiveFilter(name, str(single), label, self.filters[name].label, self.without(name, single))
                )
        return active

    def filename_parts(self):
        """
        Words for the name of a file of this view, from the chosen values: "2019", "unodc",
        a bare number other than a year named ("article-5"), the search ("search-asset-recovery").
        """
        parts = []
        for active in self.active_filters:
            text = slugify(active.value).replace("_", "-")
            if active.name == "q":
                text = f"search-{text}"[:60].rstrip("-")
            elif text.isdigit() and active.name != "year":
                text = f"{active.name}-{text}"
            if text:
                parts.append(text)
        return parts

    def without(self, name, value):
        """The query string of this view without one value of a filter; without the search, no relevance sort."""
        data = self.data.copy()
        data.setlist(name, [v for v in data.getlist(name) if v.strip() != str(value)])
        if name == "q" and data.get("sort") == SortFilter.RELEVANCE:
            data.pop("sort")
        return cleaned_query(data)

    def without_parameter(self, name):
        """The query string of this view without a parameter."""
        data = self.data.copy()
        data.pop(name, None)
        return cleaned_query(data)

    def query_string(self):
        """This view's filters and sort as a query string: for downloads and calendars."""
        return cleaned_query(self.data.copy())


def cleaned_query(data):
    """A QueryDict as a query string, without the page number (a file holds every page) or blank parameters."""
    data.pop("page", None)
    for key in [key for key, values in data.lists() if not any(value.strip() for value in values)]:
        data.pop(key)
    return data.urlencode()


@dataclass
class ActiveFilter:
    name: str
    value: str
    label: str
    facet_label: str
    remove_query: str


def sorted_choices(pairs):
    """(value, label) pairs in the site's alphabetical order of the labels."""
    return sorted(pairs, key=lambda choice: sort_key(str(choice[1])))
