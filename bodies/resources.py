"""Bulk import and export of bodies: the columns, in editorial.resources' common format."""

from django.utils.translation import gettext_lazy as _

from editorial.resources import CatalogueResource, linked

from .models import Body


class BodyResource(CatalogueResource):
    parent = linked(Body, "parent")

    class Meta(CatalogueResource.Meta):
        model = Body
        name = _("bodies")
        fields = [
            "slug",
            "name_en",
            "name_fr",
            "short_name_en",
            "short_name_fr",
            "kind",
            "parent",
            "country",
            "established_year",
            "website",
            "description_en",
            "description_fr",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent")
