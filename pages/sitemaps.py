from django.urls import reverse

from bodies.sitemaps import BodySitemap
from catalogue.sitemaps import CatalogueSitemap
from events.sitemaps import EventSitemap
from instruments.sitemaps import InstrumentSitemap
from topics.sitemaps import TopicSitemap
from uncac.sitemaps import ArticleSitemap, ChapterSitemap


class ListSitemap(CatalogueSitemap):
    """The home page and the lists."""

    changefreq = "weekly"

    def items(self):
        return ["home", "events:list", "timeline", "instruments:list", "bodies:list", "topics:list", "uncac:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "lists": ListSitemap,
    "events": EventSitemap,
    "instruments": InstrumentSitemap,
    "bodies": BodySitemap,
    "topics": TopicSitemap,
    "uncac-chapters": ChapterSitemap,
    "uncac": ArticleSitemap,
}
