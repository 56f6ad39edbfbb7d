from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.feeds import NEWEST_FIRST, RecordFeed
from documents.public import documents_prefetch, enclosures

from .models import Instrument
from .views import InstrumentListView


class InstrumentFeed(RecordFeed):
    list_view = InstrumentListView
    everything_title = gettext_lazy("WCO Integrity Catalogue: new instruments")
    filtered_title = gettext_lazy("Instruments: %(filters)s")

    @classmethod
    def records(cls):
        return (
            Instrument.objects.published()
            .select_related("issuing_body")
            .prefetch_related("topics", documents_prefetch())
            .order_by(*NEWEST_FIRST)
        )

    def list_url(self):
        return reverse("instruments:list")

    def item_text(self, instrument):
        facts = instrument.get_kind_display()
        if instrument.issuing_body:
            facts = _("%(kind)s, issued by %(body)s") % {"kind": facts, "body": instrument.issuing_body.short_label}
        return "\n\n".join(part for part in (facts, instrument.description) if part)

    def item_enclosures(self, item):
        """Each public file of its documents, at its download address."""
        return enclosures(item)
