from functools import cached_property
from typing import NamedTuple

import django_filters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.filters import Facet, FacetChoiceField
from publishing.cache import kept

from .models import Body


class BodyPlace(NamedTuple):
    """A body's place in the hierarchy, as the facet needs it."""

    pk: int
    label: str
    depth: int
    subtree_pks: frozenset


class BodyFacet(Facet, django_filters.MultipleChoiceFilter):
    """
    Bodies chosen by slug. Choosing a body includes the records of its subsidiaries and of
    the bodies it serves as secretariat (Body.objects.tree()'s `subtree_pks`), and its count
    takes them in, each record once. `relation` is the path from the record to
    its body: "convening_bodies" for events, "issuing_body" for instruments.
    """

    field_class = FacetChoiceField

    def __init__(self, *args, relation, **kwargs):
        self.relation = relation
        kwargs.setdefault("label", _("Body"))
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def relations_read(self):
        return [self.relation]

    @cached_property
    def bodies(self):
        """{slug: BodyPlace} of the public bodies, parents before subsidiaries; cached in the catalogue's version."""
        return kept(("body-tree", "places"), self.read_bodies)

    @staticmethod
    def read_bodies():
        return {
            body.slug: BodyPlace(body.pk, BodyFacet.body_label(body), body.depth, frozenset(body.subtree_pks))
            for body in Body.objects.public().only("name", "short_name", "slug", "parent", "secretariat").tree()
        }

    @staticmethod
    def body_label(body):
        """Its label, which says so when choosing it takes in the bodies it serves as secretariat."""
        if body.served:
            return gettext("%(body)s, with the bodies it serves as secretariat") % {"body": body.label}
        return body.label

    @property
    def field(self):
        if not hasattr(self, "_field"):
            # A callable, which the form neither copies nor checks each time it is built.
            self.extra["choices"] = lambda: [(slug, body.label) for slug, body in self.bodies.items()]
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

    def index_pairs(self, queryset):
        """A record counts for each body whose choice includes the body it is linked to."""
        slugs = {}
        for slug, body in self.bodies.items():
            for pk in body.subtree_pks:
                slugs.setdefault(pk, []).append(slug)
        for pk, body_pk in queryset.values_list("pk", self.relation):
            for slug in slugs.get(body_pk, []):
                yield pk, slug
