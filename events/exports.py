"""The events list as a file: /events/export.csv and /events/export.json (see catalogue.exports)."""

from django.db.models import Prefetch
from django.utils import timezone

from catalogue.exports import CatalogueExportView
from documents.public import described_documents, documents_prefetch
from instruments.models import Instrument

from .views import EventListView


class EventExportView(CatalogueExportView):
    """
    Each event with its facts in the request's language (English where a text has no
    translation), its convening bodies, topics, UNCAC article numbers and the published
    instruments presented at it. Participants and sources are left to the event's page.
    Its time state is the one on the date of the request, for every row alike.
    """

    list_view = EventListView
    filename = "wco-integrity-events"
    columns = [
        "url",
        "slug",
        "title",
        "start_date",
        "end_date",
        "date_precision",
        "dates",
        "status",
        "time_state",
        "city",
        "country_code",
        "country",
        "format",
        "wco_role",
        "series",
        "session_number",
        "convening_bodies",
        "topics",
        "uncac_articles",
        "instruments",
        "summary",
        "documents",
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def with_related(self, events):
        return events.select_related("series").prefetch_related(
            "convening_bodies",
            "topics",
            "uncac_articles",
            Prefetch("instruments", queryset=Instrument.objects.published()),
            documents_prefetch(),
        )

    def row(self, event):
        return {
            "url": self.absolute_url(event),
            "slug": event.slug,
            "title": event.title,
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "date_precision": event.date_precision,
            "dates": event.dates_display,
            "status": event.status,
            "time_state": event.time_state_on(self.today).value,
            "city": event.city,
            "country_code": event.country.code or "",
            "country": event.country.name if event.country else "",
            "format": event.get_format_display(),
            "wco_role": event.get_wco_role_display(),
            "series": event.series.name if event.series else None,
            "session_number": event.session_number,
            "convening_bodies": [body.label for body in event.convening_bodies.all()],
            "topics": [topic.name for topic in event.topics.all()],
            "uncac_articles": [article.number for article in event.uncac_articles.all()],
            "instruments": [instrument.title for instrument in event.instruments.all()],
            "summary": event.summary,
            "documents": described_documents(event, self.request.build_absolute_uri),
        }
