from django.db.models import Count, Q
from django.views.generic import DetailView, ListView

from publishing.models import PublicationStatus
from wcointegrity.views import CoveredRecordsMixin

from .models import Topic

PUBLISHED = PublicationStatus.PUBLISHED


class TopicListView(ListView):
    queryset = Topic.objects.annotate(
        event_count=Count("events", filter=Q(events__publication_status=PUBLISHED), distinct=True),
        instrument_count=Count("instruments", filter=Q(instruments__publication_status=PUBLISHED), distinct=True),
    )


class TopicDetailView(CoveredRecordsMixin, DetailView):
    model = Topic

    def get_events(self):
        return self.object.events.published()

    def get_instruments(self):
        return self.object.instruments.published()
