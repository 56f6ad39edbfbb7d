from django.apps import AppConfig
from django.core import checks
from django.core.signals import request_started


class WcointegrityConfig(AppConfig):
    """The site itself: its templates tags and the pieces shared by the catalogue's apps."""

    name = "wcointegrity"
    verbose_name = "WCO Integrity Catalogue"

    def ready(self):
        from . import clientip

        checks.register(clientip.check_proxy_count, checks.Tags.security)
        request_started.connect(clientip.warn_of_unknown_proxy, dispatch_uid="warn_of_unknown_proxy")
