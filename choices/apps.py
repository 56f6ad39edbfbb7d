from django.apps import AppConfig


class ChoicesConfig(AppConfig):
    """A field's choices, kept by the database too (ChoicesConstraint)."""

    name = "choices"
    verbose_name = "Choices"
