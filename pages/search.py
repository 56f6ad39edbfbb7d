from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from modeltranslation.utils import build_localized_fieldname

from bodies.models import Body
from catalogue.collation import sort_key
from catalogue.feeds import MixedFeed, RefusedQuery, newest
from catalogue.records import record_types
from publishing.cache import cached
from search.forms import SearchForm
from search.highlight import highlight
from topics.models import Topic


class SearchView(TemplateView):
    """
    The whole catalogue searched at once: the most relevant events and instruments, each
    kind with its number of results and a link to its full list with the search applied,
    then the bodies and topics whose names match. An invalid search is a 400 that says why.
    """

    template_name = "search/results.html"
    query_parameters = ("q",)
    shown = 5

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not response.context_data["form"].is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        text = form.cleaned_data["q"] if form.is_valid() else ""
        # The records found, with the words marked, read once in each version of the catalogue for each search.
        groups = cached(("search", text), lambda: self.groups(text)) if text else []
        return super().get_context_data(
            form=form,
            search_text=text,
            groups=groups,
            total=sum(group["count"] for group in groups),
            **kwargs,
        )

    def groups(self, text):
        query = urlencode({"q": text})
        return [
            *(self.found(record_type, text, query) for record_type in record_types() if record_type.search_document),
            self.named("bodies", Body.objects.public(), ("name", "short_name"), text),
            self.named("topics", Topic.objects.public(), ("name",), text),
        ]

    def found(self, record_type, text, query):
        """The records of a kind that the search finds: how many, the most relevant, and their full list."""
        document = record_type.search_document
        records = document.matching(record_type.model.objects.published(), text)
        return {
            "kind": f"{record_type.name}s",
            "count": records.count(),
            "records": highlight(self.most_relevant(document, records.for_listing(), text), text, document),
            "list_url": f"{reverse(f'{record_type.model._meta.app_label}:list')}?{query}",
        }

    def most_relevant(self, document, records, text):
        """The first records of the list that "See all" opens: by relevance, then in the list's own order."""
        ordering = records.model._meta.ordering
        return document.ranked(records, text).order_by("-search_rank", *ordering, "pk")[: self.shown]

    @staticmethod
    def named(kind, records, fields, text):
        """The records whose name, in either language, holds the whole search."""
        condition = Q()
        for name in fields:
            for code, _language in settings.LANGUAGES:
                condition |= Q(**{f"{build_localized_fieldname(name, code)}__icontains": text})
        matching = sorted(records.filter(condition), key=lambda record: sort_key(str(record)))
        return {"kind": kind, "count": len(matching), "records": matching, "list_url": ""}


class SearchFeed(MixedFeed):
    """
    The events and instruments that the search finds (the groups of the search's page, whose
    lists their "See all" opens), newest publication first, as one feed. The bodies and topics
    whose names match are not records that are published, and have no place in it.
    """

    query_parameters = SearchView.query_parameters

    def get_object(self, request):
        form = SearchForm(request.GET)
        if form.is_valid() and not form.cleaned_data["q"]:
            form.add_error("q", _("A feed of the search follows words: give the words to search for."))
        if not form.is_valid():
            raise RefusedQuery(form)
        return form.cleaned_data["q"]

    def items(self, text):
        return newest(
            *(
                record_type.search_document.matching(record_type.feed.records(), text)
                for record_type in record_types()
                if record_type.search_document
            )
        )

    def title(self, text):
        return _("Search: %(text)s") % {"text": _("“%(words)s”") % {"words": text}}

    def link(self, text):
        return f"{reverse('search')}?{urlencode({'q': text})}"

    def feed_url(self, text):
        return f"{reverse('search_feed')}?{urlencode({'q': text})}"
