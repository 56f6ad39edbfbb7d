from django.core import checks

from catalogue.records import record_types

from .schema import describer_of


@checks.register(checks.Tags.models)
def check_descriptions(app_configs, **kwargs):
    """Every kind of record the catalogue publishes is described in its pages' JSON-LD."""
    return [
        checks.Error(
            f"{record_type.model._meta.label} has no JSON-LD description.",
            hint=(
                f"Register one in {record_type.model._meta.app_label}/jsonld.py with "
                "@linkeddata.schema.register(Model): a function(record, request) that gives its schema.org node."
            ),
            obj=record_type.model,
            id="linkeddata.E001",
        )
        for record_type in record_types()
        if describer_of(record_type.model) is None
    ]
