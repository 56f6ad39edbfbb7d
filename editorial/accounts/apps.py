from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """
    Commands that replace Django's own for staff accounts. Listed before django.contrib.auth
    in INSTALLED_APPS, since the first app to define a command wins; it has no models.
    """

    name = "editorial.accounts"
    label = "staff_accounts"
