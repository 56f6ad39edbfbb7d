from django.db.models import Count, Q
from django.views.generic import DetailView, ListView

from catalogue.collation import sort_key
from catalogue.views import CoveredRecordsMixin
from events.models import Event
from instruments.models import Instrument

from .models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"

    def get_queryset(self):
        topics = Topic.objects.public().annotate(
            event_count=Count("events", filter=Q(events__in=Event.objects.published()), distinct=True),
            instrument_count=Count(
                "instruments", filter=Q(instruments__in=Instrument.objects.published()), distinct=True
            ),
        )
        return sorted(topics, key=lambda topic: sort_key(topic.name))


class TopicDetailView(CoveredRecordsMixin, DetailView):
    model = Topic

    def get_queryset(self):
        return Topic.objects.public()

    def get_events(self):
        return self.object.events.published()

    def get_instruments(self):
        return self.object.instruments.published()
