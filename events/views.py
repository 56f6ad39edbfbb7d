from django.db.models import Prefetch
from django.views.generic import DetailView

from catalogue.views import CatalogueListView
from documents.public import documents_prefetch
from instruments.models import Instrument
from publishing.views import CachedRecordMixin, PreviewMixin
from sources.models import Source

from .filters import EventFilter
from .models import Event, Participation


class EventListView(CatalogueListView):
    filterset_class = EventFilter
    template_name = "events/event_list.html"

    def get_queryset(self):
        return Event.objects.published().for_listing()


class EventDetailView(CachedRecordMixin, DetailView):
    model = Event
    record_template_name = "events/event_record.html"

    def record_prefetches(self):
        """Everything the page's body shows, read in one query per relation."""
        return (
            "convening_bodies",
            Prefetch("participations", queryset=Participation.objects.select_related("body")),
            "topics",
            Prefetch("instruments", queryset=Instrument.objects.published()),
            "uncac_articles",
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
            documents_prefetch(),
        )

    def get_queryset(self):
        return self.detail_queryset().published()

    def detail_queryset(self):
        return Event.objects.select_related("series__body")


class EventPreviewView(PreviewMixin, EventDetailView):
    """The event page of a record that may not be public yet, for staff."""
