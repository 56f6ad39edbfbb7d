"""
The query parameters that each public view reads, and what a request amounts to for it.

A public page is cached once for each request that the view would answer differently
(publishing/middleware.py), and a view answers only to what it reads. So every view says
what it reads: a class attribute `query_parameters` (names), to which come the parameters
read by what it is made of:

- a django-filter `FilterView`, or DRF's `DjangoFilterBackend`: the names its FilterSet's
  form reads, each widget's own (a range widget reads `<name>_min` and `<name>_max`);
- pagination: the page number (`page_kwarg`), or a DRF paginator's `*_query_param`s;
- any DRF view: `?format=` (URL_FORMAT_OVERRIDE);
- a view with a `list_view` (the downloads): what that view reads;
- Django's sitemap reads `p`, its feeds nothing, drf-spectacular's schema `lang` and `version`.

Before a view runs, the other parameters are taken off the request, so that the page is
the same whatever they were: the view cannot read a parameter it did not declare, and a
parameter forgotten shows at once by having no effect. A function view knows nothing of
this: it is given the whole query string and cached for each one, and the system check
(`check_query_parameters`) names it, until it says what it reads with a
`query_parameters` attribute.
"""

import functools
from types import FunctionType

from django.conf import settings
from django.contrib.admin import site as admin_site
from django.contrib.sitemaps.views import sitemap
from django.contrib.syndication.views import Feed
from django.core import checks
from django.http import Http404, QueryDict
from django.urls import URLResolver, get_resolver
from django.views import View
from django.views.generic.list import MultipleObjectMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.views import FilterMixin
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

# Whatever a function view reads: the whole query string.
ANY = None
# Addresses whose responses are never cached, and whose queries are left as they came.
UNCACHED = ("/healthz", "/readyz", "/bench/", "/documents/")
# With BENCHMARK_VIEWS, a parameter that every view keeps and no view reads: `make bench` and the
# scale tests give it a new value on each request to measure a page that is not in the cache.
BENCHMARK_PARAMETER = "bench"
# Views of Django and its libraries that read parameters of their own.
KNOWN_VIEWS = {sitemap: ("p",)}
KNOWN_CLASSES = {SpectacularAPIView: ("lang", "version")}
NOT_ACCEPTABLE = "not acceptable"


class _ReadNames(dict):
    """An empty form data that notes the names read from it."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def get(self, key, default=None):
        self.names.add(key)
        return default

    def getlist(self, key, default=None):
        self.names.add(key)
        return [] if default is None else default

    def __contains__(self, key):
        self.names.add(key)
        return False

    def __getitem__(self, key):
        self.names.add(key)
        raise KeyError(key)


def form_parameters(form):
    """The parameter names that the widgets of `form`, a form instance, read."""
    data = _ReadNames()
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        field.widget.value_from_datadict(data, {}, html_name)
        field.widget.value_omitted_from_data(data, {}, html_name)
    return data.names


def filterset_parameters(filterset_class):
    # Built without data on the model's default queryset, which is not read.
    return form_parameters(filterset_class().form)


def class_parameters(view_class):
    """What a view class reads: its `query_parameters` and those of what it is made of."""
    names = set(getattr(view_class, "query_parameters", ()))
    for known, parameters in KNOWN_CLASSES.items():
        if issubclass(view_class, known):
            names.update(parameters)
    if issubclass(view_class, FilterMixin) and view_class.filterset_class:
        names |= filterset_parameters(view_class.filterset_class)
    if issubclass(view_class, MultipleObjectMixin) and view_class.paginate_by:
        names.add(view_class.page_kwarg)
    if issubclass(view_class, APIView):
        names.add(api_settings.URL_FORMAT_OVERRIDE)
        if getattr(view_class, "filterset_class", None) and DjangoFilterBackend in view_class.filter_backends:
            names |= filterset_parameters(view_class.filterset_class)
        if pagination_class := getattr(view_class, "pagination_class", None):
            paginator = pagination_class()
            names |= {
                value
                for attribute in dir(paginator)
                if attribute.endswith("_query_param") and isinstance(value := getattr(paginator, attribute), str)
            }
    if list_view := getattr(view_class, "list_view", None):
        names |= class_parameters(list_view)
    return names


def view_class_of(view):
    """The class of a view made by `as_view()` (Django's or DRF's), or of a view object such as a feed."""
    if isinstance(view, FunctionType):
        return getattr(view, "view_class", None) or getattr(view, "cls", None)
    return type(view)


@functools.cache
def query_parameters(view):
    """The names of the parameters that `view`, a URL pattern's callback, reads; ANY for a function view."""
    if view in KNOWN_VIEWS:
        return frozenset(KNOWN_VIEWS[view])
    if hasattr(view, "query_parameters"):
        return frozenset(view.query_parameters)
    view_class = view_class_of(view)
    if view_class is None or not issubclass(view_class, View | Feed):
        return ANY
    return frozenset(class_parameters(view_class))


