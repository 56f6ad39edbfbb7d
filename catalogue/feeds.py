"""
Atom feeds of newly published records, for feed readers: each kind of record's own, of its
list as it is filtered and searched (RecordFeed, in its app's feeds.py), and those that mix
several kinds (MixedFeed): what records point to, such as the events and instruments of a
body or a topic (CoveringFeed), and the search of the whole catalogue (pages/search.py).
Entries come newest first by the time the record first became public, which never changes
once it has come; their "updated" time is when the record last went public (later than the
first for a record unpublished and published again). Only what `published()` gives appears,
so drafts and records scheduled for later never do.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.functional import cached_property
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from publishing.parameters import filterset_parameters

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


def with_query(url, query):
    return f"{url}?{query}" if query else url


def followed(filterset):
    """What a list's filters choose, for its feed's title: “asset recovery”, 2025, Integrity Sub-Committee."""
    return ", ".join(
        _("“%(words)s”") % {"words": active.label} if active.name == "q" else active.label
        for active in filterset.active_filters
    )


class RefusedQuery(Exception):
    """A query string that a feed cannot follow: its form, with the errors to explain."""

    def __init__(self, form):
        super().__init__(form.errors)
        self.form = form

    def response(self):
        """A 400 that says in plain text which filter is wrong and why, as the calendars do."""
        lines = [_("These filters could not be applied, so no feed was made:")]
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            lines += [f"- {label} ({name}): {error}" if label else f"- {error}" for error in errors]
        return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


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

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except RefusedQuery as refused:
            return refused.response()

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
    """
    The newest published records of one kind, registered with it (records.py), among those
    that its list finds for the same query string: `/events/feed/?body=isc&year=2025` follows
    the list `/events/?body=isc&year=2025`, and `/events/feed/` every published event. The
    list's own view reads the filters (`list_view`), as for the downloads (exports.py), so that
    a feed never holds a record that the list would not show, and refuses what the list
    refuses, with a 400 that says why.
    """

    list_view = None
    # The feed's title without filters, and with them ("Events: %(filters)s").
    everything_title = ""
    filtered_title = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.list_view is None:
            raise TypeError(f"{cls.__qualname__} needs a list_view: the list whose filters its feed follows.")

    @cached_property
    def query_parameters(self):
        """What the list's filters read (publishing/parameters.py): the feed is cached for each of their values."""
        return filterset_parameters(self.list_view.filterset_class)

    @classmethod
    def records(cls):
        """The published records, newest first, with what their entries show."""
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        """The list's FilterSet, bound to the query string as on the list's page."""
        listing = self.list_view()
        listing.setup(request, *args, **kwargs)
        filterset = listing.get_filterset(listing.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            raise RefusedQuery(filterset.form)
        return filterset

    def items(self, filterset):
        records = self.records()
        if filterset.is_bound:
            records = records.filter(pk__in=filterset.qs.values("pk"))
        return records[:FEED_LENGTH]

    def title(self, filterset):
        if filterset.active_filters:
            return self.filtered_title % {"filters": followed(filterset)}
        return str(self.everything_title)

    def link(self, filterset):
        """The list's page, as the feed filters it."""
        return with_query(self.list_url(), filterset.query_string())

    def list_url(self):
        raise NotImplementedError

    def feed_url(self, filterset):
        return with_query(filterset.request.path, filterset.query_string())


class MixedFeed(CatalogueFeed):
    """A feed of several kinds of record, each entry as the feed of its kind writes it."""

    def feed_of(self, item):
        return record_type_of(type(item)).feed()

    def item_title(self, item):
        return self.feed_of(item).item_title(item)

    def item_text(self, item):
        return self.feed_of(item).item_text(item)

    def item_enclosures(self, item):
        return self.feed_of(item).item_enclosures(item)


class CoveringFeed(MixedFeed):
    """The newest records of every kind that point to one record of `model` (records.py, `covers`)."""

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
