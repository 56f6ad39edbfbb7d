from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    """The public record of the corrections made to published records, read from their history."""

    name = "changes"
    verbose_name = _("Changes")
