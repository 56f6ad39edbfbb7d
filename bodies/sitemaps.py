from catalogue.sitemaps import CatalogueSitemap

from .models import Body


class BodySitemap(CatalogueSitemap):
    def items(self):
        return Body.objects.public().order_by("pk")
