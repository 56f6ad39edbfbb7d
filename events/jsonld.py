"""An event's JSON-LD: a schema.org Event, with its dates as precise as they are known."""

from linkeddata.schema import digital_documents, link, organization, register

from .models import DatePrecision, Event, EventFormat, EventStatus

# ISO 8601 at the precision known: "2024-06-03", "2024-06" or "2024".
DATE_FORMATS = {DatePrecision.DAY: "%Y-%m-%d", DatePrecision.MONTH: "%Y-%m", DatePrecision.YEAR: "%Y"}
STATUSES = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
ATTENDANCE_MODES = {
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def place(event):
    address = {"@type": "PostalAddress"}
    if event.city:
        address["addressLocality"] = event.city
    if event.country:
        address["addressCountry"] = event.country.code
    return {"@type": "Place", "name": event.place_display, "address": address}


def locations(event):
    """Where it took place: a Place (city, country), a VirtualLocation online, both when hybrid."""
    found = []
    if event.format != EventFormat.ONLINE and (event.city or event.country):
        found.append(place(event))
    if event.format in (EventFormat.ONLINE, EventFormat.HYBRID):
        found.append({"@type": "VirtualLocation"})
    return found


@register(Event)
def describe_event(event, request):
    date_format = DATE_FORMATS[event.date_precision]
    node = {
        "@type": "Event",
        "name": event.title,
        "startDate": event.start_date.strftime(date_format),
        "endDate": (event.end_date or event.start_date).strftime(date_format),
        "eventStatus": STATUSES[event.status],
    }
    if event.summary:
        node["description"] = event.summary
    if event.format:
        node["eventAttendanceMode"] = ATTENDANCE_MODES[event.format]
    if where := locations(event):
        node["location"] = where[0] if len(where) == 1 else where
    if bodies := event.convening_bodies.all():
        node["organizer"] = [organization(body, request) for body in bodies]
    if topics := event.topics.all():
        node["about"] = [link(topic, request) for topic in topics]
    instruments = [instrument for instrument in event.instruments.all() if instrument.is_public]
    if instruments:
        node["workFeatured"] = [link(instrument, request, "CreativeWork") for instrument in instruments]
    if documents := digital_documents(event, request):
        node["subjectOf"] = documents
    return node
