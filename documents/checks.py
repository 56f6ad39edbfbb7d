"""
A list of records that have documents offers their facets (documents/filters.py): checked when
the site starts, rather than remembered when a new kind of record gets documents.
"""

from django.apps import apps
from django.core import checks

from catalogue.records import record_types
from publishing.models import Publishable

from .filters import DocumentLanguageFacet, HasDocumentsFacet
from .models import Documented


@checks.register(checks.Tags.models)
def check_documented_lists(app_configs, **kwargs):
    errors = []
    for record_type in record_types():
        if not issubclass(record_type.model, Documented):
            continue
        filterset = record_type.filterset
        for facet in (HasDocumentsFacet, DocumentLanguageFacet):
            if not any(isinstance(declared, facet) for declared in filterset.base_filters.values()):
                errors.append(
                    checks.Error(
                        f"{filterset.__name__} lists {record_type.model._meta.label}, which has documents, "
                        f"without a {facet.__name__}.",
                        hint=f"Declare one on {filterset.__name__} (documents/filters.py).",
                        obj=filterset,
                        id="documents.E001",
                    )
                )
    return errors


@checks.register(checks.Tags.models)
def check_documented_models_are_publishable(app_configs, **kwargs):
    """A document is public exactly when its record is: a record with documents has a publication state."""
    return [
        checks.Error(
            f"{model._meta.label} has documents but is not Publishable: its documents would be public, or never.",
            hint="Make it Publishable (publishing.models), whose published() the download reads.",
            obj=model,
            id="documents.E002",
        )
        for model in apps.get_models()
        if issubclass(model, Documented) and not issubclass(model, Publishable)
    ]
