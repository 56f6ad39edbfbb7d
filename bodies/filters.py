from functools import cached_property

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wcointegrity.filters import Facet, FacetChoiceField

from .models import Body


class BodyFacet(Facet, django_filters.MultipleChoiceFilter):
    """
    Bodies chosen by slug. Choosing a body includes the records of its subsidiaries, and
    its count takes them in, each record once. `relation` is the path from the record to
    its body: "convening_bodies" for events, "issuing_body" for instruments. One query for
    the hierarchy and two for the counts, whatever the number of bodies and records.
    """

    field_class = FacetChoiceField

    def __init__(self, *args, relation, **kwargs):
        self.relation = relation
        kwargs.setdefault("label", _("Body"))
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    @cached_property
    def bodies(self):
        return {body.slug: body for body in Body.objects.only("name", "short_name", "slug", "parent").tree()}

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self.extra["choices"] = [(slug, body.label) for slug, body in self.bodies.items()]
        return super().field

    def labelled_values(self):
        for slug, body in self.bodies.items():
            yield slug, body.label, body.depth

    def subtree_pks(self, slugs):
        return set().union(*(self.bodies[slug].subtree_pks for slug in slugs))

    def filter(self, queryset, value):
        if not value:
            return queryset
        matching = queryset.model._base_manager.filter(**{f"{self.relation}__in": self.subtree_pks(value)})
        return queryset.filter(pk__in=matching.values("pk"))

    def counts(self, queryset):
        queryset = queryset.order_by()
        direct = dict(
            queryset.values(self.relation)
            .annotate(records=Count("pk", distinct=True))
            .values_list(self.relation, "records")
        )
        counts = {slug: direct.get(body.pk, 0) for slug, body in self.bodies.items() if not body.children}
        # A record convened jointly by a body and its subsidiary counts once for the parent.
        parents = [body for body in self.bodies.values() if body.children and direct.keys() & body.subtree_pks]
        if parents:
            totals = queryset.aggregate(
                **{
                    f"body_{body.pk}": Count(
                        "pk", distinct=True, filter=Q(**{f"{self.relation}__in": body.subtree_pks})
                    )
                    for body in parents
                }
            )
            counts.update({body.slug: totals[f"body_{body.pk}"] for body in parents})
        return counts
