import math

from django.conf import settings
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .cache import cache, catalogue_version, version_scope


class PublicCacheMiddleware:
    """
    Public pages served from the cache, and "304 Not Modified" to a browser that has the
    current page already, both keyed on the catalogue's version (publishing/cache.py).

    Only what every visitor would be given is cached: GET and HEAD requests without a
    session (staff are always served afresh), for successful responses that set no
    cookie, are not private and do not vary with the visitor. Such a response carries an
    ETag and a Last-Modified date derived from the version, and `Cache-Control: no-cache`
    so that a browser or a shared cache asks again each time and is answered 304 while
    nothing changed. The admin, previews and the health probes are never cached.
    """

    cache_control = {"public": True, "no_cache": True}

    def __init__(self, get_response):
        self.get_response = get_response
        # The probes say how the site is now; the benchmark's reference views are measured uncached;
        # the admin is never cached.
        self.excluded = ("/healthz", "/readyz", "/bench/", reverse("admin:index"))

    def __call__(self, request):
        with version_scope():
            if not self.may_use_cache(request):
                return self.get_response(request)
            version = catalogue_version()
            # The API answers some types of content and refuses others: the key holds what was asked for.
            key = version.key("response", request.get_full_path(), request.headers.get("Accept", ""))
            etag = quote_etag(key.rsplit(":", 1)[1][:16] + version.token[:8])
            # HTTP dates are to the second: rounded up, so that the date is never before the change.
            last_modified = math.ceil(version.last_modified.timestamp())
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is not None:
                return self.mark(response, etag, last_modified)
            response = cache().get(key)
            if response is None:
                response = self.get_response(request)
                if not self.may_store(request, response):
                    return response
                cache().set(key, response, settings.CATALOGUE_CACHE_TIMEOUT)
            return self.mark(response, etag, last_modified)

    def may_use_cache(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(self.excluded)
        )

    def may_store(self, request, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and set(self.vary_headers(response)) <= {"accept-language"}
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )

    @staticmethod
    def vary_headers(response):
        return [header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()]

    def mark(self, response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, **self.cache_control)
        return response
