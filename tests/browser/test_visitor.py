"""
What a visitor does on the public site, in a real browser: filter the events, page through
them, open one, switch language; the same with the keyboard alone; and old unprefixed links.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

UNODC = "United Nations Office on Drugs and Crime (UNODC)"
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


def describe_focus(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "nothing";
            const text = (el.innerText || el.value || "").trim().slice(0, 60);
            return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}> ${JSON.stringify(text)}`;
        }"""
    )


def tab_to(page, locator, limit=60, key="Tab"):
    """Press Tab (or Shift+Tab) until `locator` has the focus, as a keyboard user would."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, locator):
            return
        seen.append(describe_focus(page))
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


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_visitor_filters_pages_opens_an_event_and_switches_language(site, new_page, size):
    page = new_page(size)
    page.goto(f"{site}/en/events/")
    expect(page.get_by_role("heading", name="32 events found")).to_be_visible()

    show_filters = page.locator("summary", has_text="Show the filters")
    if size == "phone":
        # On a phone the filters are folded under the results' count; the visitor unfolds them.
        expect(show_filters).to_be_visible()
        expect(page.get_by_label(label("Year"))).to_be_hidden()
        show_filters.tap()
    else:
        expect(show_filters).to_be_hidden()
    page.get_by_label(label("Year")).fill("2019")
    page.get_by_label(label("Body")).select_option(label=UNODC)
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/en/events/\?.*year=2019"))
    assert_at(page, "/en/events/", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    expect(page.get_by_label(label("Year"))).to_have_value("2019")
    expect(page.get_by_label(label("Body"))).to_have_value("unodc")
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

    page.wait_for_url(f"{site}/en/events/?{query}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert event_titles(page) == EXPECTED_TITLES[20:]


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

    # From the main content, on to the filters; type the year, choose the body with the arrow keys.
    year = page.get_by_label(label("Year"))
    tab_to(page, year)
    page.keyboard.type("2019")
    body = page.get_by_label(label("Body"))
    tab_to(page, body)
    for _ in range(30):
        if body.input_value() == "unodc":
            break
        page.keyboard.press("ArrowDown")
    expect(body).to_have_value("unodc")
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/en/events/\?.*year=2019"))
    assert_at(page, "/en/events/", **FILTERS)
    expect(page.get_by_role("heading", level=2, name="26 events found")).to_be_visible()
    assert event_titles(page) == EXPECTED_TITLES[:20]

    # On to "Next", which shows where the focus is, and to page 2.
    next_link = page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next")
    tab_to(page, next_link)
    assert_visible_focus_indicator(next_link)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"page=2"))
    assert_at(page, "/en/events/", **FILTERS, page="2")
    assert event_titles(page) == EXPECTED_TITLES[20:]

    # Open an event, then switch to French, with Tab and Enter only.
    event_link = page.get_by_role("link", name=FIRST_ON_PAGE_2, exact=True)
    tab_to(page, event_link)
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
