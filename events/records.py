from catalogue.records import register

from .feeds import EventFeed
from .filters import EventFilter
from .models import Event

register(
    Event,
    filterset=EventFilter,
    feed=EventFeed,
    # What the pages and feeds of a body, a topic, a UNCAC article or chapter list of them.
    covers={
        "bodies.Body": "convening_bodies",
        "topics.Topic": "topics",
        "uncac.Article": "uncac_articles",
        "uncac.Chapter": "uncac_articles__chapter",
    },
)
