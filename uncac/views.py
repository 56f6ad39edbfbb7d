from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from catalogue.records import with_counts
from catalogue.views import CoveredRecordsMixin

from .models import Article, Chapter


def articles_with_counts():
    """A chapter's articles, each with how many published instruments and events cover it."""
    return Prefetch("articles", queryset=with_counts(Article.objects.order_by("number")))


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


class ArticleDetailView(CoveredRecordsMixin, DetailView):
    queryset = Article.objects.select_related("chapter")

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])
