"""
The facets of the lists of records that have documents (catalogue/filters.py): whether a
record has documents that anyone may open, and the languages they are written in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from catalogue.filters import ChoiceFacet, sorted_choices

from .languages import language_name
from .models import Document, DocumentAccess


def public(model, prefix=""):
    """
    The condition on a document (through `prefix`, e.g. "document__") that it is one that anyone
    may open (a file or a public address) of a record of `model`. The content type is read in
    the query itself: no lookup before it, and PostgreSQL's planner counts the documents right.
    """
    content_type = ContentType.objects.filter(app_label=model._meta.app_label, model=model._meta.model_name)
    return Q(
        **{f"{prefix}content_type": Subquery(content_type.values("pk")[:1]), f"{prefix}access": DocumentAccess.PUBLIC}
    )


def public_documents(model):
    """The documents that anyone may open of the records of `model`."""
    return Document.objects.filter(public(model))


def with_documents(model):
    return Exists(public_documents(model).filter(object_id=OuterRef("pk")))


class HasDocumentsFacet(ChoiceFacet):
    """Records with documents that anyone may open, or without."""

    YES, NO = "yes", "no"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Documents"))
        kwargs.setdefault("field_name", "documents")
        kwargs.setdefault("choices", [(self.YES, _("With documents")), (self.NO, _("Without documents"))])
        kwargs.setdefault("help_text", _("Documents that anyone may open: files, and addresses open to all."))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value or {self.YES, self.NO} <= set(value):
            return queryset
        having = with_documents(queryset.model)
        return queryset.filter(having if self.YES in value else ~having)

    def index_pairs(self, queryset):
        pairs = queryset.annotate(has_documents=with_documents(queryset.model)).values_list("pk", "has_documents")
        return ((pk, self.YES if has else self.NO) for pk, has in pairs)


def document_languages(model):
    """The languages of the documents that anyone may open of the published records of `model`, by name."""
    documents = public_documents(model).filter(object_id__in=model.objects.published().values("pk"))
    codes = documents.order_by().values_list("language", flat=True).distinct()
    return sorted_choices((code, language_name(code)) for code in codes)


class DocumentLanguageFacet(ChoiceFacet):
    """The languages of a record's documents that anyone may open, named in the page's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Language of the documents"))
        kwargs.setdefault("field_name", "documents__language")
        kwargs.setdefault("choices", document_languages)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        documents = public_documents(queryset.model).filter(language__in=value)
        return queryset.filter(pk__in=documents.values("object_id"))

    def index_pairs(self, queryset):
        documents = public_documents(queryset.model).filter(object_id__in=queryset.values("pk"))
        return documents.order_by().values_list("object_id", "language").distinct()
