"""
Probes for whoever runs the site: `/healthz` says the process answers (liveness), `/readyz`
that it can serve pages, its database answering (readiness). A cache that does not answer
leaves the site ready but "degraded": pages are then rendered afresh (publishing/sharedcache.py),
and a load balancer that took every server out of rotation for it would stop the whole site.
Never cached; no detail of a failure goes out (it goes to the log), only which part failed.
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
    ready = checks["database"]
    status = "unavailable" if not ready else "ok" if all(checks.values()) else "degraded"
    return JsonResponse(
        {"status": status, **{part: "ok" if fine else "unavailable" for part, fine in checks.items()}},
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
