from django.contrib.sitemaps import Sitemap

from .records import record_types


class CatalogueSitemap(Sitemap):
    """Each page in every language of the site, with the addresses of its translations."""

    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(CatalogueSitemap):
    """The page of each published record of a registered kind (records.py)."""

    def __init__(self, record_type):
        self.record_type = record_type

    def items(self):
        return self.record_type.model.objects.published().order_by("pk")


def record_sitemaps():
    """{"events": its sitemap, ...} for every registered kind of record."""
    return {f"{record_type.name}s": RecordSitemap(record_type) for record_type in record_types()}
