"""
Probes for whoever runs the site: `/healthz` says the process answers (liveness), `/readyz`
that it can serve pages, its database and cache answering (readiness). Never cached; no
detail of a failure goes out (it goes to the log), only which part failed.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks = {"database": database_answers(), "cache": cache_answers()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            **{part: "ok" if fine else "unavailable" for part, fine in checks.items()},
        },
        status=200 if ready else 503,
    )


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Readiness: the database does not answer.")
        return False


def cache_answers():
    try:
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"
    except Exception:  # Any cache backend's own error: the probe must answer, not fail.
        logger.exception("Readiness: the cache does not answer.")
        return False
