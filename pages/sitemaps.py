from django.urls import reverse

from bodies.sitemaps import BodySitemap
from catalogue.sitemaps import CatalogueSitemap, record_sitemaps
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
    **record_sitemaps(),
    "bodies": BodySitemap,
    "topics": TopicSitemap,
    "uncac-chapters": ChapterSitemap,
    "uncac": ArticleSitemap,
}
