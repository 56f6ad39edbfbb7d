import calendar
import datetime
from collections import defaultdict

from django.contrib.humanize.templatetags.humanize import ordinal
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from choices.constraints import ChoicesConstraint
from documents.models import Documented
from editorial.models import Lockable
from publishing.models import Publishable, PublishableQuerySet, published_records


class Role(models.TextChoices):
    """What a body, the WCO included, did at an event."""

    ORGANISER = "organiser", _("Organiser")
    HOST = "host", _("Host")
    CHAIR = "chair", _("Chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    KEYNOTE_SPEAKER = "keynote_speaker", _("Keynote speaker")
    PRESENTER = "presenter", _("Presenter")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact days")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    """Whether the event takes place as announced (schema.org's EventStatusType, in part)."""

    SCHEDULED = "scheduled", _("As announced")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class TimeState(models.TextChoices):
    """Where an event stands on a given day: its dates against that day, unless it is postponed or cancelled."""

    UPCOMING = "upcoming", _("Upcoming")
    ONGOING = "ongoing", _("Taking place now")
    PAST = "past", _("Past")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


def time_state_q(state, today):
    """
    The events in `state` on the date `today`, as a filter. The one definition the queryset
    methods use; `Event.time_state_on` says the same of one event in Python.
    """
    scheduled = models.Q(status=EventStatus.SCHEDULED)
    return {
        TimeState.UPCOMING: scheduled & models.Q(start_date__gt=today),
        TimeState.ONGOING: scheduled & models.Q(start_date__lte=today, end_date__gte=today),
        TimeState.PAST: scheduled & models.Q(end_date__lt=today),
        TimeState.POSTPONED: models.Q(status=EventStatus.POSTPONED),
        TimeState.CANCELLED: models.Q(status=EventStatus.CANCELLED),
    }[TimeState(state)]


def time_state_of(status, start_date, end_date, today):
    """The `TimeState` on `today` of an event with these status and dates: what `time_state_q` selects."""
    if status == EventStatus.CANCELLED:
        return TimeState.CANCELLED
    if status == EventStatus.POSTPONED:
        return TimeState.POSTPONED
    if start_date > today:
        return TimeState.UPCOMING
    if end_date >= today:
        return TimeState.ONGOING
    return TimeState.PAST


class SessionNoun(models.TextChoices):
    SESSION = "session", _("session")
    MEETING = "meeting", _("meeting")
    CONFERENCE = "conference", _("conference")


class SeriesQuerySet(models.QuerySet):
    def public(self, reviewed=False):
        """
        The series of published events, which their pages and the series filter show; with
        `reviewed`, also those of events in review or scheduled for later.
        """
        return self.filter(pk__in=published_records(Event, reviewed).values("series"))


class Series(Lockable):
    """Numbered sessions or meetings of one body, such as the sessions of the IRG."""

    name = models.CharField(
        _("name"), max_length=255, help_text=_("E.g. Sessions of the Implementation Review Group.")
    )
    slug = models.SlugField(_("slug"), max_length=100, db_index=False)
    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="series")
    session_noun = models.CharField(
        _("session noun"),
        max_length=30,
        choices=SessionNoun.choices,
        default=SessionNoun.SESSION,
        help_text=_("What one event of the series is called."),
    )

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = pgettext_lazy("plural", "series")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="series_slug_unique"),
            ChoicesConstraint(
                condition=models.Q(session_noun__in=SessionNoun.values), name="series_session_noun_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:list") + f"?series={self.slug}"


