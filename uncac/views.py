from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from publishing.models import PublicationStatus
from wcointegrity.views import CoveredRecordsMixin

from .models import Article, Chapter

PUBLISHED = PublicationStatus.PUBLISHED


class ChapterListView(ListView):
    """The Convention chapter by chapter, with how many instruments and events cover each article."""

    template_name = "uncac/index.html"
    queryset = Chapter.objects.prefetch_related(
        Prefetch(
            "articles",
            queryset=Article.objects.annotate(
                instrument_count=Count(
                    "instruments", filter=Q(instruments__publication_status=PUBLISHED), distinct=True
                ),
                event_count=Count("events", filter=Q(events__publication_status=PUBLISHED), distinct=True),
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
