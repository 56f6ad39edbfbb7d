from django.conf import settings


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
