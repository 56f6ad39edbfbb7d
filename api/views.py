"""
The read-only JSON API: events, instruments, bodies, topics and UNCAC articles.

Every queryset starts from `published()` (or, for bodies and topics, `public()`: those that
published events and instruments use, with counts and links that only take them in), whoever asks:
the API has no authentication, so a staff session sees exactly what the public sees.
The lists take the same filters as the HTML lists, through the very same FilterSets.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError

from bodies.models import Body
from catalogue.collation import sort_key
from documents.public import documents_prefetch
from events.filters import EventFilter
from events.models import Event, Participation
from instruments.filters import InstrumentFilter
from instruments.models import Instrument
from sources.models import Source
from topics.models import Topic
from uncac.models import Article

from . import serializers
from .schema import LANGUAGE_PARAMETER, documented


def language_values(request):
    values = request.GET.getlist(LANGUAGE_PARAMETER)
    return [] if values == [""] else values  # As with every parameter: empty is not given.


def requested_language(request):
    """
    The language asked for with `?lang=`, English by default (or when the parameter is not
    valid: `language_errors` reports it). Accept-Language is not read, so that an address
    always gives the same answer, whoever follows it.
    """
    values = language_values(request)
    if len(values) == 1 and values[0] in dict(settings.LANGUAGES):
        return values[0]
    return settings.LANGUAGE_CODE


def too_many_requests(request, retry_after):
    """The API's refusal of a request past its rate limit (ratelimits/middleware.py): JSON, in its language."""
    language = requested_language(request)
    with translation.override(language):
        detail = ngettext(
            "Too many requests: please try again in %(seconds)d second.",
            "Too many requests: please try again in %(seconds)d seconds.",
            retry_after,
        ) % {"seconds": retry_after}
        response = JsonResponse({"detail": detail}, status=429)
    response["Content-Language"] = language
    return response


def language_errors(request):
    values = language_values(request)
    if len(values) > 1:
        return [_("Give only one value for this parameter.")]
    if values and values[0] not in dict(settings.LANGUAGES):
        return [_("Choose one of: %(languages)s.") % {"languages": ", ".join(dict(settings.LANGUAGES))}]
    return []


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """
    A read-only list and detail: GET and HEAD only (anything else is a 405), JSON only,
    texts in the language of `?lang=`.
    """

    http_method_names = ["get", "head"]
    filter_backends = []
    # Besides the filters and the pagination, which publishing/parameters.py reads from the class.
    query_parameters = (LANGUAGE_PARAMETER,)

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        # As on Django's own class-based views, so that code walking the URL patterns (the
        # tests that visit every public address) finds the class and its model.
        view.view_class = cls
        return view

    def dispatch(self, request, *args, **kwargs):
        language = requested_language(request)
        # The response is rendered here, inside the language, so that translated error
        # messages and addresses come out in it rather than in LocaleMiddleware's choice.
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        response["Content-Language"] = language
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if errors := language_errors(request):
            raise ValidationError({LANGUAGE_PARAMETER: errors})

    def get_object(self):
        """
        The record named in the address, from the published records only; unlike DRF's
        default, the list's filters are not applied to it.
        """
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        try:
            return self.get_queryset().get(**lookup)
        except ObjectDoesNotExist:
            # The same answer whether the record does not exist or is not public yet.
            raise NotFound from None


@documented(serializers.EventSerializer, list_summary="Public events, newest first", detail_summary="One public event")
class EventViewSet(CatalogueViewSet):
    """Events as on `/events/`: the filters are the page's, and so are the answers."""

    serializer_class = serializers.EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Event.objects.none()  # For the schema: the model. The records come from get_queryset().

    def get_queryset(self):
        """Everything an event shows, in one query per relation whatever the number of events."""
        return (
            Event.objects.published()
            .select_related("series")
            .prefetch_related(
                "convening_bodies",
                Prefetch("participations", queryset=Participation.objects.select_related("body")),
                "topics",
                Prefetch("instruments", queryset=Instrument.objects.published()),
                "uncac_articles",
                Prefetch("sources", queryset=Source.objects.order_by("-published_on", "title", "pk")),
                documents_prefetch(),
            )
            # The page's order, and the primary key to break ties, so that pages never overlap.
            .order_by("-start_date", "-end_date", "title", "pk")
        )


