from django.db.models import F
from django.utils.translation import gettext_lazy as _

from bodies.filters import BodyFacet
from catalogue.filters import ChoiceFacet, FacetedFilterSet, FilterForm, SearchFilter, SortFilter, YearFacet
from documents.filters import DocumentLanguageFacet, HasDocumentsFacet
from topics.filters import TopicFacet
from uncac.filters import ArticleFacet, ChapterFacet

from .models import Instrument, InstrumentKind
from .search import INSTRUMENT_DOCUMENT


class InstrumentFilter(FacetedFilterSet):
    q = SearchFilter(
        document=INSTRUMENT_DOCUMENT, help_text=_("Words in the title, description, issuing body or topics.")
    )
    year = YearFacet(help_text=_("Adopted, released or revised in one of these years."))
    body = BodyFacet(
        relation="issuing_body",
        help_text=_("The issuing body; its subsidiary bodies, and the bodies it serves as secretariat, are included."),
    )
    kind = ChoiceFacet(label=_("Kind"), choices=InstrumentKind.choices)
    topic = TopicFacet()
    article = ArticleFacet()
    chapter = ChapterFacet()
    has_documents = HasDocumentsFacet()
    document_language = DocumentLanguageFacet()
    sort = SortFilter(
        orderings={
            "title": (_("Title"), ["title"]),
            # Undated instruments last, either way.
            "newest": (_("Newest first"), [F("year_adopted").desc(nulls_last=True), "title"]),
            "oldest": (_("Oldest first"), [F("year_adopted").asc(nulls_last=True), "title"]),
        }
    )

    search_document = INSTRUMENT_DOCUMENT
    default_sort = "title"

    class Meta:
        model = Instrument
        fields = ["q", "year", "body", "kind", "article", "chapter", "topic", "sort"]
        form = FilterForm
