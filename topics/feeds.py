from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from catalogue.feeds import CoveringFeed

from .models import Topic


class TopicFeed(CoveringFeed):
    """The events and instruments on a topic, as on its page."""

    model = Topic

    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, topic):
        return _("%(topic)s: new events and instruments") % {"topic": topic.name}

    def link(self, topic):
        return topic.get_absolute_url()
