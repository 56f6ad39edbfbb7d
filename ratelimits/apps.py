from django.apps import AppConfig
from django.core import checks
from django.core.signals import request_started


class RateLimitsConfig(AppConfig):
    """Who a client is (its address's bucket), and how often it may ask for what costs the most."""

    name = "ratelimits"
    verbose_name = "Rate limits"

    def ready(self):
        from . import clients

        checks.register(clients.check_proxy_count, checks.Tags.security)
        request_started.connect(clients.warn_of_unknown_proxy, dispatch_uid="warn_of_unknown_proxy")
