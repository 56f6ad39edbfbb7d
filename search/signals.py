"""
Keeping the search vectors up to date (PostgreSQL): a record's vector is refreshed when it
is saved and when the related records its document reads are added, removed or renamed.
Each refresh is one UPDATE of the records concerned; on other databases it does nothing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from bodies.models import Body
from events.models import Event, Participation, Series
from events.search import EVENT_DOCUMENT
from instruments.models import Instrument
from instruments.search import INSTRUMENT_DOCUMENT
from topics.models import Topic


def refresh_events(queryset):
    EVENT_DOCUMENT.refresh(queryset)


def refresh_instruments(queryset):
    INSTRUMENT_DOCUMENT.refresh(queryset)


def event_saved(sender, instance, using, **kwargs):
    EVENT_DOCUMENT.refresh_keys(Event, [instance.pk], using)


def instrument_saved(sender, instance, using, **kwargs):
    INSTRUMENT_DOCUMENT.refresh_keys(Instrument, [instance.pk], using)


def participation_changed(sender, instance, using, **kwargs):
    EVENT_DOCUMENT.refresh_keys(Event, [instance.event_id], using)


def links_changed(model, document):
    """
    A handler of m2m_changed on one of `model`'s many-to-many fields: it refreshes the
    records of `model` whose links changed, from either side of the relation.
    """

    def handler(sender, instance, action, reverse, pk_set, using, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            document.refresh_keys(model, [instance.pk], using)
        elif pk_set is not None:
            document.refresh_keys(model, pk_set, using)
        else:  # A related record cleared of all its links: which ones is no longer known.
            document.refresh(model.objects.using(using).all())

    return handler


def body_saved(sender, instance, created, **kwargs):
    if created:
        return  # Nothing links to it yet.
    refresh_events(
        Event.objects.filter(pk__in=Event.convening_bodies.through.objects.filter(body=instance).values("event"))
        | Event.objects.filter(pk__in=Participation.objects.filter(body=instance).values("event"))
    )
    refresh_instruments(Instrument.objects.filter(issuing_body=instance))


def topic_saved(sender, instance, created, **kwargs):
    if created:
        return
    refresh_events(Event.objects.filter(pk__in=Event.topics.through.objects.filter(topic=instance).values("event")))
    refresh_instruments(
        Instrument.objects.filter(pk__in=Instrument.topics.through.objects.filter(topic=instance).values("instrument"))
    )


def series_saved(sender, instance, created, **kwargs):
    if not created:
        refresh_events(Event.objects.filter(series=instance))


# Each receiver is a module-level function, kept by strong reference, with a dispatch uid.
EVENT_LINKS = links_changed(Event, EVENT_DOCUMENT)
INSTRUMENT_LINKS = links_changed(Instrument, INSTRUMENT_DOCUMENT)


def connect():
    post_save.connect(event_saved, sender=Event, dispatch_uid="search_event_saved")
    post_save.connect(instrument_saved, sender=Instrument, dispatch_uid="search_instrument_saved")
    post_save.connect(participation_changed, sender=Participation, dispatch_uid="search_participation_saved")
    post_delete.connect(participation_changed, sender=Participation, dispatch_uid="search_participation_deleted")
    for field in (Event.convening_bodies, Event.topics):
        m2m_changed.connect(EVENT_LINKS, sender=field.through, dispatch_uid=f"search_event_{field.field.name}")
    m2m_changed.connect(INSTRUMENT_LINKS, sender=Instrument.topics.through, dispatch_uid="search_instrument_topics")
    post_save.connect(body_saved, sender=Body, dispatch_uid="search_body_saved")
    post_save.connect(topic_saved, sender=Topic, dispatch_uid="search_topic_saved")
    post_save.connect(series_saved, sender=Series, dispatch_uid="search_series_saved")
