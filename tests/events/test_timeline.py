"""
The timeline page: published events per year, stacked by top-level convening body, drawn as an
SVG chart and given as a table, every number linking to the events it counts.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Event
from events.timeline import (
    BODY_COLOURS,
    HATCH_COLOURS,
    JOINT,
    OTHER,
    OTHER_COLOUR,
    UNRECORDED_COLOUR,
    Chart,
    Timeline,
    tick_step,
)
from publishing.models import PublicationStatus
from tests.factories import built_once, make_body, make_event

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


class Catalogue:
    """
    Two hierarchies and a lone body: UNODC > Conference (COSP) > IRG, and the WCO's Policy
    Commission > Integrity Sub-Committee (ISC); the IMF on its own.
    """

    def __init__(self):
        self.unodc = make_body("United Nations Office on Drugs and Crime", short_name="UNODC", slug="unodc")
        self.cosp = make_body("Conference of the States Parties", slug="cosp", parent=self.unodc)
        self.irg = make_body("Implementation Review Group", short_name="IRG", slug="irg", parent=self.cosp)
        self.wco = make_body("Policy Commission", slug="policy-commission")
        self.isc = make_body("Integrity Sub-Committee", short_name="ISC", slug="isc", parent=self.wco)
        self.imf = make_body("International Monetary Fund", short_name="IMF", slug="imf")

        make_event("IRG 2019", start="2019-06-03", bodies=[self.irg])
        make_event("COSP 2019", start="2019-12-16", bodies=[self.cosp])
        # Two years, each counted once; convened by the ISC and its own parent: one root.
        make_event("ISC across new year", start="2019-12-30", end="2020-01-03", bodies=[self.isc, self.wco])
        # Roots UNODC and WCO together: jointly, in 2020 only.
        make_event("Joint 2020", start="2020-03-02", bodies=[self.irg, self.isc])
        # Nothing in 2021: an empty bar.
        make_event("IMF 2022", start="2022-09-05", bodies=[self.imf])
        # Not public: none of them counts.
        make_event("Draft 2019", start="2019-04-01", bodies=[self.isc], publication_status=PublicationStatus.DRAFT)
        make_event(
            "In review 2020", start="2020-04-01", bodies=[self.irg], publication_status=PublicationStatus.IN_REVIEW
        )
        make_event(
            "Scheduled 2023",
            start="2023-04-01",
            bodies=[self.imf],
            publish_at=timezone.now() + datetime.timedelta(days=3),
        )


catalogue = built_once(Catalogue, scope="class")


def counts_by_label(timeline):
    """{year: {group label: count}} without the zeros."""
    return {
        year.year: {str(cell.group.label): cell.count for cell in year.cells if cell.count} for year in timeline.years
    }


def get_timeline():
    return Timeline.of(Event.objects.published())


# The numbers


class TestTheNumbersOfTheCatalogue:
    """On the `Catalogue`, built once for the class: its tests only read it."""

    def test_events_count_in_every_year_they_span_under_their_top_level_body(self, catalogue):
        timeline = get_timeline()

        assert counts_by_label(timeline) == {
            2019: {"United Nations Office on Drugs and Crime (UNODC)": 2, "Policy Commission": 1},
            2020: {"Policy Commission": 1, "Convened jointly by several bodies": 1},
            2021: {},
            2022: {"International Monetary Fund (IMF)": 1},
        }
        assert [year.total for year in timeline.years] == [3, 2, 0, 1]
        assert timeline.event_count == 5
        assert (timeline.first_year, timeline.last_year) == (2019, 2022)

    def test_each_bar_is_as_tall_as_the_list_of_its_year_is_long(self, catalogue):
        for year in get_timeline().years:
            assert year.total == Event.objects.published().in_year(year.year).count(), year.year

    def test_the_layers_are_the_top_level_bodies_by_number_of_events_then_the_joint_events(self, catalogue):
        groups = get_timeline().groups

        assert [(str(group.label), group.events) for group in groups] == [
            ("United Nations Office on Drugs and Crime (UNODC)", 2),
            ("International Monetary Fund (IMF)", 1),
            ("Policy Commission", 1),
            ("Convened jointly by several bodies", 1),
        ]
        assert [group.body for group in groups] == [catalogue.unodc, catalogue.imf, catalogue.wco, None]

    def test_the_joint_events_are_hatched_not_only_coloured(self, catalogue):
        joint = next(group for group in get_timeline().groups if group.key == JOINT)

        assert joint.is_hatched
        assert joint.fill == "url(#timeline-hatch)"


def test_beyond_six_top_level_bodies_the_ones_with_fewest_events_share_one_layer():
    roots = [make_body(f"Root {letter}", slug=f"root-{letter.lower()}") for letter in "ABCDEFGH"]
    # Root A convenes 8 events, B 7... H 1, all in 2019; and A and B one more together.
    for rank, root in enumerate(roots):
        for _n in range(8 - rank):
            make_event(start="2019-05-01", bodies=[root])
    make_event(start="2019-05-02", bodies=[make_body(parent=roots[7])])  # H's subsidiary: H has 2 now
    make_event(start="2019-05-03", bodies=[roots[0], roots[1]])

    timeline = get_timeline()

    assert [(str(group.label), group.events) for group in timeline.groups] == [
        ("Root A", 8),
        ("Root B", 7),
        ("Root C", 6),
        ("Root D", 5),
        ("Root E", 4),
        ("Root F", 3),
        ("Other bodies", 4),
        ("Convened jointly by several bodies", 1),
    ]
    other = timeline.groups[6]
    assert other.key == OTHER
    assert other.members == [roots[6], roots[7]]  # G with 2, H with 1 + 1 of its subsidiary
    assert [cell.count for cell in timeline.years[0].cells] == [8, 7, 6, 5, 4, 3, 4, 1]
    assert timeline.years[0].total == 38 == Event.objects.published().in_year(2019).count()


def test_six_top_level_bodies_get_a_layer_each():
    for letter in "ABCDEF":
        make_event(start="2019-05-01", bodies=[make_body(f"Root {letter}")])

    groups = get_timeline().groups

    assert [str(group.label) for group in groups] == [f"Root {letter}" for letter in "ABCDEF"]
    assert len({group.fill for group in groups}) == 6


def test_an_event_without_a_convening_body_still_counts():
    event = make_event(start="2019-05-01")
    event.convening_bodies.clear()

    timeline = get_timeline()

    assert counts_by_label(timeline) == {2019: {"No convening body recorded": 1}}


def test_the_timeline_is_read_on_each_request(client):
    make_event(start="2019-05-01")
    assert client.get("/en/timeline/").context["timeline"].event_count == 1

    make_event(start="2019-06-01")

    assert client.get("/en/timeline/").context["timeline"].event_count == 2


# The page


def table_rows(content):
    """The rows of the timeline's table: for each cell, its text and the address of its link, if any."""

    class TableParser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell, self.in_table = [], None, False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table" and "timeline__table" in attrs.get("class", ""):
                self.in_table = True
            elif self.in_table and tag == "tr":
                self.rows.append([])
            elif self.in_table and tag in ("th", "td"):
                self.cell = ["", None]
            elif self.cell is not None and tag == "a":
                self.cell[1] = attrs["href"]

        def handle_endtag(self, tag):
            if tag == "table":
                self.in_table = False
            elif self.cell is not None and tag in ("th", "td"):
                self.rows[-1].append((self.cell[0].strip(), self.cell[1]))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell[0] += data

    parser = TableParser()
    parser.feed(content)
    return parser.rows


