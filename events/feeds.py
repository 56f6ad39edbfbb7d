from django.urls import reverse
from django.utils.translation import gettext_lazy

from catalogue.feeds import NEWEST_FIRST, RecordFeed
from documents.public import documents_prefetch, enclosures

from .calendars import event_headline
from .models import Event
from .views import EventListView


class EventFeed(RecordFeed):
    list_view = EventListView
    everything_title = gettext_lazy("WCO Integrity Catalogue: new events")
    filtered_title = gettext_lazy("Events: %(filters)s")

    @classmethod
    def records(cls):
        return Event.objects.published().prefetch_related("topics", documents_prefetch()).order_by(*NEWEST_FIRST)

    def list_url(self):
        return reverse("events:list")

    def item_title(self, item):
        return event_headline(item)

    def item_text(self, event):
        facts = " · ".join(part for part in (event.dates_display, event.place_display) if part)
        return "\n\n".join(part for part in (facts, event.summary) if part)

    def item_enclosures(self, item):
        """Each public file of its documents, at its download address."""
        return enclosures(item)
