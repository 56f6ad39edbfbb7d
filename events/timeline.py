"""
The timeline: how many published events took place each year, stacked by the top-level body
that convened them, as the numbers of a table and the geometry of a bar chart drawn on the
server (templates/events/timeline.html).

An event counts in every year it spans, as the list's year filter does (`EventQuerySet.in_year`),
and once in each of those years: under the top-level body of its convening bodies, or under
"convened jointly" when they belong to several top-level bodies. So each bar is exactly as tall
as the list of that year is long.
"""

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models.functions import ExtractYear
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from bodies.models import Body
from catalogue.collation import sort_key

from .models import Event

# The top-level bodies with the most events get a layer each; the others share one.
MAX_BODIES = 6

# One colour per layer, in order: each at least 3.5:1 against the white page (WCAG 1.4.11,
# non-text contrast), and the seven solid ones at least 12 apart in CIELAB also under simulated
# protanopia, deuteranopia and tritanopia. The legend and the table name every layer anyway.
BODY_COLOURS = ["#0f5ca8", "#b35c00", "#117733", "#332288", "#d1495b", "#009988"]
OTHER_COLOUR = "#5f6672"
UNRECORDED_COLOUR = "#1c2430"
# Events convened jointly are hatched: dark stripes on gold (the template's <pattern>).
HATCH_ID = "timeline-hatch"
HATCH_COLOURS = ("#1c2430", "#f2b705")

OTHER, JOINT, UNRECORDED = "other", "joint", "unrecorded"
GROUP_LABELS = {
    # (label for the legend and the chart, short label for the table's header)
    OTHER: (_("Other bodies"), _("Other bodies")),
    JOINT: (_("Convened jointly by several bodies"), _("Several bodies")),
    UNRECORDED: (_("No convening body recorded"), _("Not recorded")),
}


@dataclass(eq=False)
class Group:
    """A layer of the bars: a top-level body, or the events of the other bodies, of several, or of none."""

    key: str
    fill: str
    body: Body | None = None
    members: list = field(default_factory=list)  # for the other bodies: the top-level bodies it holds
    events: int = 0  # how many events, each once, whatever the years it spans

    @property
    def label(self):
        return self.body.label if self.body else GROUP_LABELS[self.key][0]

    @property
    def short_label(self):
        return self.body.short_label if self.body else GROUP_LABELS[self.key][1]

    @property
    def is_hatched(self):
        return self.key == JOINT


@dataclass
class Cell:
    """How many events of a group took place in a year, and the list of events it stands for."""

    group: Group
    year: int
    count: int
    url: str

    @property
    def title(self):
        return ngettext(
            "%(group)s, %(year)s: %(count)s event", "%(group)s, %(year)s: %(count)s events", self.count
        ) % {"group": self.group.label, "year": self.year, "count": self.count}


@dataclass
class Year:
    year: int
    total: int
    url: str
    cells: list

    @property
    def title(self):
        return ngettext("%(year)s: %(count)s event", "%(year)s: %(count)s events", self.total) % {
            "year": self.year,
            "count": self.total,
        }


@dataclass
class Segment:
    cell: Cell
    y: float
    height: float


@dataclass
class Bar:
    year: Year
    x: float
    width: float
    slot_x: float  # the column the bar stands in, whose foot holds the year's label
    slot_width: float
    centre: float
    is_labelled: bool
    segments: list


@dataclass
class Tick:
    value: int
    y: float


def tick_step(highest, most_ticks=5):
    """The step of the value axis: 1, 2, 5, 10, 20, 50... whichever first needs at most `most_ticks` steps."""
    for magnitude in itertools.count():
        for base in (1, 2, 5):
            step = base * 10**magnitude
            if math.ceil(highest / step) <= most_ticks:
                return step


class Chart:
    """
    The geometry of the stacked bars, in the units of the SVG's viewBox, which the page then
    scales to its width: the bars get thinner as the years grow in number, and the year labels
    thin out to every 2nd, 5th or 10th year when there is no room for each.
    """

    width, height = 480, 260
    left, right, top, bottom = 36, 8, 10, 28
    font_size = 12
    label_room = 34  # what a year's label needs: four digits and a gap
    widest_bar = 40

    def __init__(self, years):
        plot_width = self.width - self.left - self.right
        plot_height = self.height - self.top - self.bottom
        self.baseline = self.top + plot_height
        self.axis_end = self.width - self.right
        self.label_y = self.baseline + self.font_size + 4
        self.tick_label_x = self.left - 6
        highest = max(year.total for year in years) or 1
        step = tick_step(highest)
        self.scale_top = step * math.ceil(highest / step)
        scale = plot_height / self.scale_top
        self.ticks = [
            Tick(value, _round(self.baseline - value * scale)) for value in range(0, self.scale_top + 1, step)
        ]
        slot = plot_width / len(years)
        bar_width = min(slot * 0.7, self.widest_bar)
        self.year_step = next(step for step in (1, 2, 5, 10, 20, 50, 100, 200, 500) if slot * step >= self.label_room)
        self.bars = []
        for index, year in enumerate(years):
            slot_x = self.left + index * slot
            segments = []
            below = 0
            for cell in year.cells:
                if cell.count:
                    top = below + cell.count
                    segments.append(Segment(cell, _round(self.baseline - top * scale), _round((top - below) * scale)))
                    below = top
            self.bars.append(
                Bar(
                    year=year,
                    x=_round(slot_x + (slot - bar_width) / 2),
                    width=_round(bar_width),
                    slot_x=_round(slot_x),
                    slot_width=_round(slot),
                    centre=_round(slot_x + slot / 2),
                    is_labelled=year.year % self.year_step == 0,
                    segments=segments,
                )
            )

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def _round(number):
    return round(number, 2)


