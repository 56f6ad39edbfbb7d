"""
Events as iCalendar files (RFC 5545), for calendar applications.

`/events/calendar.ics` takes the query string of the events list and answers with the
same filtered events, all of them rather than one page, so that a calendar subscribed to
"the IRG's events" keeps following them. `/events/<slug>/calendar.ics` holds one event,
to add it to one's own calendar.

Choices, and why:

- Every event is an all-day event (DTSTART;VALUE=DATE, DTEND the day after the last):
  the catalogue records days, not hours or time zones.
- An event known only to the month or the year is not left out, since the calendar must
  hold what the list shows: it spans the whole month or year, as it is stored, and its
  description says first that the exact days are not recorded.
- Every event is "free" time (TRANSP:TRANSPARENT): it is a record of a meeting, not an
  appointment of the person who subscribes.
- The UID is made of the record's primary key and a constant name, never of its slug,
  title or the host that served it, so that an event renamed or read through another
  address stays the same event in the subscriber's calendar.
- SEQUENCE is the record's save counter, which only ever goes up, so that calendar
  applications take an edited event for a newer version of the same one.
- Each public document of the event is an ATTACH: the address of its download on this site
  (FMTTYPE its media type) or the address where it is; members-only documents are left out.
- STATUS is CANCELLED for a cancelled event, TENTATIVE for a postponed one (its dates no
  longer hold, and the new ones are not known) and CONFIRMED otherwise; the SUMMARY of the
  first two begins with "Cancelled: " or "Postponed: ", since not every application shows STATUS.
"""

import datetime

import icalendar
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from catalogue.records import IDENTITY_DOMAIN
from documents.models import DocumentAccess
from documents.public import documents_in_order, documents_prefetch

from .filters import EventFilter
from .models import DatePrecision, Event, EventStatus

PRODID = "-//WCO Integrity Catalogue//wcointegrity//EN"
FILENAME_PREFIX = "wco-integrity"
# Control characters but tab, line feed and carriage return (in UTF-8, each is one byte and no
# byte of another character), and DEL.
CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Calendar applications that honour it fetch a subscribed calendar again once a day.
REFRESH_INTERVAL = datetime.timedelta(days=1)
# RFC 5545's VEVENT STATUS for each status of an event.
ICALENDAR_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event):
    return f"event-{event.pk}@{IDENTITY_DOMAIN}"


def event_headline(event):
    """The event's title, after "Cancelled: " or "Postponed: " when it will not take place on its dates."""
    if event.status == EventStatus.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": event.title}
    if event.status == EventStatus.POSTPONED:
        return _("Postponed: %(title)s") % {"title": event.title}
    return event.title


def calendar_queryset():
    """The public events with what a calendar entry shows of them, read in one query per relation."""
    return Event.objects.published().prefetch_related("convening_bodies", "topics", documents_prefetch())


def event_description(event, url):
    """What the entry's notes say: the precision of partial dates, the conveners, the summary and the page."""
    parts = []
    if event.date_precision != DatePrecision.DAY:
        parts.append(
            _("The exact days are not recorded: this event took place in %(dates)s.") % {"dates": event.dates_display}
        )
    conveners = [body.short_label for body in event.convening_bodies.all()]
    if conveners:
        parts.append(_("Convened by %(bodies)s.") % {"bodies": ", ".join(conveners)})
    if event.summary:
        parts.append(event.summary)
    parts.append(url)
    return "\n\n".join(parts)


def event_component(event, request, stamp):
    url = request.build_absolute_uri(event.get_absolute_url())
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp)
    component.add("dtstart", event.start_date)
    component.add("dtend", event.end_date + datetime.timedelta(days=1))
    component.add("summary", event_headline(event))
    component.add("status", ICALENDAR_STATUS[event.status])
    if event.place_display:
        component.add("location", event.place_display)
    component.add("description", event_description(event, url))
    component.add("url", url)
    component.add("transp", "TRANSPARENT")
    component.add("sequence", event.lock_version)
    if event.first_published_at:
        component.add("created", event.first_published_at)
    topics = [topic.name for topic in event.topics.all()]
    if topics:
        component.add("categories", topics)
    for document in documents_in_order(event, get_language()):
        if document.access == DocumentAccess.PUBLIC:
            parameters = {"FMTTYPE": document.media_type} if document.media_type else {}
            component.add("attach", request.build_absolute_uri(document.get_absolute_url()), parameters=parameters)
    return component


def build_calendar(events, request, name):
    """An iCalendar object holding `events`, named `name` in the subscriber's list of calendars."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    # The moment this file was made: RFC 5545 asks for one, and the catalogue keeps no edit time.
    stamp = timezone.now().replace(microsecond=0)
    for event in events:
        calendar.add_component(event_component(event, request, stamp))
    return calendar


def calendar_response(calendar, filename):
    # RFC 5545 allows no control character but tab in a text: any that a record holds is left out.
    response = HttpResponse(
        calendar.to_ical().translate(None, CONTROL_BYTES), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def filtered_filename(filterset):
    """Says what the file holds: wco-integrity-events-2019-unodc.ics, wco-integrity-events-article-5.ics."""
    return slugify("-".join([FILENAME_PREFIX, "events", *filterset.filename_parts()])) + ".ics"


def filtered_name(filterset):
    labels = [active.label for active in filterset.active_filters]
    if not labels:
        return _("WCO Integrity Catalogue: events")
    return _("WCO Integrity Catalogue: events (%(filters)s)") % {"filters": ", ".join(labels)}


def invalid_filters_explanation(form):
    lines = [_("These filters could not be applied, so no calendar was made:")]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            lines.append(f"- {label} ({name}): {error}" if label else f"- {error}")
    return "\n".join(lines) + "\n"


class EventCalendarView(FilterView):
    """
    The events that the list shows for the same query string, every page of them, as one
    calendar. A FilterView like the list, so that it reads the query string as the list does.
    """

    filterset_class = EventFilter

    def get_queryset(self):
        return calendar_queryset()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponseBadRequest(
                invalid_filters_explanation(filterset.form), content_type="text/plain; charset=utf-8"
            )
        calendar = build_calendar(filterset.qs, request, filtered_name(filterset))
        return calendar_response(calendar, filtered_filename(filterset))


class SingleEventCalendarView(DetailView):
    """One public event as a calendar file, to add it to one's own calendar; 404 for any other."""

    model = Event

    def get_queryset(self):
        return calendar_queryset()

    def render_to_response(self, context, **response_kwargs):
        calendar = build_calendar([self.object], self.request, self.object.title)
        return calendar_response(calendar, f"{FILENAME_PREFIX}-event-{self.object.slug}.ics")
