"""
The citation files: of one record (`<record's page>cite.ris`, `.bib`, `.csl.json`), and of a list
as it is filtered (`export.ris`, ...), which asks the list's own view for its FilterSet and records
as the CSV and JSON exports do (catalogue/exports.py): the same records, the same 400 to bad filters,
the same rate limit ("exports": their URL names are export_*).
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views import View

from catalogue.exports import CatalogueExportView, CsvFile, JsonFile

from . import formats
from .registry import citation_item, citation_kind, with_prefetches


class RisFile:
    extension = "ris"
    content_type = "application/x-research-info-systems; charset=utf-8"
    separator = "\r\n"
    invalid = CsvFile.invalid

    def __init__(self, columns=()):
        pass

    def opening(self):
        return ""

    def record(self, item):
        return formats.ris(item)

    def closing(self):
        return ""

    def whole(self, items):
        return self.opening() + self.separator.join(self.record(item) for item in items) + self.closing()


class BibtexFile(RisFile):
    extension = "bib"
    content_type = "application/x-bibtex; charset=utf-8"
    separator = "\n"

    def record(self, item):
        return formats.bibtex(item)


class CslFile(RisFile):
    """A JSON array of CSL items, written item by item as the JSON export is."""

    extension = "csl.json"
    content_type = "application/vnd.citationstyles.csl+json"
    separator = ","
    invalid = JsonFile.invalid

    def opening(self):
        return "["

    def record(self, item):
        return "\n" + formats.csl_json(item).rstrip("\n")

    def closing(self):
        return "\n]\n"


FILE_TYPES = {"ris": RisFile, "bibtex": BibtexFile, "csl": CslFile}


def language_suffix():
    language = translation.get_language()
    return "" if language == settings.LANGUAGE_CODE else f"-{language}"


class RecordCitationView(View):
    """One published record's citation file; 404 for any record its page would not show."""

    detail_view = None
    model = None
    file_format = "ris"

    def get(self, request, *args, **kwargs):
        page = self.detail_view()
        page.setup(request, *args, **kwargs)
        record = page.get_object()
        kind = citation_kind(type(record))
        item = citation_item(with_prefetches([record], kind)[0], kind)
        output = FILE_TYPES[self.file_format]()
        response = HttpResponse(output.whole([item]), content_type=output.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{item['id']}{language_suffix()}.{output.extension}"
        )
        # The record's page is what search engines should show.
        response["X-Robots-Tag"] = "noindex"
        return response


class ListCitationView(CatalogueExportView):
    """The records of a list as its filters select them, in its order, as citations."""

    file_types = FILE_TYPES

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()
        self.kind = citation_kind(self.list_view.filterset_class._meta.model)

    def with_related(self, records):
        return records.prefetch_related(*self.kind.prefetches)

    def row(self, record):
        return citation_item(record, self.kind, self.today)


def citation_urls(list_view, detail_view):
    """
    The addresses of the citation files of a kind of record, beside its list and pages (in its
    app's URLconf): `*citation_urls(ListView, DetailView)` among its urlpatterns.
    """
    model = list_view.filterset_class._meta.model
    with translation.override(settings.LANGUAGE_CODE):
        filename = f"wco-integrity-{model._meta.verbose_name_plural}".replace(" ", "-")
    extensions = {name: file_type.extension for name, file_type in FILE_TYPES.items()}
    # A class of its own, whose `list_view` says what parameters it reads (publishing/parameters.py).
    list_citations = type(
        f"{model.__name__}ListCitationView",
        (ListCitationView,),
        {"list_view": list_view, "filename": filename, "__module__": __name__},
    )
    record_citation = type(
        f"{model.__name__}CitationView",
        (RecordCitationView,),
        {"detail_view": detail_view, "model": detail_view.model, "__module__": __name__},
    )
    return [
        *(
            path(
                f"export.{extension}",
                list_citations.as_view(file_format=name),
                name=f"export_{name}",
            )
            for name, extension in extensions.items()
        ),
        *(
            path(
                f"<slug:slug>/cite.{extension}",
                record_citation.as_view(file_format=name),
                name=f"cite_{name}",
            )
            for name, extension in extensions.items()
        ),
    ]
