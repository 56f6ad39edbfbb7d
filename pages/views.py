from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import escape_leading_slashes
from django.views.generic import TemplateView

from bodies.models import Body
from events.models import Event
from instruments.models import Instrument
from publishing.cache import cached
from topics.models import Topic


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**cached(("home",), self.catalogue_summary, per_language=False), **kwargs)

    @staticmethod
    def catalogue_summary():
        """The latest events, the key instruments and the totals: read once in each version of the catalogue."""
        return {
            "latest_events": list(Event.objects.published().for_listing()[:5]),
            "key_instruments": list(Instrument.objects.published().filter(is_featured=True).for_listing()),
            "event_count": Event.objects.published().count(),
            "instrument_count": Instrument.objects.published().count(),
            "body_count": Body.objects.public().count(),
            "topic_count": Topic.objects.public().count(),
        }


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sitemap_url=self.request.build_absolute_uri(reverse("sitemap")), **kwargs)


def page_not_found(request, exception):
    """The 404 page, with the reason when the code that raised it gave one in words."""
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    # The address without its query string, kept on this site: //example.org/ is not another site's.
    path = escape_leading_slashes(escape_uri_path(request.path))
    return render(request, "404.html", {"message": reason, "path": path}, status=404)