@documented(
    serializers.InstrumentSerializer,
    list_summary="Public instruments, by title",
    detail_summary="One public instrument",
)
class InstrumentViewSet(CatalogueViewSet):
    """Instruments as on `/instruments/`: the filters are the page's, and so are the answers."""

    serializer_class = serializers.InstrumentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InstrumentFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Instrument.objects.none()

    def get_queryset(self):
        """Everything an instrument shows, in one query per relation whatever the number of instruments."""
        published = Instrument.objects.published()
        return (
            published.select_related("issuing_body")
            .prefetch_related(
                # A programme that is not public is left out, as on the page.
                Prefetch("programme", queryset=published),
                Prefetch("components", queryset=published.order_by("title", "pk")),
                "uncac_articles",
                "topics",
                Prefetch("events", queryset=Event.objects.published().order_by("-start_date", "-end_date", "pk")),
                Prefetch("sources", queryset=Source.objects.order_by("-published_on", "title", "pk")),
                documents_prefetch(),
            )
            .order_by("title", "pk")
        )


def published_coverage(**relations):
    """
    `event_count` and `instrument_count` annotations that count only published records,
    each record once; `relations` names the events and instruments relations of the model.
    """
    return {
        "event_count": Count(
            relations["events"], filter=Q(**{f"{relations['events']}__in": Event.objects.published()}), distinct=True
        ),
        "instrument_count": Count(
            relations["instruments"],
            filter=Q(**{f"{relations['instruments']}__in": Instrument.objects.published()}),
            distinct=True,
        ),
    }


@documented(
    serializers.BodySerializer, list_summary="Bodies, parents before their subsidiaries", detail_summary="One body"
)
class BodyViewSet(CatalogueViewSet):
    """
    Bodies in the order of `/bodies/`: depth first, each body followed by its subsidiaries,
    siblings by name. A body's counts take in its subsidiaries, as the body filter does.
    """

    serializer_class = serializers.BodySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Body.objects.none()

    def get_queryset(self):
        """
        The whole hierarchy as a list, in three queries: the bodies, then which published
        event each convened and which published instrument each issued.
        """
        # Ties in name keep the order of the primary key: the tree's sort is stable.
        bodies = Body.objects.public().order_by("name", "pk").tree()
        event_counts = Event.objects.published().count_per_body(bodies)
        issued = {}
        for body_pk, instrument_pk in Instrument.objects.published().values_list("issuing_body", "pk"):
            issued.setdefault(body_pk, set()).add(instrument_pk)
        for body in bodies:
            body.parent = body.ancestors[-1] if body.ancestors else None
            body.event_count = event_counts[body.pk]
            body.instrument_count = sum(len(issued.get(pk, ())) for pk in body.subtree_pks)
        return bodies

    def get_object(self):
        for body in self.get_queryset():
            if body.slug == self.kwargs["slug"]:
                return body
        raise NotFound


@documented(serializers.TopicSerializer, list_summary="Topics, by name", detail_summary="One topic")
class TopicViewSet(CatalogueViewSet):
    """Topics by name, as on `/topics/`, with how many public events and instruments each covers."""

    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Topic.objects.none()

    def get_queryset(self):
        topics = Topic.objects.public().annotate(**published_coverage(events="events", instruments="instruments"))
        if self.action == "list":
            # The databases sort accented names differently; the site's own collation does not.
            return sorted(topics, key=lambda topic: (sort_key(topic.name), topic.slug))
        return topics


@documented(
    serializers.ArticleSerializer, list_summary="UNCAC articles, by number", detail_summary="One UNCAC article"
)
class ArticleViewSet(CatalogueViewSet):
    """The articles of the UN Convention against Corruption, with how many public events and instruments cover each."""

    serializer_class = serializers.ArticleSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
    queryset = Article.objects.none()

    def get_queryset(self):
        return (
            Article.objects.select_related("chapter")
            .annotate(**published_coverage(events="events", instruments="instruments"))
            .order_by("number")
        )