def declared_query(request, match):
    """
    The request's query string as the view reads it: its parameters only, in the order of
    their names, each one's values in order (several values of a facet are any of them).
    Also put on the request. A view that reads anything is given the query as it came.
    """
    names = query_parameters(match.func)
    if names is not ANY and settings.BENCHMARK_VIEWS:
        names = {*names, BENCHMARK_PARAMETER}
    query = []
    for name in sorted(request.GET):
        if names is ANY:
            query += [(name, value) for value in request.GET.getlist(name)]
        elif name in names:
            query += [(name, value) for value in sorted(request.GET.getlist(name))]
    if names is not ANY:
        kept = QueryDict(mutable=True)
        for name, value in query:
            kept.appendlist(name, value)
        kept._mutable = False
        request.GET = kept
        # The address of the page as its links read it (the language switcher): the same query.
        request.META["QUERY_STRING"] = kept.urlencode()
    return tuple(query)


def content_outcome(request, match):
    """
    For an API view, what DRF's content negotiation makes of the Accept header (and of
    `?format=`): the renderer and its indentation, or NOT_ACCEPTABLE. Nothing for other views,
    which answer every request with the same type of content.
    """
    view_class = view_class_of(match.func)
    if view_class is None or not issubclass(view_class, APIView):
        return None
    view = view_class(**getattr(match.func, "initkwargs", {}))
    view.args, view.kwargs, view.format_kwarg = match.args, match.kwargs, None
    try:
        renderer, media_type = view.perform_content_negotiation(Request(request))
    except (NotAcceptable, Http404):  # Http404: a `?format=` that no renderer has.
        return NOT_ACCEPTABLE
    indent = renderer.get_indent(media_type, {}) if isinstance(renderer, JSONRenderer) else None
    return type(renderer).__qualname__, renderer.media_type, indent


def url_patterns(resolver=None, route=""):
    """(route, callback) of every URL pattern but the admin's."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != admin_site.name:
                yield from url_patterns(entry, route + str(entry.pattern))
        else:
            yield route + str(entry.pattern), entry.callback


@checks.register(checks.Tags.caches, checks.Tags.urls)
def check_query_parameters(app_configs=None, **kwargs):
    """A public view that does not say what parameters it reads is cached for every query string."""
    warnings = []
    for route, callback in url_patterns():
        if f"/{route.lstrip('^')}".startswith(UNCACHED) or query_parameters(callback) is not ANY:
            continue
        name = f"{callback.__module__}.{callback.__qualname__}"
        warnings.append(
            checks.Warning(
                f"The view {name} does not say which query parameters it reads: its pages are "
                "cached for each query string, which anyone may vary.",
                hint="Give it a `query_parameters` attribute: the names of the parameters it reads.",
                obj=name,
                id="publishing.W001",
            )
        )
    return warnings
