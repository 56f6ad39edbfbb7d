from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from catalogue.views import CoveredRecordsMixin
from events.models import Event
from instruments.models import Instrument

from .models import Body


class BodyListView(ListView):
    template_name = "bodies/body_list.html"

    def get_queryset(self):
        bodies = Body.objects.public().tree()
        counts = Event.objects.published().count_per_body(bodies)
        for body in bodies:
            body.event_count = counts[body.pk]
        return bodies

    def get_context_data(self, **kwargs):
        top_level = [body for body in self.object_list if body.depth == 0]
        return super().get_context_data(top_level=top_level, **kwargs)


class BodyDetailView(CoveredRecordsMixin, DetailView):
    """A body, its place in the hierarchy, and what it and its subsidiaries convened and issued."""

    model = Body

    def get_object(self, queryset=None):
        for body in Body.objects.public().tree():
            if body.slug == self.kwargs["slug"]:
                return body
        raise Http404(_("There is no body at this address."))

    def get_events(self):
        return Event.objects.published().convened_by(self.object.subtree_pks)

    def get_instruments(self):
        return Instrument.objects.published().issued_by(self.object.subtree_pks)

    def get_context_data(self, **kwargs):
        attended = Event.objects.published().attended_by([self.object.pk])
        return super().get_context_data(
            attended_events=attended.for_listing()[: self.listed], attended_count=attended.count(), **kwargs
        )
