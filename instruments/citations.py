"""How an instrument is cited (citations/): the text, issued by its body, in the year it was adopted or released."""

import datetime

from django.utils.translation import get_language

from citations.registry import RecordCitation, csl_date, register
from documents.formats import PDF
from documents.public import documents_in_order, documents_prefetch, is_download

from .models import Instrument, InstrumentKind

# The kinds that are reports in the sense of CSL (and of RIS's RPRT): a text a body wrote up and released.
REPORTS = {
    InstrumentKind.GUIDE,
    InstrumentKind.GUIDANCE,
    InstrumentKind.SURVEY,
    InstrumentKind.WORK_PROGRAMME,
    InstrumentKind.ACTION_PLAN,
}


class InstrumentCitation(RecordCitation):
    prefetches = ("issuing_body", documents_prefetch())

    def item(self, instrument):
        item = {
            "type": "report" if instrument.kind in REPORTS else "document",
            "title": instrument.title,
            "author": [{"literal": instrument.issuing_body.name}] if instrument.issuing_body else [],
        }
        if instrument.year_adopted:
            item["issued"] = csl_date(datetime.date(instrument.year_adopted, 1, 1), "year")
        return item

    def pdf_url(self, instrument):
        pdfs = (
            document
            for document in documents_in_order(instrument, get_language())
            if is_download(document) and document.media_type == PDF
        )
        document = next(pdfs, None)
        return document.get_absolute_url() if document else ""


register(Instrument, InstrumentCitation)
