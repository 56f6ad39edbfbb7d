from catalogue.sitemaps import CatalogueSitemap

from .models import Instrument


class InstrumentSitemap(CatalogueSitemap):
    def items(self):
        return Instrument.objects.published().order_by("pk")
