"""How an event is cited (citations/): the meeting, convened by its bodies, on its dates, in its place."""

from citations.registry import RecordCitation, csl_date, register
from documents.public import documents_prefetch

from .models import Event


class EventCitation(RecordCitation):
    prefetches = ("convening_bodies", documents_prefetch())

    def item(self, event):
        dates = csl_date(event.start_date, event.date_precision, event.end_date)
        item = {
            "type": "event",
            "title": event.title,
            "author": [{"literal": body.name} for body in event.convening_bodies.all()],
            # When it happened: its first day, month or year; the whole span is its event-date.
            "issued": csl_date(event.start_date, event.date_precision),
            "event-title": event.title,
            "event-date": dates,
        }
        if event.place_display:
            item["event-place"] = event.place_display
        return item


register(Event, EventCitation)
