from catalogue.sitemaps import CatalogueSitemap

from .models import Article, Chapter


class ArticleSitemap(CatalogueSitemap):
    def items(self):
        return Article.objects.order_by("number")


class ChapterSitemap(CatalogueSitemap):
    def items(self):
        return Chapter.objects.order_by("number")
