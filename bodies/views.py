from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from catalogue.records import covering_types
from catalogue.views import CoveredRecordsMixin

from .models import Body


class BodyListView(ListView):
    """The bodies as a tree, each with how many published records of each kind it and its subsidiaries cover."""

    template_name = "bodies/body_list.html"

    def get_queryset(self):
        bodies = Body.objects.public().tree()
        for record_type in covering_types(Body):
            per_body = record_type.published_per(Body)
            for body in bodies:
                count = len(set().union(*(per_body[pk] for pk in body.subtree_pks)))
                setattr(body, f"{record_type.name}_count", count)
        return bodies

    def get_context_data(self, **kwargs):
        top_level = [body for body in self.object_list if body.depth == 0]
        return super().get_context_data(top_level=top_level, **kwargs)


class BodyDetailView(CoveredRecordsMixin, DetailView):
    """A body, its place in the hierarchy, what it and its subsidiaries convened and issued, and what it attended."""

    model = Body

    def get_object(self, queryset=None):
        for body in Body.objects.public().tree():
            if body.slug == self.kwargs["slug"]:
                return body
        raise Http404(_("There is no body at this address."))

    def covered_pks(self):
        return self.object.subtree_pks

    def get_context_data(self, **kwargs):
        attended = self.object.attended_events.published()
        return super().get_context_data(
            attended_events=attended.for_listing()[: self.listed], attended_count=attended.count(), **kwargs
        )
