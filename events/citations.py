"""How an event is cited (citations/): the meeting, convened by its bodies, on its dates, in its place."""

from django.utils.translation import get_language

from citations.registry import RecordCitation, csl_date, register
from documents.formats import PDF
from documents.public import documents_in_order, documents_prefetch, is_download

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

    def pdf_url(self, event):
        """The first of its public PDF files, in the order of its page."""
        pdfs = (
            document
            for document in documents_in_order(event, get_language())
            if is_download(document) and document.media_type == PDF
        )
        document = next(pdfs, None)
        return document.get_absolute_url() if document else ""


register(Event, EventCitation)
