from django.core import checks

from catalogue.records import record_types

from .registry import cited_models


@checks.register()
def check_every_kind_is_cited(app_configs, **kwargs):
    """Every kind of record the catalogue publishes has its citation: its pages offer "Cite this"."""
    return [
        checks.Error(
            f"{record_type.model._meta.label} is a kind of record of the catalogue but has no citation.",
            hint="Register a citations.registry.RecordCitation for it in its app's citations.py.",
            obj=record_type.model,
            id="citations.E001",
        )
        for record_type in record_types()
        if record_type.model._meta.label not in cited_models()
    ]
