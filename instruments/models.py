from collections import defaultdict

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint
from documents.models import Documented
from editorial.models import Lockable
from publishing.models import Publishable, PublishableQuerySet


class InstrumentKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    RESOLUTION = "resolution", _("Resolution")
    PROGRAMME = "programme", _("Programme")
    WORK_PROGRAMME = "work_programme", _("Work programme")
    ACTION_PLAN = "action_plan", _("Action plan")
    SURVEY = "survey", _("Survey")
    MECHANISM = "mechanism", _("Mechanism")
    GUIDE = "guide", _("Guide")
    GUIDANCE = "guidance", _("Guidance")
    TRAINING_MATERIALS = "training_materials", _("Training materials")
    E_LEARNING = "e_learning", _("E-learning module")
    OTHER = "other", _("Other")


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("WCO Members only")


class InstrumentQuerySet(PublishableQuerySet):
    def issued_by(self, body_pks):
        return self.filter(issuing_body__in=body_pks)

    def for_listing(self):
        """What a list of instruments shows: the issuing body and the UNCAC articles."""
        return self.select_related("issuing_body").prefetch_related("uncac_articles")

    def of_year(self, year):
        """Instruments adopted, released or revised in the given year."""
        return self.in_years([year])

    def in_years(self, years):
        """Instruments adopted, released or revised in any of the given years."""
        return self.filter(models.Q(year_adopted__in=years) | models.Q(year_revised__in=years))

    def year_pairs(self):
        """(pk, year) for each year in which each of these instruments was adopted, released or revised."""
        years = self.order_by().values_list("pk", "year_adopted", "year_revised")
        return ((pk, year) for pk, adopted, revised in years for year in {adopted, revised} - {None})

    def count_per_year(self):
        """{year: how many of these instruments were adopted, released or revised that year}, in one query."""
        pairs = (
            self.order_by()
            .values("year_adopted", "year_revised")
            .annotate(instruments=models.Count("pk"))
            .values_list("year_adopted", "year_revised", "instruments")
        )
        counts = defaultdict(int)
        for adopted, revised, instruments in pairs:
            for year in {adopted, revised} - {None}:
                counts[year] += instruments
        return dict(counts)


class Instrument(Documented, Lockable, Publishable):
    # Its documents are saved in its history with it, so that restoring an instrument restores them too.
    history_follows = ("documents",)
    # The home page's choice, not a fact of the instrument: no correction to the public record.
    history_private = ("is_featured",)

    title = models.CharField(_("title"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, db_index=False)
    kind = models.CharField(_("kind"), max_length=32, choices=InstrumentKind.choices)
    issuing_body = models.ForeignKey(
        "bodies.Body",
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    year_adopted = models.PositiveSmallIntegerField(
        _("year adopted or released"), null=True, blank=True, db_index=True
    )
    year_revised = models.PositiveSmallIntegerField(_("year revised"), null=True, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    uncac_articles = models.ManyToManyField(
        "uncac.Article", verbose_name=_("UNCAC articles"), blank=True, related_name="instruments"
    )
    topics = models.ManyToManyField("topics.Topic", verbose_name=_("topics"), blank=True, related_name="instruments")
    url = models.URLField(_("address"), max_length=500, blank=True, help_text=_("Where the instrument can be read."))
    platform = models.CharField(
        _("platform"), max_length=100, blank=True, help_text=_("The platform that hosts it, e.g. CLiKC!")
    )
    access = models.CharField(_("access"), max_length=16, choices=Access.choices, blank=True)
    programme = models.ForeignKey(
        "self",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        limit_choices_to={"kind": InstrumentKind.PROGRAMME},
        help_text=_("The programme under which it was made, if any."),
    )
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown among the key instruments on the home page.")
    )
    sources = models.ManyToManyField(
        "sources.Source", verbose_name=_("sources"), blank=True, related_name="instruments"
    )
    # Kept up to date on PostgreSQL by the search app; empty on SQLite, which searches the texts.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["title"]
        indexes = [*Publishable.Meta.indexes]
        permissions = [("publish_instrument", _("Can publish and unpublish instruments"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["slug"], name="instrument_slug_unique"),
            ChoicesConstraint(condition=models.Q(kind__in=InstrumentKind.values), name="instrument_kind_valid"),
            ChoicesConstraint(condition=models.Q(access__in=["", *Access.values]), name="instrument_access_valid"),
            models.CheckConstraint(
                condition=models.Q(year_adopted__isnull=True) | models.Q(year_adopted__range=(1000, 9999)),
                name="instrument_year_adopted_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(year_revised__isnull=True) | models.Q(year_revised__range=(1000, 9999)),
                name="instrument_year_revised_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(year_revised__isnull=True)
                | models.Q(year_adopted__isnull=True)
                | models.Q(year_revised__gte=models.F("year_adopted")),
                name="instrument_revised_not_before_adopted",
            ),
            models.CheckConstraint(condition=~models.Q(programme=models.F("id")), name="instrument_not_own_programme"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("instruments:detail", kwargs={"slug": self.slug})