def svg_elements(response):
    """The chart and the layer of links over it, each parsed as XML."""
    content = response.content.decode()
    drawing = re.search(r'<svg class="timeline__svg".*?</svg>', content, re.DOTALL).group()
    links = re.search(r'<svg class="timeline__links".*?</svg>', content, re.DOTALL).group()
    return ET.fromstring(drawing), ET.fromstring(links)


class TestThePageOfTheCatalogue:
    """On the `Catalogue`, built once for the class: its tests only read it."""

    def test_the_table_gives_the_numbers_and_links_to_the_events_counted(self, client, catalogue):
        response = client.get("/en/timeline/")

        assert response.status_code == 200
        assert table_rows(response.content.decode()) == [
            [
                ("Year", None),
                ("UNODC", None),
                ("IMF", None),
                ("Policy Commission", None),
                ("Several bodies", None),
                ("Total", None),
            ],
            [
                ("2019", "/en/events/?year=2019"),
                ("2", "/en/events/?year=2019&body=unodc"),
                ("0", None),
                ("1", "/en/events/?year=2019&body=policy-commission"),
                ("0", None),
                ("3", "/en/events/?year=2019"),
            ],
            [
                ("2020", "/en/events/?year=2020"),
                ("0", None),
                ("0", None),
                ("1", "/en/events/?year=2020&body=policy-commission"),
                ("1", "/en/events/?year=2020"),
                ("2", "/en/events/?year=2020"),
            ],
            [("2021", None), ("0", None), ("0", None), ("0", None), ("0", None), ("0", None)],
            [
                ("2022", "/en/events/?year=2022"),
                ("0", None),
                ("1", "/en/events/?year=2022&body=imf"),
                ("0", None),
                ("0", None),
                ("1", "/en/events/?year=2022"),
            ],
        ]
        assertContains(
            response, '<caption id="timeline-caption">Published events per year, by convening body</caption>'
        )
        assertContains(response, '<th scope="col">Year</th>', html=True)
        assertContains(response, '<th scope="row"><a href="/en/events/?year=2019">2019</a></th>', html=True)

    def test_a_body_segment_leads_to_the_list_of_exactly_those_events(self, client, catalogue):
        listed = client.get("/en/events/?year=2019&body=unodc")

        assert [event.title for event in listed.context["object_list"]] == ["COSP 2019", "IRG 2019"]

    def test_the_chart_is_well_formed_svg_with_a_title_and_description(self, client, catalogue):
        drawing, links = svg_elements(client.get("/en/timeline/"))

        assert drawing.get("role") == "img"
        assert drawing.get("viewBox") == "0 0 480 260"
        assert drawing.get("width") == "100%"
        labelled_by = drawing.get("aria-labelledby").split()
        assert [drawing.find(f"{SVG}title").get("id"), drawing.find(f"{SVG}desc").get("id")] == labelled_by
        assert drawing.find(f"{SVG}title").text == "Published events per year, by convening body"
        assert "from 2019 to 2022" in drawing.find(f"{SVG}desc").text
        segments = [
            rect.find(f"{SVG}title").text
            for rect in drawing.iter(f"{SVG}rect")
            if rect.find(f"{SVG}title") is not None
        ]
        assert segments == [
            "United Nations Office on Drugs and Crime (UNODC), 2019: 2 events",
            "Policy Commission, 2019: 1 event",
            "Policy Commission, 2020: 1 event",
            "Convened jointly by several bodies, 2020: 1 event",
            "International Monetary Fund (IMF), 2022: 1 event",
        ]
        years = [text.text for text in drawing.iter(f"{SVG}text") if len(text.text) == 4]
        assert years == ["2019", "2020", "2021", "2022"]

    def test_the_parts_of_the_chart_link_to_the_events_they_count_for_the_mouse_only(self, client, catalogue):
        drawing, links = svg_elements(client.get("/en/timeline/"))

        assert drawing.find(f".//{SVG}a") is None  # nothing to focus inside role="img"
        assert links.get("aria-hidden") == "true"
        anchors = list(links.iter(f"{SVG}a"))
        assert {anchor.get("tabindex") for anchor in anchors} == {"-1"}
        assert [(anchor.find(f"{SVG}title").text, anchor.get("href")) for anchor in anchors] == [
            ("United Nations Office on Drugs and Crime (UNODC), 2019: 2 events", "/en/events/?year=2019&body=unodc"),
            ("Policy Commission, 2019: 1 event", "/en/events/?year=2019&body=policy-commission"),
            ("2019: 3 events", "/en/events/?year=2019"),
            ("Policy Commission, 2020: 1 event", "/en/events/?year=2020&body=policy-commission"),
            ("Convened jointly by several bodies, 2020: 1 event", "/en/events/?year=2020"),
            ("2020: 2 events", "/en/events/?year=2020"),
            ("International Monetary Fund (IMF), 2022: 1 event", "/en/events/?year=2022&body=imf"),
            ("2022: 1 event", "/en/events/?year=2022"),
        ]

    def test_the_segments_stack_to_the_height_of_their_count(self, client, catalogue):
        chart = client.get("/en/timeline/").context["timeline"].chart
        unit = (chart.baseline - chart.top) / chart.scale_top

        for bar in chart.bars:
            below = chart.baseline
            for segment in bar.segments:
                assert segment.height == pytest.approx(segment.cell.count * unit, abs=0.02)
                assert segment.y + segment.height == pytest.approx(below, abs=0.02)
                below = segment.y
            assert chart.baseline - below == pytest.approx(bar.year.total * unit, abs=0.02)

    def test_the_legend_names_every_layer_with_its_number_of_events(self, client, catalogue):
        content = client.get("/en/timeline/").content.decode()
        legend = content[content.index("<figcaption>") : content.index("</figcaption>")]
        items = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in legend.split("<li>")[1:]]

        assert items == [
            "United Nations Office on Drugs and Crime (UNODC) (2 events)",
            "International Monetary Fund (IMF) (1 event)",
            "Policy Commission (1 event)",
            "Convened jointly by several bodies (1 event)",
        ]

    def test_the_page_has_no_script_nor_inline_style(self, client, catalogue):
        content = client.get("/en/timeline/").content.decode()

        assert "<script" not in content
        assert " style=" not in content

    def test_the_french_page(self, client, catalogue):
        response = client.get("/fr/timeline/")

        assert response.status_code == 200
        assertContains(response, '<html lang="fr">')
        assertContains(response, '<th scope="col">Année</th>', html=True)
        drawing, links = svg_elements(response)
        # Coordinates with a decimal point, not the French comma.
        for rect in drawing.iter(f"{SVG}rect"):
            for attribute in ("x", "y", "width", "height"):
                if rect.get(attribute) is not None:
                    float(rect.get(attribute))
        assert {anchor.get("href").split("?")[0] for anchor in links.iter(f"{SVG}a")} == {"/fr/events/"}
        assert ("1", "/fr/events/?year=2022&body=imf") in table_rows(response.content.decode())[4]


