"""
What a new server process prepares before it answers: the facet indexes of the lists
(wcointegrity/facetindex.py), which take seconds to build at 100,000 events. gunicorn.conf.py
calls `warm_up` in each new worker, while the other workers answer.
"""

import logging

from django.db import DatabaseError

from events.filters import EventFilter
from events.models import Event
from instruments.filters import InstrumentFilter
from instruments.models import Instrument
from publishing.cache import version_scope

logger = logging.getLogger(__name__)

LISTS = [(EventFilter, Event), (InstrumentFilter, Instrument)]


def warm_up():
    """Build the facet indexes of the lists, or take them from the shared cache; if the database fails, leave them."""
    try:
        with version_scope():
            for filterset_class, model in LISTS:
                filterset_class(queryset=model.objects.published()).index  # noqa: B018 (built on first reading)
    except DatabaseError as error:
        logger.warning("The facet indexes will be built by the first requests: %s", error)
