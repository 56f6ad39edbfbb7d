from django.db.models import Count, Q
from django.views.generic import DetailView, ListView

from events.models import Event
from instruments.models import Instrument
from wcointegrity.views import CoveredRecordsMixin

from .models import Topic


class TopicListView(ListView):
    # An aggregating query drops Meta.ordering, hence the explicit order_by().
    queryset = Topic.objects.order_by("name").annotate(
        event_count=Count("events", filter=Q(events__in=Event.objects.published()), distinct=True),
        instrument_count=Count("instruments", filter=Q(instruments__in=Instrument.objects.published()), distinct=True),
    )


class TopicDetailView(CoveredRecordsMixin, DetailView):
    model = Topic

    def get_events(self):
        return self.object.events.published()

    def get_instruments(self):
        return self.object.instruments.published()
