"""Bulk import and export of events (see editorial.resources for what every import shares)."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import CharWidget

from bodies.models import Body
from editorial.resources import CatalogueResource, linked, linked_many
from instruments.models import Instrument
from topics.models import Topic
from uncac.models import Article

from .models import Event, Series


class EventResource(CatalogueResource):
    """
    Events without their participants: a participation is a body in a role with a note,
    which one cell cannot hold readably. They are added in the admin, and an import leaves
    an event's participants and sources as they are.
    """

    series = linked(Series, "series")
    # Not named "format": the export form has a field of that name, for the file format.
    event_format = Field(attribute="format", column_name="format", widget=CharWidget(allow_blank=True))
    convening_bodies = linked_many(Body, "convening_bodies")
    topics = linked_many(Topic, "topics")
    instruments = linked_many(Instrument, "instruments")
    uncac_articles = linked_many(Article, "uncac_articles", key="number")

    class Meta(CatalogueResource.Meta):
        model = Event
        name = _("events")
        fields = [
            "slug",
            "title_en",
            "title_fr",
            "series",
            "session_number",
            "start_date",
            "end_date",
            "date_precision",
            "status",
            "city_en",
            "city_fr",
            "country",
            "event_format",
            "wco_role",
            "convening_bodies",
            "topics",
            "instruments",
            "uncac_articles",
            "summary_en",
            "summary_fr",
            "contact_email",
        ]

    def import_instance(self, instance, row, **kwargs):
        """Show and compare the dates as they will be stored (a one-day event ends when it starts)."""
        super().import_instance(instance, row, **kwargs)
        instance.normalise_dates()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("series").prefetch_related(
            "convening_bodies", "topics", "instruments", "uncac_articles"
        )