def test_the_legend_names_the_other_bodies(client):
    for n in range(8):
        make_event(start="2019-05-01", bodies=[make_body(f"Root {n}")])

    assertContains(client.get("/en/timeline/"), '<span class="timeline__members">Root 6, Root 7</span>', html=True)


def test_an_empty_catalogue_says_so_rather_than_drawing_an_empty_chart(client):
    make_event(start="2019-05-01", publication_status=PublicationStatus.DRAFT)

    response = client.get("/en/timeline/")

    assert response.status_code == 200
    assertContains(response, '<p class="empty">No events have been published yet.</p>', html=True)
    assertNotContains(response, '<svg class="timeline')
    assertNotContains(response, "<table")


def test_the_page_runs_as_many_queries_with_many_events_as_with_few(client, django_assert_num_queries):
    roots = [make_body(f"Root {n}") for n in range(8)]
    subsidiaries = [make_body(parent=root) for root in roots]

    def add_events(number):
        for n in range(number):
            make_event(
                start=datetime.date(1990 + n % 35, 1 + n % 12, 1),
                end=datetime.date(1991 + n % 35, 1, 1),
                bodies=[subsidiaries[n % 8], roots[(n * 3) % 8]],
            )

    add_events(3)
    # The catalogue's version, the events and the bodies.
    for language in ["en", "fr"]:
        with django_assert_num_queries(3):
            client.get(f"/{language}/timeline/")
    add_events(12)
    for language in ["en", "fr"]:
        with django_assert_num_queries(3):
            response = client.get(f"/{language}/timeline/")
        assert response.context["timeline"].event_count == 15


