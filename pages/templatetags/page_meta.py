import html

from django import template
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.translation import to_locale

register = template.Library()

# Open Graph wants a territory in its locales; the site writes British English and French of France.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


class PlainTextNode(template.Node):
    def __init__(self, nodelist, asvar):
        self.nodelist = nodelist
        self.asvar = asvar

    def render(self, context):
        text = html.unescape(strip_tags(self.nodelist.render(context)))
        context[self.asvar] = " ".join(text.split())
        return ""


@register.tag
def plaintext(parser, token):
    """
    {% plaintext as name %}...{% endplaintext %} renders its content once and keeps it as
    plain text, without tags and entities and on one line, in `name`: a page's title or
    description, set once in a block, can then fill both an element and attributes, each
    escaped where it is written.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(f"Usage: {{% {bits[0]} as name %}}...{{% end{bits[0]} %}}")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return PlainTextNode(nodelist, bits[2])


def canonical_query(query):
    """
    A query string in the one form a filtered list is shared under: without empty parameters
    or the first page, sorted by name, a repeated parameter keeping its values in their order.
    """
    return urlencode(
        [
            (name, value)
            for name in sorted(query)
            for value in query.getlist(name)
            if value.strip() and not (name == "page" and value == "1")
        ]
    )


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The absolute address of the current page, its query string in canonical form; "" without a request."""
    request = context.get("request")
    if request is None:
        return ""
    query = canonical_query(request.GET)
    url = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}"
    return f"{url}?{query}" if query else url


@register.filter
def open_graph_locale(language_code):
    """A language code as an Open Graph locale: "fr" is "fr_FR"."""
    return OPEN_GRAPH_LOCALES.get(language_code, to_locale(language_code))