class EventQuerySet(PublishableQuerySet):
    def convened_by(self, body_pks):
        """Events that any of the given bodies convened, each event once."""
        convenings = Event.convening_bodies.through.objects.filter(body__in=body_pks)
        return self.filter(pk__in=convenings.values("event"))

    def in_year(self, year):
        """Events that took place at any time in the given year, multi-year spans included."""
        return self.in_years([year])

    def in_years(self, years):
        """Events that took place at any time in any of the given years."""
        spans = models.Q()
        for year in years:
            spans |= models.Q(start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1))
        return self.filter(spans)

    def count_per_year(self):
        """{year: how many of these events took place at any time that year}, in one query."""
        spans = (
            self.order_by()
            .values(first=ExtractYear("start_date"), last=ExtractYear("end_date"))
            .annotate(events=models.Count("pk"))
            .values_list("first", "last", "events")
        )
        counts = defaultdict(int)
        for first, last, events in spans:
            for year in range(first, last + 1):
                counts[year] += events
        return dict(counts)

    def year_pairs(self):
        """(pk, year) for each year in which each of these events took place."""
        spans = self.order_by().values_list("pk", ExtractYear("start_date"), ExtractYear("end_date"))
        return ((pk, year) for pk, first, last in spans for year in range(first, last + 1))

    def attended_by(self, body_pks):
        """Events in which any of the given bodies took part other than as convener, each event once."""
        participations = Participation.objects.filter(body__in=body_pks)
        return self.filter(pk__in=participations.values("event"))

    def count_per_body(self, bodies):
        """
        For bodies from `Body.objects.tree()`, {body pk: how many of these events the
        body or any of its subsidiaries convened}; an event convened jointly counts once.
        """
        convened = defaultdict(set)
        pairs = Event.convening_bodies.through.objects.filter(event__in=self).values_list("body", "event")
        for body_pk, event_pk in pairs:
            convened[body_pk].add(event_pk)
        return {body.pk: len(set().union(*(convened[pk] for pk in body.subtree_pks))) for body in bodies}

    def for_listing(self):
        """What a list of events shows: the series and the convening bodies."""
        return self.select_related("series").prefetch_related("convening_bodies")

    def in_time_states(self, states, today=None):
        """The events in any of the given time states (see `TimeState`) on `today`, by default the local date."""
        today = today or timezone.localdate()
        condition = models.Q(pk__in=[])  # matches nothing: no states, no events
        for state in states:
            condition |= time_state_q(state, today)
        return self.filter(condition)

    def time_state_counts(self, today=None):
        """{time state: how many of these events are in it on `today`} for every state, in one query."""
        today = today or timezone.localdate()
        return self.order_by().aggregate(
            **{
                state.value: models.Count("pk", distinct=True, filter=time_state_q(state, today))
                for state in TimeState
            }
        )


