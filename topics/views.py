from django.views.generic import DetailView, ListView

from catalogue.collation import sort_key
from catalogue.records import with_counts
from catalogue.views import CoveredRecordsMixin

from .models import Topic


class TopicListView(ListView):
    template_name = "topics/topic_list.html"

    def get_queryset(self):
        return sorted(with_counts(Topic.objects.public()), key=lambda topic: sort_key(topic.name))


class TopicDetailView(CoveredRecordsMixin, DetailView):
    model = Topic

    def get_queryset(self):
        return Topic.objects.public()