# The drawing at its extremes


def test_forty_years_thin_the_bars_and_label_every_fifth_year():
    body = make_body()
    for year in range(1985, 2025):
        make_event(start=f"{year}-03-01", bodies=[body])
    make_event(start="2000-03-01", bodies=[body])

    chart = get_timeline().chart

    assert len(chart.bars) == 40
    assert chart.year_step == 5
    assert [bar.year.year for bar in chart.bars if bar.is_labelled] == list(range(1985, 2025, 5))
    assert chart.bars[0].width < 10
    assert chart.bars[0].x >= chart.left
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width - chart.right
    assert [tick.value for tick in chart.ticks] == [0, 1, 2]


def test_a_few_years_label_every_year_with_wide_bars():
    make_event(start="2019-05-01", end="2021-05-01")

    chart = get_timeline().chart

    assert [bar.is_labelled for bar in chart.bars] == [True, True, True]
    assert chart.bars[0].width == Chart.widest_bar


@pytest.mark.parametrize(
    ("highest", "step"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10), (120, 50), (999, 200)]
)
def test_the_value_axis_has_at_most_five_round_steps(highest, step):
    assert tick_step(highest) == step


def test_the_value_axis_ends_on_a_round_number_above_the_highest_bar():
    body = make_body()
    for _n in range(7):
        make_event(start="2019-05-01", bodies=[body])

    assert [tick.value for tick in get_timeline().chart.ticks] == [0, 2, 4, 6, 8]


# The colours


def relative_luminance(colour):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_solid_colour_stands_out_from_the_page_and_from_the_others():
    solid = [*BODY_COLOURS, OTHER_COLOUR, UNRECORDED_COLOUR]

    assert len(set(solid)) == len(solid)
    for colour in solid:
        assert contrast(colour, "#ffffff") >= 3, colour
    # The hatching's dark stripes stand out from the page; its gold from the dark stripes.
    assert contrast(HATCH_COLOURS[0], "#ffffff") >= 3
    assert contrast(HATCH_COLOURS[0], HATCH_COLOURS[1]) >= 3
