import functools
import math

from django.conf import settings
from django.urls import Resolver404, get_resolver, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from .cache import cache, catalogue_version, layer_off, version_scope
from .parameters import UNCACHED, content_outcome, declared_query


class PublicCacheMiddleware:
    """
    Public pages served from the cache, and "304 Not Modified" to a browser that has the
    current page already, both keyed on the catalogue's version (publishing/cache.py).

    Only what every visitor would be given is cached: GET and HEAD requests of visitors
    who are not signed in and have no session (staff are always served afresh; a cookie
    that names no session does not count), for successful responses that set no cookie,
    are not private and do not vary with the visitor. Such a response carries an ETag and
    a Last-Modified date derived from the version, and `Cache-Control: no-cache` so that a
    browser or a shared cache asks again each time and is answered 304 while nothing
    changed. The admin, previews and the health probes are never cached.

    A page is cached once for what its view reads: the scheme and host, the path, the
    parameters the view declares (publishing/parameters.py: the others are taken off the
    request), and for the API what content negotiation makes of Accept. Rendering a costly
    page that is not in the cache counts against the client's "pages" rate limit
    (ratelimits/middleware.py); serving one from the cache does not. A cache that fails
    is one that holds nothing: the page is rendered afresh.
    """

    cache_control = {"public": True, "no_cache": True}

    def __init__(self, get_response):
        self.get_response = get_response
        # The probes say how the site is now; the benchmark's reference views are measured uncached;
        # the admin is never cached.
        self.excluded = (*UNCACHED, reverse("admin:index"))

    def __call__(self, request):
        with version_scope():
            match = self.public_view(request)
            if match is None:
                return self.get_response(request)
            query = declared_query(request, match)
            if is_private(request):
                return self.get_response(request)
            version = catalogue_version()
            key = version.key(
                "response", request.scheme, request.get_host(), request.path, query, content_outcome(request, match)
            )
            etag = quote_etag(key.rsplit(":", 1)[1][:16] + version.token[:8])
            # HTTP dates are to the second: rounded up, so that the date is never before the change.
            last_modified = math.ceil(version.last_modified.timestamp())
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is not None:
                return self.mark(response, etag, last_modified)
            stored = not layer_off("response")
            response = cache().get(key) if stored else None
            if response is None:
                response = self.get_response(request)
                if not self.may_store(request, response):
                    return response
                if stored:
                    cache().set(key, response, settings.CATALOGUE_CACHE_TIMEOUT)
            return self.mark(response, etag, last_modified)

    def public_view(self, request):
        """The resolved view of a GET or HEAD request for a public address, or None."""
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.excluded):
            return None
        return resolved(request)

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


def resolved(request):
    """
    The request's ResolverMatch, or None for an address that resolves to no view. The middleware
    that run before the handler need it; an address is resolved once per process and language
    (the language prefix of the public addresses is the active language's), not at each request.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        match = _resolve(get_resolver(getattr(request, "urlconf", None)), request.path_info, get_language())
    return match


@functools.lru_cache(maxsize=1024)
def _resolve(resolver, path, language):
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None


def is_private(request):
    """
    Whether the visitor is signed in or has a session that holds anything. Only a session
    cookie makes the session read, once: a cookie that names no session is no session.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return bool(user is not None and user.is_authenticated) or bool(session is not None and not session.is_empty())
