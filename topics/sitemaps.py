from wcointegrity.sitemaps import CatalogueSitemap

from .models import Topic


class TopicSitemap(CatalogueSitemap):
    def items(self):
        return Topic.objects.order_by("pk")
