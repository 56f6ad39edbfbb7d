from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.feeds import TAG_PREFIX, CatalogueFeed

from .corrections import recent_corrections


class ChangesFeed(CatalogueFeed):
    """The most recent corrections of published records, newest first: what each changed."""

    def title(self):
        return _("Recent changes to the WCO Integrity Catalogue")

    def link(self):
        return reverse("changes:recent")

    def subtitle(self, obj=None):
        return _("Corrections made to published events and instruments, newest first, with what each changed.")

    def items(self):
        return recent_corrections()

    def item_title(self, item):
        return _("Corrected: %(record)s") % {"record": item.record}

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return f"{TAG_PREFIX}change-{item.version_id}"

    def item_description(self, item):
        return render_to_string("changes/changes.html", {"correction": item})

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at

    def item_categories(self, item):
        return []
