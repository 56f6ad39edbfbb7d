from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from catalogue.collation import sort_key
from choices.constraints import ChoicesConstraint
from editorial.models import Lockable
from publishing.cache import kept
from publishing.models import used_by_published


class BodyKind(models.TextChoices):
    UN_ENTITY = "un_entity", _("UN entity")
    TREATY_BODY = "treaty_body", _("Treaty body")
    SUBSIDIARY_BODY = "subsidiary_body", _("Subsidiary body")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    WCO_BODY = "wco_body", _("WCO body")
    CUSTOMS_ADMINISTRATION = "customs_administration", _("Customs administration")
    NATIONAL_UNIT = "national_unit", _("Unit of a national administration")
    OTHER = "other", _("Other")


class BodyQuerySet(models.QuerySet):
    def public(self, reviewed=False):
        """
        The bodies that the public sees, on any page, list, filter, feed or answer of the API:
        those that convened, took part in or issued a published record or published one of its
        sources, their parents, and the secretariats of any of these (UNODC is public as the
        Conference's secretariat). With `reviewed`,
        also those that records in review or scheduled for later use: what a save would change
        on public pages with no review. The public's set is worked out once a catalogue version.
        """
        if reviewed:
            return self.filter(pk__in=self.used_with_parents(reviewed=True))
        return self.filter(pk__in=kept(("public bodies",), self.used_with_parents, per_language=False))

    def used_with_parents(self, reviewed=False):
        """The keys of the bodies that `public()` gives, in two queries."""
        from sources.models import Source

        used = used_by_published(self.model, reviewed) | models.Q(
            pk__in=Source.objects.public(reviewed).values("publisher")
        )
        rows = (
            self.model._base_manager.using(self._db)
            .annotate(is_used=models.ExpressionWrapper(used, output_field=models.BooleanField()))
            .values_list("pk", "parent", "secretariat", "is_used")
        )
        above, public = {}, set()
        for pk, parent, secretariat, is_used in rows:
            above[pk] = {parent, secretariat} - {None}
            if is_used:
                public.add(pk)
        pending = list(public)
        while pending:
            for pk in above.get(pending.pop(), ()):
                if pk not in public:
                    public.add(pk)
                    pending.append(pk)
        return public

    def tree(self):
        """
        Return the bodies depth-first, parents before their subsidiaries, in one
        query. Each body carries `depth` (0 for a top-level body), `ancestors`
        (from the top down), `children`, `served_by` (its secretariat), `served` (the
        bodies it is the secretariat of) and `subtree_pks`: its own pk, its subsidiaries',
        and those of the bodies it serves as secretariat with their subsidiaries: the
        bodies whose records its page, feed and filter take in.
        """
        bodies = list(self)
        by_pk = {body.pk: body for body in bodies}
        children = {}
        served = {}
        roots = []
        for body in bodies:
            if body.parent_id in by_pk:
                children.setdefault(body.parent_id, []).append(body)
            else:
                roots.append(body)
            # Without its secretariat loaded (`only()`), a body is read as having none.
            body.served_by = by_pk.get(body.__dict__.get("secretariat_id"))
            if body.served_by is not None:
                served.setdefault(body.secretariat_id, []).append(body)

        ordered = []

        def visit(body, ancestors):
            body.depth = len(ancestors)
            body.ancestors = ancestors
            body.children = children.get(body.pk, [])
            body.served = served.get(body.pk, [])
            body.subtree_pks = {body.pk}
            ordered.append(body)
            for child in body.children:
                visit(child, [*ancestors, body])
                body.subtree_pks |= child.subtree_pks

        for siblings in [roots, *children.values(), *served.values()]:
            siblings.sort(key=lambda body: sort_key(body.name))
        for root in roots:
            visit(root, [])
        # A secretariat takes in the subtrees of the bodies it serves, and of those they serve in turn.
        within = {body.pk: set(body.subtree_pks) for body in ordered}
        for body in ordered:
            pending = [served_body.pk for pk in within[body.pk] for served_body in served.get(pk, [])]
            while pending:
                pk = pending.pop()
                if pk not in body.subtree_pks:
                    body.subtree_pks |= within[pk]
                    pending.extend(served_body.pk for inner in within[pk] for served_body in served.get(inner, []))
        return ordered


class Body(Lockable):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Acronym or usual short form, e.g. IRG.")
    )
    slug = models.SlugField(_("slug"), max_length=100, db_index=False)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        help_text=_("The body this one belongs to or reports to."),
    )
    secretariat = models.ForeignKey(
        "self",
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_of",
        help_text=_(
            "The body that serves this one as secretariat, e.g. UNODC for the Conference of the States Parties. "
            "The secretariat's page, feed and filter include this body's records."
        ),
    )
    country = CountryField(
        _("country"), blank=True, help_text=_("For a national administration: the country it serves.")
    )
    established_year = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="body_slug_unique"),
            ChoicesConstraint(condition=models.Q(kind__in=BodyKind.values), name="body_kind_valid"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="body_not_own_parent"),
            models.CheckConstraint(condition=~models.Q(secretariat=models.F("id")), name="body_not_own_secretariat"),
            models.CheckConstraint(
                condition=models.Q(established_year__isnull=True) | models.Q(established_year__range=(1000, 9999)),
                name="body_established_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bodies:detail", kwargs={"slug": self.slug})

    @property
    def short_label(self):
        """The usual short form, or the name where there is none."""
        return self.short_name or self.name

    @property
    def label(self):
        """The name with its short form, as in "Integrity Sub-Committee (ISC)"."""
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def clean(self):
        super().clean()
        ancestor = self.parent
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A body cannot be placed under itself or one of its subsidiaries.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.pk is not None and self.secretariat_id == self.pk:
            raise ValidationError({"secretariat": _("A body cannot be its own secretariat.")})
