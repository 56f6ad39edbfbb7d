"""
Downloads of a public list exactly as it is filtered: every matching record, in the list's
order, as CSV for spreadsheets or JSON for programs (events/exports.py, instruments/exports.py).

An export asks the list page's own view for its FilterSet and records, so that a file can
never hold a record the list would not show, nor miss one it shows, and refuses invalid
filters as the list does rather than guess. It streams: the records are read in chunks,
each chunk with its related records in one query per relation, and written out as they
come, so that a large export needs neither the whole file in memory nor a query per record.
"""

import csv
import itertools
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

# What a spreadsheet reads as the start of a formula when a cell begins with it (OWASP,
# "CSV Injection"; NUL as well, after OWASP's verification standard).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(text):
    """
    The text of a CSV cell, with a single quote in front if a spreadsheet would otherwise
    run it as a formula: the quote makes it text. No value the catalogue itself writes,
    such as a date, a year or an address, begins with one of these characters.
    """
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Line:
    """A file that hands back what is written to it, so that csv.writer gives one row at a time."""

    def write(self, text):
        return text


class CsvFile:
    """UTF-8 with a byte order mark, which Excel needs to read the accents right; CRLF line ends."""

    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    separator = ""

    def __init__(self, columns):
        self.columns = columns
        self.writer = csv.writer(_Line())

    def opening(self):
        return "\ufeff" + self.writer.writerow(self.columns)

    def record(self, row):
        return self.writer.writerow([self.cell(row[name]) for name in self.columns])

    def closing(self):
        return ""

    @staticmethod
    def cell(value):
        """
        Empty for a missing value; several values in one cell separated by "; ". An object that
        JSON gives whole (a document) is written as its address, its `url`.
        """
        if value is None:
            return ""
        if isinstance(value, list):
            value = "; ".join(str(item["url"] if isinstance(item, dict) else item) for item in value)
        return neutralise(str(value))

    def invalid(self, errors):
        lines = [_("Nothing was exported: these filters are not valid.")]
        lines += [f"{name}: {message}" for name, messages in errors.items() for message in messages]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


class JsonFile:
    """An array of objects, one a line, with the values as they are: JSON is not a spreadsheet."""

    extension = "json"
    content_type = "application/json"
    separator = ","

    def __init__(self, columns):
        self.columns = columns

    def opening(self):
        return "["

    def record(self, row):
        return "\n" + json.dumps({name: row[name] for name in self.columns}, ensure_ascii=False)

    def closing(self):
        return "\n]\n"

    def invalid(self, errors):
        return JsonResponse(
            {"error": _("Nothing was exported: these filters are not valid."), "filters": errors},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )


class CatalogueExportView(View):
    """
    The records of `list_view` that its filters select, in its order, as `columns`.
    A subclass names the columns, says what relations they read (`with_related`) and
    gives each record's values (`row`, a dict by column name: a text, a number,
    None, or a list for several values).
    """

    list_view = None
    columns = ()
    filename = ""
    file_format = "csv"
    chunk_size = 500
    file_types = {"csv": CsvFile, "json": JsonFile}

    def get(self, request, *args, **kwargs):
        listing = self.list_view()
        listing.setup(request, *args, **kwargs)
        filterset = listing.get_filterset(listing.get_filterset_class())
        output = self.file_types[self.file_format](self.columns)
        if filterset.is_bound and not filterset.is_valid():
            return output.invalid({name: list(messages) for name, messages in filterset.errors.items()})
        records = self.with_related(filterset.qs)
        response = StreamingHttpResponse(
            self.stream(output, records, translation.get_language()), content_type=output.content_type
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{self.filename_stem(filterset)}.{output.extension}"
        )
        # The list pages are what search engines should show; a file per combination of filters is not.
        response["X-Robots-Tag"] = "noindex"
        # The licence under which the data may be reused (RFC 8288).
        response["Link"] = f'<{settings.DATA_LICENCE_URL}>; rel="license"'
        return response

    def with_related(self, records):
        """The records with what the columns read, fetched once per chunk."""
        return records

    def row(self, record):
        raise NotImplementedError

    def stream(self, output, records, language):
        """
        The file piece by piece: the opening, then each chunk of records as it is read,
        in the language of the request (the response is written after the view returns).
        """
        with translation.override(language):
            yield output.opening()
            written = False
            chunks = itertools.batched(records.iterator(chunk_size=self.chunk_size), self.chunk_size)
            for chunk in chunks:
                text = output.separator.join(output.record(self.row(record)) for record in chunk)
                yield (output.separator if written else "") + text
                written = True
            yield output.closing()

    def filename_stem(self, filterset):
        """What the file holds: e.g. "wco-integrity-events-2019-unodc"; "-fr" for French texts."""
        parts = [self.filename, *filterset.filename_parts()]
        language = translation.get_language()
        if language != settings.LANGUAGE_CODE:
            parts.append(language)
        return "-".join(parts)[:200]

    def absolute_url(self, record):
        return self.request.build_absolute_uri(record.get_absolute_url())
