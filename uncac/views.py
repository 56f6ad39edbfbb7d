from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from events.models import Event
from instruments.models import Instrument
from wcointegrity.views import CoveredRecordsMixin

from .models import Article, Chapter


class ChapterListView(ListView):
    """The Convention chapter by chapter, with how many instruments and events cover each article."""

    template_name = "uncac/index.html"

    def get_queryset(self):
        return Chapter.objects.prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.order_by("number").annotate(
                    instrument_count=Count(
                        "instruments", filter=Q(instruments__in=Instrument.objects.published()), distinct=True
                    ),
                    event_count=Count("events", filter=Q(events__in=Event.objects.published()), distinct=True),
                ),
            )
        )


class ArticleDetailView(CoveredRecordsMixin, DetailView):
    queryset = Article.objects.select_related("chapter")

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    def get_events(self):
        return self.object.events.published()

    def get_instruments(self):
        return self.object.instruments.published()
