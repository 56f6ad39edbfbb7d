"""
The JSON-LD of the public pages (linkeddata/schema.py). Nothing is given on a staff preview: it
may show what the public can't see.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from publishing.cache import cached

from .. import schema
from ..licence import licence

register = template.Library()


@dataclass(frozen=True)
class ListedRecord:
    """What an ItemList gives of a record, as schema.item_list reads it."""

    name: str
    url: str

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.url


@register.simple_tag(takes_context=True)
def json_ld(context, record):
    """The record's description (its registered describer) with its page's."""
    if context.get("preview"):
        return ""
    graph = schema.page_graph(record, context.get("request"))
    return schema.data_block(graph) if graph else ""


@register.simple_tag(takes_context=True)
def json_ld_list(context, records):
    """The records of a list page, in its order, numbered across its pages."""
    if context.get("preview"):
        return ""
    records = list(records or ())
    if not records:
        return ""
    page = context.get("page_obj")
    start = page.start_index() if page is not None else 1
    count = page.paginator.count if page is not None else len(records)
    return schema.data_block(schema.item_list(records, context.get("request"), start, count))


@register.simple_tag(takes_context=True)
def json_ld_listing(context):
    """
    On a filtered list (catalogue/views.py): its page's records as an ItemList, and what it finds
    as a Dataset, the CSV and JSON downloads of exactly its filters and sort. Nothing while its
    filters are not valid, or while it finds nothing. The page's records (their names and
    addresses) are read in one query, then cached in the catalogue's version, as their cards are.
    """
    request, filterset, page = context.get("request"), context.get("filter"), context.get("page_obj")
    if request is None or filterset is None or page is None or filterset.errors:
        return ""
    model = filterset._meta.model
    pks = tuple(page.object_list)

    def read_records():
        found = model.objects.published().in_bulk(pks)
        return [ListedRecord(str(found[pk]), found[pk].get_absolute_url()) for pk in pks if pk in found]

    records = cached(("json-ld-items", model._meta.label, pks), read_records)
    if not records:
        # As the page, which offers no download of an empty list.
        return ""
    blocks = [schema.data_block(schema.item_list(records, request, page.start_index(), page.paginator.count))]
    namespace = request.resolver_match.namespace
    try:
        csv_url, json_url = reverse(f"{namespace}:export_csv"), reverse(f"{namespace}:export_json")
    except NoReverseMatch:
        return mark_safe("".join(blocks))  # noqa: S308 (data blocks, escaped)
    query = filterset.query_string()
    suffix = f"?{query}" if query else ""
    names = model._meta.verbose_name_plural
    data = schema.dataset(
        name=_("%(records)s of the WCO Integrity Catalogue") % {"records": str(names).capitalize()},
        description=_(
            "Every one of the %(records)s that this list of the WCO Integrity Catalogue finds, with its "
            "filters and in its order, as CSV for spreadsheets and as JSON for programs."
        )
        % {"records": names},
        url=request.path + suffix,
        downloads=[("text/csv", csv_url + suffix), ("application/json", json_url + suffix)],
        request=request,
    )
    blocks.append(schema.data_block(data))
    return mark_safe("".join(blocks))  # noqa: S308 (data blocks, escaped)


class _Trail(HTMLParser):
    """The (name, address) of each item of a rendered breadcrumbs' list: its link's text and address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.trail, self.href, self.text = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.href is None:
            self.href, self.text = dict(attrs).get("href") or "", []

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self.text is not None:
            self.trail.append((" ".join("".join(self.text).split()), self.href))
        if tag == "li":
            self.href, self.text = None, None


class BreadcrumbsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        if context.get("preview"):
            return html
        parser = _Trail()
        parser.feed(html)
        parser.close()
        if not parser.trail:
            return html
        return mark_safe(html + schema.data_block(schema.breadcrumb_list(parser.trail, context.get("request"))))  # noqa: S308


@register.tag
def breadcrumbs(parser, token):
    """
    {% breadcrumbs %}<nav class="breadcrumbs">...</nav>{% endbreadcrumbs %}: the trail as it is
    written, followed by its BreadcrumbList, read from the links of its items. So the JSON-LD
    always follows the trail the page shows.
    """
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)


@register.simple_tag
def data_licence():
    """{"url": ..., "name": ...} of the licence of the catalogue's data."""
    return licence()
