"""
The licence under which the catalogue's data may be reused (settings.DATA_LICENCE_URL and
DATA_LICENCE_NAME): named in the footer, the JSON-LD, the exports' and the API's `Link` headers,
and the API's schema.
"""

from functools import wraps

from django.conf import settings
from django.urls import URLPattern


def licence():
    """{"url": ..., "name": ...} of the data's licence."""
    return {"url": settings.DATA_LICENCE_URL, "name": settings.DATA_LICENCE_NAME}


def licence_link():
    """The value of a `Link` header (RFC 8288) that names the licence."""
    return f'<{settings.DATA_LICENCE_URL}>; rel="license"'


def add_licence_link(response):
    """The response, with the licence added to its `Link` header (kept if it has one)."""
    link = licence_link()
    response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link
    return response


def licensed(view):
    """A view whose every answer, an error included, names the licence."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return add_licence_link(view(request, *args, **kwargs))

    return wrapper


def licensed_patterns(urlpatterns):
    """URL patterns whose views all name the licence (see `licensed`)."""
    for pattern in urlpatterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = licensed(pattern.callback)
        else:
            licensed_patterns(pattern.url_patterns)
    return urlpatterns
