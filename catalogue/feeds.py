"""
Atom feeds of newly published records, for feed readers: each kind of record's own
(RecordFeed, in its app's feeds.py) and those of what records point to, such as the events and
instruments of a body or a topic (CoveringFeed). Entries come newest first by the time the
record first became public, which never changes once it has come; their "updated" time is when
the record last went public (later than the first for a record unpublished and published again).
Only what `published()` gives appears, so drafts and records scheduled for later never do.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .records import IDENTITY_DOMAIN, covering_types, record_type_of
from .text import without_control_characters

FEED_LENGTH = 50
# Entry ids are tag URIs (RFC 4151) built like the calendar UIDs, from the primary key: an
# entry keeps its id when the record is renamed or the site moves to another address.
TAG_PREFIX = f"tag:{IDENTITY_DOMAIN},2026:"
NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), "-pk")


def newest(*querysets):
    """The newest FEED_LENGTH records of several kinds together, with one query per kind and relation."""
    records = [record for queryset in querysets for record in queryset[:FEED_LENGTH]]
    records.sort(key=lambda record: (record.first_published_at is not None, record.first_published_at), reverse=True)
    return records[:FEED_LENGTH]


def xml_text(value):
    """A value of a feed, its texts without the control characters that XML 1.0 cannot carry."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class AtomFeed(Atom1Feed):
    """An Atom feed that leaves out any control character of a record's text, rather than failing on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {name: xml_text(value) for name, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {name: xml_text(value) for name, value in self.items[-1].items()}


class CatalogueFeed(Feed):
    """What every feed of the catalogue says of an event or an instrument."""

    feed_type = AtomFeed
    author_name = gettext_lazy("WCO Integrity Catalogue")
    # For a feed with a slug in its address, the records whose slugs fill it in.
    model = None

    @property
    def view_class(self):
        """As on a view made by `as_view()`: the class, and with it the `model`, for tools that walk the URLs."""
        return type(self)

    def description(self, obj=None):
        # Atom shows it as the subtitle; Django's feeds require it.
        return self.subtitle(obj)

    def subtitle(self, obj=None):
        return _("Events and instruments of the WCO's work on integrity, newest first by date of publication.")

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{TAG_PREFIX}{item._meta.model_name}-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        return linebreaks(self.item_text(item), autoescape=True)

    def item_text(self, item):
        """The entry's text: plain, its paragraphs apart."""
        return ""

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return max(filter(None, (item.publish_at, item.first_published_at)), default=None)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def get_feed(self, obj, request):
        """The feed, with its enclosures' addresses (given from the site's root) made absolute."""
        feed = super().get_feed(obj, request)
        for item in feed.items:
            item["enclosures"] = [
                Enclosure(request.build_absolute_uri(enclosure.url), enclosure.length, enclosure.mime_type)
                for enclosure in item["enclosures"]
            ]
        return feed


class RecordFeed(CatalogueFeed):
    """The newest published records of one kind, registered with it (records.py)."""

    @classmethod
    def records(cls):
        """The published records, newest first, with what their entries show."""
        raise NotImplementedError

    def items(self):
        return self.records()[:FEED_LENGTH]


class CoveringFeed(CatalogueFeed):
    """
    The newest records of every kind that point to one record of `model` (records.py, `covers`),
    each entry as the feed of its kind writes it.
    """

    def covered_pks(self, obj):
        """The records of the model whose coverers are shown: `obj` alone unless said otherwise."""
        return None

    def items(self, obj):
        pks = self.covered_pks(obj)
        return newest(
            *(
                record_type.covering(obj, pks, records=record_type.feed.records())
                for record_type in covering_types(type(obj))
            )
        )

    def feed_of(self, item):
        return record_type_of(type(item)).feed()

    def item_title(self, item):
        return self.feed_of(item).item_title(item)

    def item_text(self, item):
        return self.feed_of(item).item_text(item)

    def item_enclosures(self, item):
        return self.feed_of(item).item_enclosures(item)
