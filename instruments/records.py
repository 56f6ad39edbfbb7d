from catalogue.records import register

from .feeds import InstrumentFeed
from .filters import InstrumentFilter
from .models import Instrument

register(
    Instrument,
    filterset=InstrumentFilter,
    feed=InstrumentFeed,
    # What the pages and feeds of a body, a topic, a UNCAC article or chapter list of them.
    covers={
        "bodies.Body": "issuing_body",
        "topics.Topic": "topics",
        "uncac.Article": "uncac_articles",
        "uncac.Chapter": "uncac_articles__chapter",
    },
)
