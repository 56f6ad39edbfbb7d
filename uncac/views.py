from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from catalogue.views import CoveredRecordsMixin
from events.models import Event
from instruments.models import Instrument

from .models import Article, Chapter


def articles_with_counts():
    """A chapter's articles, each with how many published instruments and events cover it."""
    return Prefetch(
        "articles",
        queryset=Article.objects.order_by("number").annotate(
            instrument_count=Count(
                "instruments", filter=Q(instruments__in=Instrument.objects.published()), distinct=True
            ),
            event_count=Count("events", filter=Q(events__in=Event.objects.published()), distinct=True),
        ),
    )


class ChapterListView(ListView):
    """The Convention chapter by chapter, with how many instruments and events cover each article."""

    template_name = "uncac/index.html"

    def get_queryset(self):
        return Chapter.objects.prefetch_related(articles_with_counts())


class ChapterDetailView(CoveredRecordsMixin, DetailView):
    """A chapter: its articles with their counts, and the events and instruments that cover any of them."""

    model = Chapter
    template_name = "uncac/chapter_detail.html"

    def get_queryset(self):
        return Chapter.objects.prefetch_related(articles_with_counts())

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    def get_events(self):
        return Event.objects.published().filter(uncac_articles__chapter=self.object).distinct()

    def get_instruments(self):
        return Instrument.objects.published().filter(uncac_articles__chapter=self.object).distinct()


class ArticleDetailView(CoveredRecordsMixin, DetailView):
    queryset = Article.objects.select_related("chapter")

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    def get_events(self):
        return self.object.events.published()

    def get_instruments(self):
        return self.object.instruments.published()
