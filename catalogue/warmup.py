"""
What a new server process prepares before it answers: the facet indexes of the lists of every
registered kind of record (catalogue/records.py, catalogue/facetindex.py), which take seconds to
build at 100,000 events. gunicorn.conf.py calls `warm_up` in each new worker, while the other
workers answer.
"""

import logging

from django.db import DatabaseError

from publishing.cache import version_scope

from .records import record_types

logger = logging.getLogger(__name__)


def warm_up():
    """Build the facet indexes of the lists, or take them from the shared cache; if the database fails, leave them."""
    try:
        with version_scope():
            for record_type in record_types():
                record_type.filterset(queryset=record_type.model.objects.published()).index  # noqa: B018 (built on first reading)
    except DatabaseError as error:
        logger.warning("The facet indexes will be built by the first requests: %s", error)
