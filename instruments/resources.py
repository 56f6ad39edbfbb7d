"""Bulk import and export of instruments (see editorial.resources for what every import shares)."""

from django.utils.translation import gettext_lazy as _

from bodies.models import Body
from editorial.resources import CatalogueResource, linked, linked_many
from topics.models import Topic
from uncac.models import Article

from .models import Instrument, InstrumentKind


class InstrumentResource(CatalogueResource):
    """
    Instruments without their sources, which an import leaves as they are, and without the
    "featured" mark, which picks what the home page shows and belongs with publication.
    """

    issuing_body = linked(Body, "issuing_body")
    programme = linked(Instrument, "programme", limit={"kind": InstrumentKind.PROGRAMME}, noun=_("programme"))
    uncac_articles = linked_many(Article, "uncac_articles", key="number")
    topics = linked_many(Topic, "topics")

    class Meta(CatalogueResource.Meta):
        model = Instrument
        name = _("instruments")
        fields = [
            "slug",
            "title_en",
            "title_fr",
            "short_name_en",
            "short_name_fr",
            "kind",
            "issuing_body",
            "programme",
            "year_adopted",
            "year_revised",
            "url",
            "platform",
            "access",
            "uncac_articles",
            "topics",
            "description_en",
            "description_fr",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("issuing_body", "programme").prefetch_related("uncac_articles", "topics")
