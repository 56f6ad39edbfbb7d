from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bodies.filters import BodyFacet
from catalogue.filters import (
    ChoiceFacet,
    FacetedFilterSet,
    FilterForm,
    SearchFilter,
    SortFilter,
    YearFacet,
    sorted_choices,
)
from documents.filters import DocumentLanguageFacet, HasDocumentsFacet
from topics.filters import TopicFacet
from uncac.filters import ArticleFacet, ChapterFacet

from .models import Event, EventFormat, Role, Series, TimeState, time_state_of
from .search import EVENT_DOCUMENT


def country_choices(model):
    codes = model.objects.published().exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted_choices((code, countries.name(code)) for code in codes)


def series_choices(model):
    series = Series.objects.public()
    return sorted_choices(series.values_list("slug", "name"))


class TimeStateFacet(ChoiceFacet):
    """Upcoming, taking place now, past, postponed, cancelled: on the date of the request."""

    def filter(self, queryset, value):
        return queryset.in_time_states(value, timezone.localdate()) if value else queryset

    def index_pairs(self, queryset):
        today = timezone.localdate()
        for pk, status, start, end in queryset.values_list("pk", "status", "start_date", "end_date"):
            yield pk, time_state_of(status, start, end, today)


class EventFilter(FacetedFilterSet):
    q = SearchFilter(document=EVENT_DOCUMENT, help_text=_("Words in the title, summary, bodies or topics."))
    state = TimeStateFacet(label=_("When"), choices=TimeState.choices)
    year = YearFacet(help_text=_("Events that took place at any time in one of these years."))
    body = BodyFacet(
        relation="convening_bodies",
        help_text=_(
            "The body that convened the event; its subsidiary bodies, and the bodies it serves as secretariat, "
            "are included."
        ),
    )
    country = ChoiceFacet(label=_("Country"), choices=country_choices)
    wco_role = ChoiceFacet(label=_("Role of the WCO"), choices=Role.choices)
    format = ChoiceFacet(label=_("Format"), choices=EventFormat.choices)
    series = ChoiceFacet(label=_("Series"), field_name="series__slug", choices=series_choices)
    topic = TopicFacet()
    article = ArticleFacet()
    chapter = ChapterFacet()
    has_documents = HasDocumentsFacet()
    document_language = DocumentLanguageFacet()
    sort = SortFilter(
        orderings={
            "newest": (_("Newest first"), [F("start_date").desc(), F("end_date").desc(), "title"]),
            "oldest": (_("Oldest first"), ["start_date", "end_date", "title"]),
            "title": (_("Title"), ["title", F("start_date").desc()]),
        }
    )

    search_document = EVENT_DOCUMENT
    default_sort = "newest"

    class Meta:
        model = Event
        fields = [
            "q",
            "state",
            "year",
            "body",
            "country",
            "topic",
            "wco_role",
            "format",
            "article",
            "chapter",
            "series",
            "sort",
        ]
        form = FilterForm
