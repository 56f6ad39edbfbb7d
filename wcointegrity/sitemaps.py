from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CatalogueSitemap(Sitemap):
    """Each page in every language of the site, with the addresses of its translations."""

    i18n = True
    alternates = True
    x_default = True


class ListSitemap(CatalogueSitemap):
    """The home page and the lists."""

    changefreq = "weekly"

    def items(self):
        return ["home", "events:list", "timeline", "instruments:list", "bodies:list", "topics:list", "uncac:index"]

    def location(self, item):
        return reverse(item)
