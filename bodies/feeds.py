from django.http import Http404
from django.utils.translation import gettext as _

from catalogue.feeds import CoveringFeed

from .models import Body


class BodyFeed(CoveringFeed):
    """The events that a body or its subsidiaries convened and the instruments they issued, as on its page."""

    model = Body

    def get_object(self, request, slug):
        for body in Body.objects.public().tree():
            if body.slug == slug:
                return body
        raise Http404(_("There is no body at this address."))

    def covered_pks(self, body):
        return body.subtree_pks

    def title(self, body):
        return _("%(body)s: new events and instruments") % {"body": body.label}

    def link(self, body):
        return body.get_absolute_url()
