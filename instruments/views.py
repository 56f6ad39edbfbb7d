from django.db.models import Prefetch
from django.views.generic import DetailView

from events.models import Event
from sources.models import Source
from wcointegrity.views import CatalogueListView

from .filters import InstrumentFilter
from .models import Instrument


class InstrumentListView(CatalogueListView):
    queryset = Instrument.objects.published().for_listing()
    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"


class InstrumentDetailView(DetailView):
    queryset = (
        Instrument.objects.published()
        .select_related("issuing_body", "programme")
        .prefetch_related(
            "uncac_articles",
            "topics",
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
            Prefetch("events", queryset=Event.objects.published().for_listing()),
            Prefetch("components", queryset=Instrument.objects.published()),
        )
    )
