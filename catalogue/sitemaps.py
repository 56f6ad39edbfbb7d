from django.contrib.sitemaps import Sitemap


class CatalogueSitemap(Sitemap):
    """Each page in every language of the site, with the addresses of its translations."""

    i18n = True
    alternates = True
    x_default = True
