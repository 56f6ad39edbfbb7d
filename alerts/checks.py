from django.core import checks
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import translation

from .lists import kinds, list_view_name


@checks.register(checks.Tags.urls)
def check_followed_lists(app_configs=None, **kwargs):
    """Each registered kind of record has a list at `<app label>:list`, filtered by its registered FilterSet."""
    errors = []
    with translation.override("en"):
        for kind, record_type in kinds().items():
            name = list_view_name(record_type)
            try:
                view = resolve(reverse(name)).func
            except NoReverseMatch:
                view = None
            filterset = getattr(getattr(view, "view_class", None), "filterset_class", None)
            if filterset is not record_type.filterset:
                errors.append(
                    checks.Error(
                        f"Email alerts follow the list of {kind} at the URL named {name!r}, filtered by "
                        f"{record_type.filterset.__name__}: no such list answers there.",
                        hint="Name the list view of the kind of record `list`, in its app's URL namespace.",
                        id="alerts.E001",
                    )
                )
    return errors
