"""
System checks of the registered kinds of record (records.py): what a list may rely on is
checked when the site starts, rather than remembered.
"""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from .filters import Facet, SortFilter
from .records import catalogue_apps, record_types


def models_on_path(model, path):
    """The models that a query path from `model` ("topics__slug") reads, the record's own first."""
    models = [model]
    for name in path.split("__"):
        try:
            field = models[-1]._meta.get_field(name)
        except FieldDoesNotExist:
            break
        if not field.is_relation:
            break
        models.append(field.related_model)
    return models


@checks.register(checks.Tags.models)
def check_record_types(app_configs, **kwargs):
    errors = []
    labels = catalogue_apps()
    for record_type in record_types():
        filterset = record_type.filterset
        name = filterset.__name__
        for facet_name, facet in filterset.base_filters.items():
            if not isinstance(facet, Facet):
                continue
            for path in facet.relations_read():
                for model in models_on_path(record_type.model, path):
                    if model._meta.app_label not in labels:
                        errors.append(
                            checks.Error(
                                f"The facet {name}.{facet_name} reads {model._meta.label}, whose changes do not renew "
                                "the catalogue's version: its counts would stay as they were.",
                                hint="Read it from a model that the registered records point to, "
                                "or register the records that show it (catalogue/records.py).",
                                obj=filterset,
                                id="catalogue.E001",
                            )
                        )
        for label, path in record_type.covers.items():
            reached = models_on_path(record_type.model, path)[-1]._meta.label
            if reached != label:
                errors.append(
                    checks.Error(
                        f"{record_type.model._meta.label} covers {label} by the path {path!r}, "
                        f"which leads to {reached}.",
                        obj=record_type.model,
                        id="catalogue.E003",
                    )
                )
        list_view = getattr(record_type.feed, "list_view", None)
        if list_view is not None and list_view.filterset_class is not filterset:
            errors.append(
                checks.Error(
                    f"The feed {record_type.feed.__name__} follows the list {list_view.__name__}, whose filters "
                    f"are not {name}: it would hold other records than the list.",
                    obj=record_type.feed,
                    id="catalogue.E004",
                )
            )
        sorts = [f for f in filterset.base_filters.values() if isinstance(f, SortFilter)]
        if not sorts or filterset.default_sort not in sorts[0].orderings:
            errors.append(
                checks.Error(
                    f"{name}.default_sort must name one of its sort's orderings: the facet index is kept in it.",
                    obj=filterset,
                    id="catalogue.E002",
                )
            )
    return errors
