"""
The rate limits of the alerts (settings.RATELIMIT_RATES["alerts"], RATELIMIT_ALERTS): the
requests for an alert or a management link that each client may make, refused past it with
the site's 429 (ratelimits/); and the same number of mails that may be asked for each
address, past which a request is answered as any other but sends nothing, so that neither
the limit nor its answer says anything about the address.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage

from publishing.sharedcache import cache_available, write_failed
from ratelimits.middleware import counted

GROUP = "alerts"
ADDRESS_GROUP = "alerts-address"


def client_retry_after(request):
    """0 if the client may ask, otherwise the seconds until it may."""
    if not settings.RATELIMIT_ENABLE:
        return 0
    return counted(request, [GROUP])


def address_spent(request, address):
    """Whether `address` has been asked for as many times as the limit allows (this time counted)."""
    rate = settings.RATELIMIT_RATES.get(GROUP)
    if not settings.RATELIMIT_ENABLE or not rate or not cache_available(settings.RATELIMIT_USE_CACHE):
        return False
    # Counted under a keyed hash of the address, never the address itself.
    key = salted_hmac("alerts.address", address, algorithm="sha256").hexdigest()
    try:
        usage = get_usage(request, group=ADDRESS_GROUP, key=lambda group, request: key, rate=rate, increment=True)
    except Exception as error:  # The cache backend's own, as in ratelimits.middleware.counted.
        write_failed(settings.RATELIMIT_USE_CACHE, error)
        return False
    return bool(usage and usage["should_limit"])
