"""How an instrument is cited (citations/): the text, issued by its body, in the year it was adopted or released."""

import datetime

from citations.registry import RecordCitation, csl_date, register
from documents.public import documents_prefetch

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


register(Instrument, InstrumentCitation)
