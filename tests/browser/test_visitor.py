"""
What a visitor does on the public site, in a real browser: filter the events, page through
them, open one, switch language; the same with the keyboard alone; and old unprefixed links.
"""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import icalendar
import pytest
from playwright.sync_api import expect

UNODC = "United Nations Office on Drugs and Crime (UNODC), with the bodies it serves as secretariat"
FILTERS = {"year": "2019", "body": "unodc"}
# What the catalogue fixture publishes for 2019 under UNODC (irg-10 and the 25 extra events),
# newest first; the decoys (a WCO body in 2019, a UNODC body in 2020) must never be listed.
EXPECTED_TITLES = (
    [f"Browser test meeting {n:02d}" for n in range(25, 20, -1)]
    + ["10th session of the Implementation Review Group"]
    + [f"Browser test meeting {n:02d}" for n in range(20, 0, -1)]
)
FIRST_ON_PAGE_2 = EXPECTED_TITLES[20]  # "Browser test meeting 06"
FIRST_ON_PAGE_2_SLUG = "browser-test-meeting-06"


def assert_at(browser_page, path, **filters):
    """The page is at `path` (after the host) and its query string holds `filters`, blank ones aside."""
    url = urlsplit(browser_page.url)
    given = [(name, value) for name, value in parse_qsl(url.query, keep_blank_values=True) if value]
    assert (url.path, sorted(given)) == (path, sorted(filters.items())), browser_page.url


def event_titles(page):
    return page.locator(".listing__results .card__title").all_inner_texts()


def language_switcher(page, label="Language"):
    return page.get_by_role("banner").get_by_role("navigation", name=label)


def label(text):
    """A form label as Django renders it ("Year:"), matched on its text."""
    return re.compile(rf"^{re.escape(text)}:?$")


def focused(page, locator):
    return locator.evaluate("element => element === document.activeElement")


DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el) return "nothing";
    const text = (el.innerText || el.value || "").trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}> ${JSON.stringify(text)}`;
}"""


def describe_focus(page):
    return page.evaluate(DESCRIBE_FOCUS)


def tab_to(page, locator, limit=60, key="Tab"):
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user would."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        # Whether the focus is there, and if not where it is, in one call.
        focus = locator.evaluate(f"element => element === document.activeElement || ({DESCRIBE_FOCUS})()")
        if focus is True:
            return
        seen.append(focus)
    pytest.fail(f"{locator} never got the focus after {limit} presses of {key}; focus went to: {seen}")


def assert_visible_focus_indicator(locator):
    style = locator.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return {style: style.outlineStyle, width: style.outlineWidth, visible: element.matches(":focus-visible")};
        }"""
    )
    assert style["visible"], f"{locator} is focused but does not match :focus-visible"
    assert style["style"] != "none", f"no visible focus indicator on {locator}: outline-style is none"
    assert style["width"] != "0px", f"no visible focus indicator on {locator}: outline-width is 0px"


def facet_value(page, facet, value):
    """The checkbox of a facet's value, named by its label ("2019 (27)"), whatever its count."""
    return page.get_by_role("group", name=facet).get_by_role("checkbox", name=re.compile(rf"^{re.escape(value)} \("))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_visitor_filters_pages_opens_an_event_and_switches_language(site, new_page, size):
    page = new_page(size)
    page.goto(f"{site}/en/events/")
    expect(page.get_by_role("heading", name="32 events found")).to_be_visible()

    show_filters = page.locator("summary", has_text="Show the filters")
    if size == "phone":
        # On a phone the filters are folded under the search; the visitor unfolds them.
        expect(show_filters).to_be_visible()
        expect(facet_value(page, "Year", "2019")).to_be_hidden()
        show_filters.tap()
    else:
        expect(show_filters).to_be_hidden()
    # Each choice applies at once (the script fetches the list) and the address follows it.
    facet_value(page, "Year", "2019").check()
    page.wait_for_url(re.compile(r"/en/events/\?year=2019$"))
    expect(page.get_by_role("heading", level=2, name="27 events found")).to_be_visible()
    facet_value(page, "Body", UNODC).check()

    page.wait_for_url(re.compile(r"/en/events/\?.*body=unodc"))
    assert_at(page, "/en/events/", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    expect(facet_value(page, "Year", "2019")).to_be_checked()
    expect(facet_value(page, "Body", UNODC)).to_be_checked()
    assert event_titles(page) == EXPECTED_TITLES[:20]
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    if size == "phone":
        expect(show_filters).to_have_text(re.compile(r"Show the filters \(2 active\)"))

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()

    page.wait_for_url(re.compile(r"page=2"))
    assert_at(page, "/en/events/", **FILTERS, page="2")
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    assert event_titles(page) == EXPECTED_TITLES[20:]

    page.get_by_role("link", name=FIRST_ON_PAGE_2, exact=True).click()

    page.wait_for_url(f"**/en/events/{FIRST_ON_PAGE_2_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_ON_PAGE_2)

    language_switcher(page).get_by_role("link", name="Français").click()

    page.wait_for_url(f"{site}/fr/events/{FIRST_ON_PAGE_2_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_ON_PAGE_2)

    # Back on a French filtered list, English keeps the query string: filters and page.
    query = "year=2019&body=unodc&country=&page=2"
    page.goto(f"{site}/fr/events/?{query}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert event_titles(page) == EXPECTED_TITLES[20:]
    page.get_by_role("banner").get_by_role("link", name="English", exact=True).click()

    # The same parameters, in the order of their names, as every page reads them.
    page.wait_for_url(f"{site}/en/events/?body=unodc&country=&page=2&year=2019")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert event_titles(page) == EXPECTED_TITLES[20:]


def test_without_javascript_the_buttons_apply_the_choices(site, new_page):
    page = new_page("desktop", java_script_enabled=False)
    page.goto(f"{site}/en/events/")

    facet_value(page, "Year", "2019").check()
    facet_value(page, "Body", UNODC).check()
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/en/events/\?.*body=unodc"))
    assert_at(page, "/en/events/", sort="newest", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Year: 2019")).click()

    page.wait_for_url(f"{site}/en/events/?body=unodc&sort=newest")
    expect(page.get_by_role("heading", level=2, name="29 events found")).to_be_visible()


def test_a_keyboard_only_visitor_does_the_same(site, page):
    page.goto(f"{site}/en/events/")

    # The skip link is the first thing Tab reaches, shows itself, and moves to the main content.
    skip_link = page.get_by_role("link", name="Skip to content")
    page.keyboard.press("Tab")
    assert focused(page, skip_link), f"the first Tab went to {describe_focus(page)}, not the skip link"
    expect(skip_link).to_be_in_viewport()
    assert_visible_focus_indicator(skip_link)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/events/#content")
    assert page.evaluate("document.activeElement.id") == "content", describe_focus(page)

    # From the main content, on to the facets; each is ticked with the space bar, and the
    # focus stays on it when the list is brought up to date.
    year = facet_value(page, "Year", "2019")
    tab_to(page, year)
    assert_visible_focus_indicator(year)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/en/events/\?year=2019"))
    expect(page.get_by_role("heading", level=2, name="27 events found")).to_be_visible()
    expect(facet_value(page, "Year", "2019")).to_be_focused()
    body = facet_value(page, "Body", UNODC)
    tab_to(page, body)
    page.keyboard.press("Space")

    page.wait_for_url(re.compile(r"/en/events/\?.*body=unodc"))
    assert_at(page, "/en/events/", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    assert event_titles(page) == EXPECTED_TITLES[:20]

    # On to "Next", which shows where the focus is, and to page 2.
    next_link = page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next")
    tab_to(page, next_link, limit=120)
    assert_visible_focus_indicator(next_link)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"page=2"))
    assert_at(page, "/en/events/", **FILTERS, page="2")
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert event_titles(page) == EXPECTED_TITLES[20:]

    # Open an event, then switch to French, with Tab and Enter only.
    event_link = page.get_by_role("link", name=FIRST_ON_PAGE_2, exact=True)
    tab_to(page, event_link, limit=120)
    assert_visible_focus_indicator(event_link)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{site}/en/events/{FIRST_ON_PAGE_2_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_ON_PAGE_2)
    french = language_switcher(page).get_by_role("link", name="Français")
    tab_to(page, french)
    assert_visible_focus_indicator(french)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{site}/fr/events/{FIRST_ON_PAGE_2_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_visitor_searches_narrows_subscribes_and_downloads(site, page):
    """Search "asset recovery", narrow to 2019 and UNODC, subscribe to that view, download it as CSV."""
    page.goto(f"{site}/en/")
    page.get_by_role("banner").get_by_role("searchbox", name="Search the catalogue").fill("asset recovery")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{site}/en/search/?q=asset+recovery")
    expect(page.get_by_role("heading", level=3, name="2 events")).to_be_visible()
    expect(page.locator("mark", has_text=re.compile("^asset$", re.IGNORECASE)).first).to_be_visible()
    page.get_by_role("link", name="Narrow these events down with filters").click()

    page.wait_for_url(f"{site}/en/events/?q=asset+recovery")
    expect(page.get_by_role("heading", level=2, name="2 events found")).to_be_visible()
    facet_value(page, "Year", "2019").check()
    page.wait_for_url(re.compile(r"year=2019"))
    facet_value(page, "Body", UNODC).check()

    page.wait_for_url(re.compile(r"body=unodc"))
    assert_at(page, "/en/events/", q="asset recovery", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="1 event found")).to_be_visible()
    assert event_titles(page) == ["10th session of the Implementation Review Group"]

    subscribe = page.get_by_role("link", name="Subscribe to these events in your calendar")
    calendar_url = subscribe.get_attribute("href")
    assert calendar_url == "/en/events/calendar.ics?body=unodc&q=asset+recovery&year=2019"
    calendar = icalendar.Calendar.from_ical(page.request.get(f"{site}{calendar_url}").body())
    assert [str(event["summary"]) for event in calendar.walk("VEVENT")] == event_titles(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "wco-integrity-events-search-asset-recovery-2019-unodc.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row["title"] for row in rows] == event_titles(page)


@pytest.mark.parametrize(
    ("locale", "language"),
    [("en-GB", "en"), ("fr-FR", "fr"), ("fr-CA", "fr")],
)
def test_an_old_unprefixed_link_redirects_to_the_visitors_language(site, new_page, locale, language):
    page = new_page("desktop", locale=locale)

    response = page.goto(f"{site}/events/?year=2019")

    assert page.url == f"{site}/{language}/events/?year=2019"
    assert response.status == 200
    redirect = response.request.redirected_from
    assert redirect is not None and redirect.url == f"{site}/events/?year=2019"
    assert redirect.response().status in (301, 302)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\s*27\b"))