class Event(Documented, Lockable, Publishable):
    # Its participants and documents are saved in its history with it, so that restoring an event restores them too.
    history_follows = ("participations", "documents")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, db_index=False)
    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    session_number = models.PositiveIntegerField(
        _("session number"), null=True, blank=True, help_text=_("Its number in the series: 13 for the 13th session.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), blank=True, help_text=_("Leave empty for a one-day event."))
    date_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "How much of the dates is known. With month or year only, the dates are stored as the first "
            "and last day of that month or year."
        ),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    format = models.CharField(_("format"), max_length=16, choices=EventFormat.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_(
            "Postponed: it will not take place on these dates and new ones are not known yet. "
            "Cancelled: it will not take place."
        ),
    )
    convening_bodies = models.ManyToManyField(
        "bodies.Body", verbose_name=_("convening bodies"), related_name="convened_events"
    )
    wco_role = models.CharField(_("role of the WCO"), max_length=32, choices=Role.choices, blank=True)
    participants = models.ManyToManyField(
        "bodies.Body",
        verbose_name=_("other participants"),
        through="Participation",
        blank=True,
        related_name="attended_events",
    )
    topics = models.ManyToManyField("topics.Topic", verbose_name=_("topics"), blank=True, related_name="events")
    instruments = models.ManyToManyField(
        "instruments.Instrument",
        verbose_name=_("instruments presented or discussed"),
        blank=True,
        related_name="events",
    )
    uncac_articles = models.ManyToManyField(
        "uncac.Article", verbose_name=_("UNCAC articles discussed"), blank=True, related_name="events"
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField("sources.Source", verbose_name=_("sources"), blank=True, related_name="events")
    contact_email = models.EmailField(_("contact address"), blank=True)
    # Kept up to date on PostgreSQL by the search app; empty on SQLite, which searches the texts.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "-end_date", "title"]
        indexes = [*Publishable.Meta.indexes, models.Index(fields=["start_date", "end_date"], name="event_dates_idx")]
        permissions = [("publish_event", _("Can publish and unpublish events"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["slug"], name="event_slug_unique"),
            models.UniqueConstraint(
                fields=["series", "session_number"],
                condition=models.Q(series__isnull=False, session_number__isnull=False),
                name="event_session_number_unique_in_series",
            ),
            models.CheckConstraint(
                condition=models.Q(session_number__isnull=True) | models.Q(session_number__gte=1),
                name="event_session_number_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(session_number__isnull=True) | models.Q(series__isnull=False),
                name="event_session_number_needs_series",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="event_end_not_before_start"
            ),
            ChoicesConstraint(
                condition=models.Q(date_precision__in=DatePrecision.values), name="event_date_precision_valid"
            ),
            ChoicesConstraint(condition=models.Q(format__in=["", *EventFormat.values]), name="event_format_valid"),
            ChoicesConstraint(condition=models.Q(wco_role__in=["", *Role.values]), name="event_wco_role_valid"),
            ChoicesConstraint(condition=models.Q(status__in=EventStatus.values), name="event_status_valid"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.normalise_dates()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start_date:
            self.normalise_dates()
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("The event cannot end before it starts.")})
        if self.session_number is not None and self.series_id is None:
            raise ValidationError({"series": _("A session number needs the series it belongs to.")})

    def normalise_dates(self):
        """
        Store what is known: a one-day event ends when it starts, and with only the
        month or the year known the dates cover that whole month or year.
        """
        if self.start_date is None:
            return
        if self.end_date is None:
            self.end_date = self.start_date
        if self.date_precision == DatePrecision.MONTH:
            self.start_date = self.start_date.replace(day=1)
            last_day = calendar.monthrange(self.end_date.year, self.end_date.month)[1]
            self.end_date = self.end_date.replace(day=last_day)
        elif self.date_precision == DatePrecision.YEAR:
            self.start_date = self.start_date.replace(month=1, day=1)
            self.end_date = self.end_date.replace(month=12, day=31)

    @property
    def ordinal_label(self):
        """E.g. "13th session", or "" outside a numbered series."""
        if self.series_id is None or self.session_number is None:
            return ""
        # humanize's ordinal is HTML in some languages (French: 13<sup>e</sup>).
        return format_html(
            gettext("{ordinal} {noun}"),
            ordinal=ordinal(self.session_number),
            noun=self.series.get_session_noun_display(),
        )

    @property
    def date_parts(self):
        """
        The dates as precisely as they are known, as (separator, machine-readable date, text)
        triples: one for a single date, two for a range, such as ("", "2022-09-05", "5") and
        ("–", "2022-09-08", "8 September 2022").
        """
        start, end = self.start_date, self.end_date or self.start_date
        full, iso = {
            DatePrecision.DAY: ("j F Y", "%Y-%m-%d"),
            DatePrecision.MONTH: ("F Y", "%Y-%m"),
            DatePrecision.YEAR: ("Y", "%Y"),
        }[self.date_precision]
        start_text, end_text = date_format(start, full), date_format(end, full)
        if start_text == end_text:
            return [("", start.strftime(iso), start_text)]
        if self.date_precision == DatePrecision.DAY and (start.year, start.month) == (end.year, end.month):
            start_text = date_format(start, "j")
        elif self.date_precision != DatePrecision.YEAR and start.year == end.year:
            start_text = date_format(start, "j F" if self.date_precision == DatePrecision.DAY else "F")
        separator = " – " if " " in start_text else "–"
        return [("", start.strftime(iso), start_text), (separator, end.strftime(iso), end_text)]

    @property
    def dates_display(self):
        """The dates as plain text: "5–8 September 2022", "30 May – 2 June 2019", "February 2025", "2016"."""
        return "".join(separator + text for separator, _iso, text in self.date_parts)

    @property
    def time_state(self):
        """The event's `TimeState` today (the local date)."""
        return self.time_state_on(timezone.localdate())

    def time_state_on(self, today):
        """The event's `TimeState` on the date `today`."""
        return time_state_of(self.status, self.start_date, self.end_date or self.start_date, today)

    @property
    def place_display(self):
        parts = [part for part in (self.city, self.country.name if self.country else "") if part]
        return ", ".join(parts)

    def series_neighbours(self):
        """The published events just before and after this one in its series: (previous, next)."""
        if self.series_id is None or self.session_number is None:
            return None, None
        siblings = Event.objects.published().filter(series=self.series_id).exclude(pk=self.pk)
        previous = siblings.filter(session_number__lt=self.session_number).order_by("-session_number").first()
        following = siblings.filter(session_number__gt=self.session_number).order_by("session_number").first()
        return previous, following


class Participation(models.Model):
    """A body other than the convener taking part in an event, in a role."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations")
    body = models.ForeignKey(
        "bodies.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.PARTICIPANT)
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("What it presented or said, in a few words.")
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["event", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "body"], name="participation_unique_per_event"),
            ChoicesConstraint(condition=models.Q(role__in=Role.values), name="participation_role_valid"),
        ]

    def __str__(self):
        return _("%(body)s at %(event)s") % {"body": self.body, "event": self.event}
