import ipaddress
import logging

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

UNKNOWN_PROXY = (
    "Requests reach the site from a proxy on this machine with X-Forwarded-For, but PROXY_COUNT is 0: "
    "every client is taken for the proxy, and shares its rate limits and its login lockout. "
    "Set PROXY_COUNT to the number of reverse proxies in front of the site."
)
warned_of_unknown_proxy = False


def client_ip(request):
    """
    The address of the client, as far as the site can trust it.

    With PROXY_COUNT reverse proxies in front of the site, each appends the address it
    received the request from to X-Forwarded-For, so the client is PROXY_COUNT entries
    from the end; anything further left was written by the client and proves nothing.
    """
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def client_bucket(request):
    """
    Who the client is, for the rate limits and the login lockouts: its IPv4 address, also when
    written as IPv6 (::ffff:203.0.113.5); for IPv6, its network's first 64 bits, which one
    household or server usually has to itself and can pick any address within. An address that
    cannot be read gives "": the rate limits count all such clients as one, and their logins
    are locked out by account alone. (A request through a Unix socket has no address: the
    proxy in front must be counted in PROXY_COUNT.)
    """
    address = parse(client_ip(request))
    if address is None:
        return ""
    if address.version == 4:
        return str(address)
    return str(ipaddress.IPv6Address(int(address) >> 64 << 64))


def parse(text):
    """The address in `text` (IPv4 written as IPv6 unwrapped), or None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def warn_of_unknown_proxy(sender, environ=None, scope=None, **kwargs):
    """
    On request_started, until it has warned once in this process: a request came from this
    machine with X-Forwarded-For while PROXY_COUNT is 0, as when nginx or Caddy on the same
    machine forwards to the site without the site being told.
    """
    global warned_of_unknown_proxy
    if warned_of_unknown_proxy or settings.PROXY_COUNT:
        return
    if environ is not None:
        remote_address = environ.get("REMOTE_ADDR", "")
        forwarded = "HTTP_X_FORWARDED_FOR" in environ
    elif scope is not None:
        remote_address = (scope.get("client") or [""])[0]
        forwarded = any(name.lower() == b"x-forwarded-for" for name, _ in scope.get("headers", []))
    else:
        return
    # No address: through a Unix socket, from a proxy on this machine too.
    address = parse(remote_address or "")
    if forwarded and (not remote_address or (address is not None and address.is_loopback)):
        warned_of_unknown_proxy = True
        logger.warning(UNKNOWN_PROXY)


def check_proxy_count(app_configs, **kwargs):
    """At start-up: PROXY_COUNT is a count, and is set when the site is told it is behind a proxy for HTTPS."""
    if not isinstance(settings.PROXY_COUNT, int) or settings.PROXY_COUNT < 0:
        return [checks.Error("PROXY_COUNT must be 0 or a positive whole number.", id="ratelimits.E001")]
    if settings.PROXY_COUNT == 0 and settings.SECURE_PROXY_SSL_HEADER:
        return [
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER says the site is behind a reverse proxy, but PROXY_COUNT is 0: "
                "every client would be taken for the proxy, and share its rate limits and its login lockout.",
                hint="Set PROXY_COUNT to the number of reverse proxies in front of the site.",
                id="ratelimits.W001",
            )
        ]
    return []
