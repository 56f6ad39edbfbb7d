"""
What the OpenAPI schema (drf-spectacular) cannot work out by itself: the types of the
catalogue's own filters, the `lang` parameter and the error responses.
"""

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from bodies.filters import BodyFacet
from catalogue.filters import ChoiceFacet, SearchFilter, SortFilter, YearFacet
from documents.languages import LanguageField
from search.documents import MAX_LENGTH

LANGUAGE_PARAMETER = "lang"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

LANGUAGE = OpenApiParameter(
    LANGUAGE_PARAMETER,
    str,
    OpenApiParameter.QUERY,
    enum=[code for code, _name in settings.LANGUAGES],
    description=(
        "The language of the texts and of the `html_url` addresses: English by default. A record without "
        "a French text gives the English one. Accept-Language is not read."
    ),
)

INVALID_PARAMETERS = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A parameter is not valid (a filter value no public record has, a filter given twice, a "
    "`page_size` out of range, an unknown `lang`): each such parameter with what is wrong with it. "
    "Nothing is listed.",
)
NOT_FOUND = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="No such public record, or no such page of the list.",
)


def documented(serializer, *, list_summary, detail_summary):
    """The schema of a list and detail view set: its summaries, the `lang` parameter and its responses."""
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            parameters=[LANGUAGE],
            responses={200: serializer, 400: INVALID_PARAMETERS, 404: NOT_FOUND},
        ),
        retrieve=extend_schema(
            summary=detail_summary,
            parameters=[LANGUAGE],
            responses={200: serializer, 400: INVALID_PARAMETERS, 404: NOT_FOUND},
        ),
    )


class CatalogueFilterExtension(DjangoFilterExtension):
    """
    Types for the catalogue's own filters, which the generic extension cannot infer: the
    search, the sort, and the facets, each of which may be given several times (values
    combine with OR). Choices read from the database are not listed as an enum: they
    change with the published records, and the schema is the same whatever the data.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        refused = "Any other value is a 400."
        several = "Give the parameter several times for several values (any of them)."
        explode = None
        if isinstance(filter_field, SearchFilter):
            schema = {"type": "string", "maxLength": MAX_LENGTH}
            description = (
                f"{filter_field.extra['help_text']} Results come most relevant first unless `sort` says otherwise."
            )
        elif isinstance(filter_field, SortFilter):
            schema = {"type": "string", "enum": [value for value, _label in filter_field.extra["choices"]]}
            description = (
                f"The order of the list: by default `{filterset_class.default_sort}`, or `relevance` with a search "
                "(`relevance` needs `q`)."
            )
        elif isinstance(filter_field, YearFacet):
            schema = {"type": "array", "items": {"type": "integer", "minimum": 1000, "maximum": 9999}}
            description, explode = f"{filter_field.extra['help_text']} {several}", True
        elif isinstance(filter_field, BodyFacet):
            schema = {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}}
            description = f"{filter_field.extra['help_text']} A body's slug, as in `/api/bodies/`. {several} {refused}"
            explode = True
        elif isinstance(filter_field, ChoiceFacet):
            choices = filter_field.extra["choices"]
            if not callable(choices):
                item, value = (
                    {"type": "string", "enum": [value for value, _label in choices]},
                    "one of the values listed",
                )
            else:
                model_field = self._get_model_field(filter_field, model)
                if isinstance(model_field, CountryField):
                    item, value = {"type": "string", "pattern": "^[A-Z]{2}$"}, "its ISO 3166 code"
                elif isinstance(model_field, LanguageField):
                    item, value = {"type": "string", "pattern": "^[a-z]{2}$"}, "its ISO 639-1 code"
                elif isinstance(model_field, models.IntegerField):
                    item, value = {"type": "integer", "minimum": 1}, "its number"
                else:
                    item, value = {"type": "string", "pattern": SLUG_PATTERN}, "its slug"
                value += ", one that some public record has"
            schema = {"type": "array", "items": item}
            description, explode = f"{filter_field.label}: {value}. {several} {refused}", True
        else:
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)

        return [
            build_parameter_type(
                name=field_name,
                required=False,
                location=OpenApiParameter.QUERY,
                description=description,
                schema=schema,
                explode=explode,
                style="form" if explode else None,
            )
        ]


def empty_query_values_are_allowed(result, generator, request, public):
    """
    An empty query value means the parameter was not given (`?year=&topic=` lists
    everything), as on the HTML lists, whose forms send empty fields: say so in the schema.
    """
    for path_item in result["paths"].values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result
