from django.db.models import Prefetch
from django.views.generic import DetailView

from instruments.models import Instrument
from sources.models import Source
from wcointegrity.views import CatalogueListView

from .filters import EventFilter
from .models import Event, Participation


class EventListView(CatalogueListView):
    queryset = Event.objects.published().for_listing()
    filterset_class = EventFilter
    template_name = "events/event_list.html"


class EventDetailView(DetailView):
    queryset = (
        Event.objects.published()
        .select_related("series__body")
        .prefetch_related(
            "convening_bodies",
            Prefetch("participations", queryset=Participation.objects.select_related("body")),
            "topics",
            Prefetch("instruments", queryset=Instrument.objects.published()),
            "uncac_articles",
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
        )
    )