class Timeline:
    """
    The published events per year and group, from `spans`, (event pk, first year, last year,
    convening body pk or None) rows, one per convening body of each event, and `bodies`, all
    of them, from `Body.objects.tree()`. Years without events between the first and the last
    are kept: a gap says something too.
    """

    hatch_id, hatch_colours = HATCH_ID, HATCH_COLOURS

    def __init__(self, spans, bodies):
        root_of = {body.pk: body.ancestors[0] if body.ancestors else body for body in bodies}
        years_of = {}
        roots_of = defaultdict(set)
        for event, first, last, body in spans:
            years_of[event] = (first, last)
            if body is not None:
                roots_of[event].add(root_of[body])

        def key_of(event):
            roots = roots_of[event]
            if not roots:
                return UNRECORDED
            return next(iter(roots)).pk if len(roots) == 1 else JOINT

        group_of_event = {event: key_of(event) for event in years_of}
        events_per_key = Counter(group_of_event.values())
        roots = sorted(
            {root for event_roots in roots_of.values() for root in event_roots if root.pk in events_per_key},
            key=lambda root: (-events_per_key[root.pk], sort_key(root.name)),
        )
        shown, others = (roots, []) if len(roots) <= MAX_BODIES else (roots[:MAX_BODIES], roots[MAX_BODIES:])

        self.groups = [
            Group(str(root.pk), colour, body=root, events=events_per_key[root.pk])
            for root, colour in zip(shown, BODY_COLOURS, strict=False)
        ]
        groups = {root.pk: group for root, group in zip(shown, self.groups, strict=True)}
        if others:
            other = Group(
                OTHER,
                OTHER_COLOUR,
                members=sorted(others, key=lambda root: sort_key(root.name)),
                events=sum(events_per_key[root.pk] for root in others),
            )
            self.groups.append(other)
            groups.update((root.pk, other) for root in others)
        for key, fill in [(JOINT, f"url(#{HATCH_ID})"), (UNRECORDED, UNRECORDED_COLOUR)]:
            if events_per_key[key]:
                groups[key] = Group(key, fill, events=events_per_key[key])
                self.groups.append(groups[key])

        counts = Counter()
        for event, (first, last) in years_of.items():
            for year in range(first, last + 1):
                counts[year, groups[group_of_event[event]]] += 1

        self.event_count = len(years_of)
        self.years = []
        if years_of:
            self.first_year = min(first for first, _last in years_of.values())
            self.last_year = max(last for _first, last in years_of.values())
            events_url = reverse("events:list")
            for year in range(self.first_year, self.last_year + 1):
                cells = [
                    Cell(group, year, counts[year, group], self.link(events_url, year, group)) for group in self.groups
                ]
                total = sum(cell.count for cell in cells)
                self.years.append(Year(year, total, self.link(events_url, year), cells))

    @classmethod
    def of(cls, events):
        """The timeline of `events`, a queryset of them: in two queries, whatever their number."""
        spans = events.order_by().values_list(
            "pk", ExtractYear("start_date"), ExtractYear("end_date"), "convening_bodies"
        )
        bodies = Body.objects.only("name", "short_name", "slug", "parent").tree()
        return cls(spans, bodies)

    @staticmethod
    def link(events_url, year, group=None):
        """The list of events of `year`, of the group's body and its subsidiaries when it is one body."""
        parameters = {"year": year}
        if group is not None and group.body is not None:
            parameters["body"] = group.body.slug
        return f"{events_url}?{urlencode(parameters)}"

    @cached_property
    def chart(self):
        return Chart(self.years) if self.years else None


class TimelineView(TemplateView):
    template_name = "events/timeline.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(timeline=Timeline.of(Event.objects.published()), **kwargs)


# Mounted at /timeline/ by the project's URLconf.
urlpatterns = [
    path("", TimelineView.as_view(), name="timeline"),
]
