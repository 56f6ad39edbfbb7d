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
            self.extra["choices"] = self.grouped_choices()
        return super().field

    def grouped_choices(self):
        """
        A top-level body with subsidiaries becomes a group holding it and its subsidiaries,
        indented by depth, so that the hierarchy is announced as well as seen.
        """
        choices = []
        for body in self.bodies.values():
            option = (body.slug, "\u00a0\u00a0\u00a0" * body.depth + body.label)
            if body.depth:
                choices[-1][1].append(option)
            elif body.children:
                choices.append((body.label, [option]))
            else:
                choices.append(option)
        return choices

    def subtree_pks(self, slug):
        return self.bodies[slug].subtree_pks
