from functools import cached_property

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Body


class BodyTreeFilter(django_filters.ChoiceFilter):
    """
    Choose a body by its slug. The choices show the hierarchy, and `subtree_pks(slug)`
    gives the pks of the chosen body and all its subsidiaries, so that choosing a
    parent includes the records of its subsidiary bodies. One query per request.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Body"))
        kwargs.setdefault("empty_label", _("Any body"))
        super().__init__(*args, **kwargs)

    @cached_property
    def bodies(self):
        return {body.slug: body for body in Body.objects.only("name", "short_name", "slug", "parent").tree()}

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self.extra["choices"] = [
                (slug, "\u00a0\u00a0\u00a0" * body.depth + body.label) for slug, body in self.bodies.items()
            ]
        return super().field

    def subtree_pks(self, slug):
        return self.bodies[slug].subtree_pks
