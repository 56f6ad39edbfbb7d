"""The instruments list as a file: /instruments/export.csv and /instruments/export.json (see catalogue.exports)."""

from catalogue.exports import CatalogueExportView
from documents.public import described_documents, documents_prefetch

from .views import InstrumentListView


class InstrumentExportView(CatalogueExportView):
    """
    Each instrument with its texts in the request's language (English where a text has no
    translation), its issuing body, UNCAC article numbers and topics. `url` is its page in
    this catalogue, `link` the address where the instrument itself can be read.
    """

    list_view = InstrumentListView
    filename = "wco-integrity-instruments"
    columns = [
        "url",
        "slug",
        "title",
        "short_name",
        "kind",
        "issuing_body",
        "year_adopted",
        "year_revised",
        "uncac_articles",
        "topics",
        "access",
        "platform",
        "link",
        "description",
        "documents",
    ]

    def with_related(self, instruments):
        return instruments.select_related("issuing_body").prefetch_related(
            "uncac_articles", "topics", documents_prefetch()
        )

    def row(self, instrument):
        return {
            "url": self.absolute_url(instrument),
            "slug": instrument.slug,
            "title": instrument.title,
            "short_name": instrument.short_name,
            "kind": instrument.get_kind_display(),
            "issuing_body": instrument.issuing_body.label if instrument.issuing_body else None,
            "year_adopted": instrument.year_adopted,
            "year_revised": instrument.year_revised,
            "uncac_articles": [article.number for article in instrument.uncac_articles.all()],
            "topics": [topic.name for topic in instrument.topics.all()],
            "access": instrument.get_access_display(),
            "platform": instrument.platform,
            "link": instrument.url,
            "description": instrument.description,
            "documents": described_documents(instrument, self.request.build_absolute_uri),
        }
