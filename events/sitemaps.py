from catalogue.sitemaps import CatalogueSitemap

from .models import Event


class EventSitemap(CatalogueSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")
