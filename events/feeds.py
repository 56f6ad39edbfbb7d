"""
Atom feeds of newly published records, for feed readers: all events, all instruments,
and the events and instruments of one body (its subsidiaries included) or one topic.

Entries come newest first by the time the record first became public, which never
changes once it has come; their "updated" time is when the record last went public
(later than the first for a record unpublished and published again). Only what
`published()` gives appears, so drafts and records scheduled for later never do.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bodies.models import Body
from catalogue.text import without_control_characters
from instruments.models import Instrument
from topics.models import Topic

from .calendars import IDENTITY_DOMAIN, event_headline
from .models import Event

FEED_LENGTH = 50
# Entry ids are tag URIs (RFC 4151) built like the calendar UIDs, from the primary key: an
# entry keeps its id when the record is renamed or the site moves to another address.
TAG_PREFIX = f"tag:{IDENTITY_DOMAIN},2026:"
NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), "-pk")


def public_events():
    return Event.objects.published().prefetch_related("topics").order_by(*NEWEST_FIRST)


def public_instruments():
    return (
        Instrument.objects.published()
        .select_related("issuing_body")
        .prefetch_related("topics")
        .order_by(*NEWEST_FIRST)
    )


def newest(*querysets):
    """The newest FEED_LENGTH records of several kinds together, with one query per kind and relation."""
    records = [record for queryset in querysets for record in queryset[:FEED_LENGTH]]
    records.sort(key=lambda record: (record.first_published_at is not None, record.first_published_at), reverse=True)
    return records[:FEED_LENGTH]


def event_text(event):
    facts = " · ".join(part for part in (event.dates_display, event.place_display) if part)
    return "\n\n".join(part for part in (facts, event.summary) if part)


def instrument_text(instrument):
    facts = instrument.get_kind_display()
    if instrument.issuing_body:
        facts = _("%(kind)s, issued by %(body)s") % {"kind": facts, "body": instrument.issuing_body.short_label}
    return "\n\n".join(part for part in (facts, instrument.description) if part)


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
        return event_headline(item) if isinstance(item, Event) else item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{TAG_PREFIX}{item._meta.model_name}-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        text = event_text(item) if isinstance(item, Event) else instrument_text(item)
        return linebreaks(text, autoescape=True)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return max(filter(None, (item.publish_at, item.first_published_at)), default=None)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class EventFeed(CatalogueFeed):
    def title(self):
        return _("WCO Integrity Catalogue: new events")

    def link(self):
        return reverse("events:list")

    def items(self):
        return public_events()[:FEED_LENGTH]


class InstrumentFeed(CatalogueFeed):
    def title(self):
        return _("WCO Integrity Catalogue: new instruments")

    def link(self):
        return reverse("instruments:list")

    def items(self):
        return public_instruments()[:FEED_LENGTH]


class BodyFeed(CatalogueFeed):
    """The events that a body or its subsidiaries convened and the instruments they issued, as on its page."""

    model = Body

    def get_object(self, request, slug):
        for body in Body.objects.public().tree():
            if body.slug == slug:
                return body
        raise Http404(_("There is no body at this address."))

    def title(self, body):
        return _("%(body)s: new events and instruments") % {"body": body.label}

    def link(self, body):
        return body.get_absolute_url()

    def items(self, body):
        return newest(public_events().convened_by(body.subtree_pks), public_instruments().issued_by(body.subtree_pks))


class TopicFeed(CatalogueFeed):
    model = Topic

    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, topic):
        return _("%(topic)s: new events and instruments") % {"topic": topic.name}

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return newest(public_events().filter(topics=topic), public_instruments().filter(topics=topic))
