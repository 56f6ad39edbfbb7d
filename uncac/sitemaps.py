from wcointegrity.sitemaps import CatalogueSitemap

from .models import Article


class ArticleSitemap(CatalogueSitemap):
    def items(self):
        return Article.objects.order_by("number")
