from catalogue.sitemaps import CatalogueSitemap

from .models import Topic


class TopicSitemap(CatalogueSitemap):
    def items(self):
        return Topic.objects.public().order_by("pk")
