from django.apps import AppConfig


class WcointegrityConfig(AppConfig):
    """The site itself: its templates tags and the pieces shared by the catalogue's apps."""

    name = "wcointegrity"
    verbose_name = "WCO Integrity Catalogue"
