from django.db.models import Prefetch
from django.views.generic import DetailView

from catalogue.records import published_related
from catalogue.views import CatalogueListView
from documents.public import documents_prefetch
from publishing.views import CachedRecordMixin, PreviewMixin
from sources.models import Source

from .filters import InstrumentFilter
from .models import Instrument


class InstrumentListView(CatalogueListView):
    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"

    def get_queryset(self):
        return Instrument.objects.published().for_listing()


class InstrumentDetailView(CachedRecordMixin, DetailView):
    model = Instrument
    record_template_name = "instruments/instrument_record.html"

    def record_prefetches(self):
        """Everything the page's body shows, read in one query per relation."""
        return (
            "uncac_articles",
            "topics",
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
            published_related(Instrument, "events"),
            Prefetch("components", queryset=Instrument.objects.published()),
            documents_prefetch(),
        )

    def get_queryset(self):
        return self.detail_queryset().published()

    def detail_queryset(self):
        return Instrument.objects.select_related("issuing_body", "programme")


class InstrumentPreviewView(PreviewMixin, InstrumentDetailView):
    """The instrument page of a record that may not be public yet, for staff."""
