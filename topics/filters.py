from django.utils.translation import gettext_lazy as _

from catalogue.filters import ChoiceFacet

from .models import Topic


def topic_choices(model):
    """The topics of the published records of `model`."""
    return Topic.objects.filter(pk__in=model.objects.published().values("topics")).choices()


class TopicFacet(ChoiceFacet):
    """The topics a record is about, by slug."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Topic"))
        super().__init__(field_name="topics__slug", choices=topic_choices, **kwargs)
