"""
When the database cannot be reached, the public pages and the admin answer "503 Service
Unavailable" with Retry-After and a short page saying that the catalogue is briefly
unavailable, rather than a server error. The wait for the database is bounded by the
connection and pool timeouts of settings.DATABASES, so the answer comes in seconds.

A form submitted meanwhile was not saved (the admin saves in a transaction, rolled back):
the page says so, and that saving again once the site is back will work, as the browser
still holds the form. /healthz answers as ever, /readyz says that the database is
unavailable (wcointegrity/health.py).
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# Psycopg's pool timeout is an OperationalError too.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class DatabaseOutageMiddleware:
    """
    Answers 503 to a request that failed for want of the database: in process_exception when
    the view failed, or in place of the 500 when a later middleware did (the request is marked
    by `mark_outage`). So it comes before every middleware that may query the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return unavailable(request, request.database_unavailable, changes_lost=False)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return unavailable(request, exception, changes_lost=request.method not in SAFE_METHODS)
        return None


@receiver(got_request_exception, dispatch_uid="wcointegrity.outage.mark_outage")
def mark_outage(sender, request=None, **kwargs):
    """Marks a request that a middleware failed for want of the database, as Django turns it into a 500."""
    error = sys.exception()
    if request is not None and isinstance(error, OUTAGE_ERRORS):
        request.database_unavailable = error


class AnsweredOutageFilter(logging.Filter):
    """
    Keeps Django's error record of a request answered as an outage out of the log (on the
    "django.request" logger): `unavailable` logs a warning for it instead.
    """

    def filter(self, record):
        return not getattr(getattr(record, "request", None), "database_unavailable", False)


def unavailable(request, error, changes_lost):
    request.database_unavailable = error
    logger.warning(
        "The database is unavailable: %s %s answered 503 (%s: %s).",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().partition("\n")[0],
    )
    with translation.override(getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)):
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": gettext("The catalogue is briefly unavailable")}, status=503)
        else:
            # The address asked for, kept on this site: //example.org/ is not another site's.
            retry_url = escape_leading_slashes(request.get_full_path())
            response = render(request, "503.html", {"changes_lost": changes_lost, "retry_url": retry_url}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
