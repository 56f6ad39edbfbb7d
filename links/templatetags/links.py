from django import template

from catalogue.templatetags.catalogue import web_address
from publishing.cache import kept

from ..models import Link, LinkState

register = template.Library()


def offered_copies():
    """{address: its archived copy's address} of the broken links that have one."""
    links = Link.objects.filter(state=LinkState.BROKEN).exclude(archived_url="")
    return dict(links.values_list("url", "archived_url"))


@register.filter
def archived_copy(url):
    """
    The address of the archived copy that the public pages offer beside `url`, when the link is
    broken, or "". Read once a catalogue version: a change of what it gives renews the version.
    """
    copies = kept(("links-archived",), offered_copies, per_language=False)
    return web_address(copies.get(url, ""))
