"""
One origin for every absolute address the site writes: canonical, Open Graph and hreflang
links, robots.txt, the sitemap, feeds, calendars, exports and the API's links all name
settings.SITE_URL, whatever Host, port, X-Forwarded-Host or X-Forwarded-Proto a request came
with. So no request can change what the next visitor is given from the cache.

Without SITE_URL (allowed only with DEBUG, for local development) the addresses are the
request's own, as Django builds them.
"""

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PORTS = {"http": 80, "https": 443}
# A host name or an IPv4 address; an IPv6 address is checked by urlsplit.
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")
# The headers through which a client or a proxy may name another host, port or scheme.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO")


@dataclass(frozen=True)
class Origin:
    scheme: str
    # As written in a Host header and in ALLOWED_HOSTS: an IPv6 address in brackets.
    host: str
    port: int

    @property
    def netloc(self):
        return self.host if self.port == DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"

    def __str__(self):
        return f"{self.scheme}://{self.netloc}"


@cache
def parse_origin(url):
    """An address such as https://integrity.example.org as an Origin; ImproperlyConfigured if it is not one."""
    wanted = (
        "Set SITE_URL to the site's public address: a scheme (http or https), a host and an optional port, "
        f"and nothing else, such as https://integrity.example.org (not {url!r})."
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(wanted) from None
    hostname = parts.hostname or ""
    if (
        parts.scheme not in DEFAULT_PORTS
        or not (HOST_NAME.fullmatch(hostname) or ":" in hostname)
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or url.strip().endswith(("?", "#"))
    ):
        raise ImproperlyConfigured(wanted)
    host = f"[{hostname}]" if ":" in hostname else hostname
    return Origin(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme])


def site_origin():
    """The configured origin, or None when the addresses are the request's own."""
    return parse_origin(settings.SITE_URL) if settings.SITE_URL else None


def address_to(request, origin):
    """From here on, `request` reads as addressed to `origin`: its host, port, scheme and is_secure()."""
    meta = request.META
    headers = [*FORWARDED_HEADERS]
    if settings.SECURE_PROXY_SSL_HEADER:
        headers.append(settings.SECURE_PROXY_SSL_HEADER[0])
    for header in headers:
        meta.pop(header, None)
    meta["HTTP_HOST"] = origin.netloc
    meta["SERVER_NAME"] = origin.host.strip("[]")
    meta["SERVER_PORT"] = str(origin.port)
    meta["wsgi.url_scheme"] = origin.scheme
    if hasattr(request, "scope"):
        # An ASGI request takes its scheme from its scope.
        request.scope = {**request.scope, "scheme": origin.scheme}
    # Django keeps the scheme and host once build_absolute_uri() has read them.
    request.__dict__.pop("_current_scheme_host", None)


class SiteOriginMiddleware:
    """
    Checks the request's host against ALLOWED_HOSTS (a 400 for any other, as Django answers),
    then makes the request read as addressed to SITE_URL for everything after it. It comes
    right after SecurityMiddleware, whose redirect to HTTPS is decided on the request as it came.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = site_origin()
        if origin is not None:
            request.get_host()
            address_to(request, origin)
        return self.get_response(request)
