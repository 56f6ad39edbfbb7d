"""
Rate limits on the costly public requests, per client address: searches, downloads
(CSV and JSON exports), calendars, Atom feeds and the API, each group with its own rate
(settings.RATELIMIT_RATES). Past the limit the answer is a 429 with Retry-After, the
seconds until the client's window ends: a short page, or JSON for the API.

The costliest pages to render (COSTLY_PAGES: the timeline, the lists, the events'
calendar, the sitemap) have a limit of their own, "pages", which counts only the times
they are rendered (RenderLimitMiddleware): served from the public cache
(publishing/middleware.py), they are not counted, so that a visitor is never refused a
page that costs nothing, while a client that asks for page after page that nobody asked
for before is. Everything else (the
pages of records, the admin) is never limited.

The counts are kept in the cache named by RATELIMIT_USE_CACHE, with django-ratelimit's
fixed windows; the cache must be shared by every process that serves the site.
"""

from django.conf import settings
from django.core import checks
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage

from publishing.middleware import resolved
from publishing.sharedcache import cache_available, write_failed

from .clients import client_bucket

EXPORTS = {"export_csv", "export_json", "export_ris", "export_bibtex", "export_csl"}
CALENDARS = {"calendar", "event_calendar"}
FEEDS = {"feed", "search_feed"}
# The public pages that cost the most to render, counted in "pages" only when they are rendered:
# the timeline, the lists, the calendar of the events (all of them, or as the list filters them), the sitemap.
COSTLY_PAGES = {
    "timeline",
    "events:list",
    "instruments:list",
    "bodies:list",
    "topics:list",
    "events:calendar",
    "sitemap",
}


def groups_of(request, match):
    """The groups a request counts against: none, or one or more of RATELIMIT_RATES' keys."""
    if "admin" in match.namespaces:
        return []
    groups = []
    if "api" in match.namespaces:
        groups.append("api")
    name = match.url_name or ""
    if name == "search" and not match.namespaces:
        groups.append("search")
    elif (name == "list" or name.endswith("-list")) and any(value.strip() for value in request.GET.getlist("q")):
        groups.append("search")
    elif name in EXPORTS:
        groups.append("exports")
    elif name in CALENDARS:
        groups.append("calendars")
    elif name in FEEDS:
        groups.append("feeds")
    return groups


def client_key(group, request):
    """The client's bucket (ratelimits.clients.client_bucket), as for the login lockouts."""
    return client_bucket(request)


class RateLimitMiddleware:
    """
    Counts and refuses requests before the later middleware and the view see them, so that
    responses served from the cache are counted too. It runs after LocaleMiddleware, which
    the language prefix of the public addresses needs to be resolved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATELIMIT_ENABLE and (retry_after := self.retry_after(request)):
            return too_many_requests(request, retry_after)
        return self.get_response(request)

    def retry_after(self, request):
        """0 if the request may go on, otherwise the seconds until the client may try again."""
        match = resolved(request)
        if match is None:
            return 0
        # As the handler does later; the 429 page's navigation reads it.
        request.resolver_match = match
        return counted(request, groups_of(request, match))


class RenderLimitMiddleware:
    """
    The "pages" limit on rendering a costly page afresh. It sits after the public cache
    (publishing.middleware.PublicCacheMiddleware), so that it sees only the requests that the
    cache could not answer: a visitor is never refused a page that costs nothing. Signed-in
    staff are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATELIMIT_ENABLE and (retry_after := self.retry_after(request)):
            return too_many_requests(request, retry_after)
        return self.get_response(request)

    def retry_after(self, request):
        """0 if the costly page may be rendered for this client, otherwise the seconds until it may."""
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return 0
        match = resolved(request)
        if match is None or match.view_name not in COSTLY_PAGES:
            return 0
        request.resolver_match = match
        return counted(request, ["pages"])


@checks.register(checks.Tags.caches)
def check_order(app_configs, **kwargs):
    """The render limit counts only what the public cache did not answer: it must come after it."""
    middleware = list(settings.MIDDLEWARE)
    render_limit = "ratelimits.middleware.RenderLimitMiddleware"
    public_cache = "publishing.middleware.PublicCacheMiddleware"
    if render_limit in middleware and public_cache in middleware:
        if middleware.index(render_limit) < middleware.index(public_cache):
            return [
                checks.Error(
                    f"{render_limit} must come after {public_cache} in MIDDLEWARE: before it, it would count "
                    "the pages served from the cache too.",
                    id="ratelimits.E002",
                )
            ]
    return []


def counted(request, groups):
    """Count the request in each of `groups`: 0 if it may go on, otherwise the seconds until the client may retry."""
    retry_after = 0
    for group in groups:
        rate = settings.RATELIMIT_RATES.get(group)
        if not rate or not cache_available(settings.RATELIMIT_USE_CACHE):
            continue
        try:
            usage = get_usage(request, group=group, key=client_key, rate=rate, increment=True)
        except Exception as error:  # The cache backend's own: the site answers unlimited rather than not at all.
            # Counting is a write: one that a full cache refuses leaves its reads alone.
            write_failed(settings.RATELIMIT_USE_CACHE, error)
            return 0
        if usage and usage["should_limit"]:
            # The window ends after its last second: the client may come back one second later.
            retry_after = max(retry_after, usage["time_left"] + 1)
    return retry_after


# {URL namespace: respond(request, retry_after)}: the apps that answer a refused request in their own
# format (the API, in JSON) register it from their AppConfig.ready().
_answers = {}


def answer_refusals_with(namespace, respond):
    _answers[namespace] = respond


def too_many_requests(request, retry_after):
    match = getattr(request, "resolver_match", None)
    respond = next((_answers[name] for name in (match.namespaces if match else []) if name in _answers), None)
    if respond is not None:
        response = respond(request, retry_after)
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
