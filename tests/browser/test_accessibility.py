"""
axe-core finds no accessibility violations, of any impact, on each kind of public page,
in English and French, at phone and desktop widths.

Each page is checked in each language and at each width, in two loads: English at desktop width
and French at phone width. The markup and the stylesheets are the same in both languages; a
language changes the words, and the longer French words on the narrowest screen are where words
and layout meet. English at phone width and French at desktop width would check nothing that
these two do not.

Each case is one page load and one axe run; a failure names the page, language and width,
and lists each violated rule with its impact, help text and the first offending elements.

For speed the cases share one browser context and tab per width (the visitor tests get a fresh
context each), with axe-core added to every document it loads; these public pages keep no
state between loads, and cookies are cleared before each case anyway.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE_SCRIPT = Axe().axe_script
# Every rule axe runs by default (WCAG 2.0/2.1/2.2 A and AA and best practices), every impact.
AXE_OPTIONS = {"resultTypes": ["violations"]}
SHOWN_TARGETS = 3

# (case name, path after the language prefix, expected HTTP status)
PAGES = [
    ("home", "/", 200),
    ("event-list", "/events/", 200),
    ("event-list-filtered", "/events/?year=2019&body=unodc", 200),
    ("event-list-invalid-filter", "/events/?year=abc", 400),
    ("event-detail", "/events/irg-10/", 200),
    ("timeline", "/timeline/", 200),
    ("instrument-list", "/instruments/", 200),
    ("instrument-list-filtered", "/instruments/?kind=programme&body=wco", 200),
    ("instrument-detail", "/instruments/wco-integrity-programme/", 200),
    ("body-list", "/bodies/", 200),
    ("body-detail", "/bodies/irg/", 200),
    ("topic-list", "/topics/", 200),
    ("topic-detail", "/topics/asset-recovery/", 200),
    ("uncac-index", "/uncac/", 200),
    ("uncac-article", "/uncac/articles/5/", 200),
    ("uncac-chapter", "/uncac/chapters/2/", 200),
    ("not-found", "/events/no-such-event/", 404),
    ("alerts-new", "/alerts/new/events/?body=unodc&q=audit", 200),
    ("alerts-manage", "/alerts/manage/", 200),
    ("alerts-link-refused", "/alerts/confirm/?token=not-a-token", 400),
    ("changes", "/changes/", 200),
    ("changes-record", "/changes/event/wg-prevention-9/", 200),
]
# Each page's loads: (language, width).
LOADS = [("en", "desktop"), ("fr", "phone")]

# Known violations caused by templates or CSS, awaiting a fix there: {(case, language, size): reason}.
# Strict, so that the fix makes these fail until the entry is removed.
KNOWN_VIOLATIONS = {}


def cases():
    for name, path, status in PAGES:
        for language, size in LOADS:
            reason = KNOWN_VIOLATIONS.get((name, language, size))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            case = f"{name}-{language}-{size}"
            yield pytest.param(name, f"/{language}{path}", status, size, id=case, marks=marks)


def describe(violations):
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" >>> ".join(map(str, node["target"])) for node in nodes[:SHOWN_TARGETS]]
        more = f" (+{len(nodes) - SHOWN_TARGETS} more)" if len(nodes) > SHOWN_TARGETS else ""
        lines.append(
            f"  - {violation['id']} [{violation['impact']}]: {violation['help']}\n"
            f"      on {len(nodes)} element(s): {'; '.join(targets)}{more}\n"
            f"      {violation['helpUrl']}"
        )
    return "\n".join(lines)


def run_axe(page):
    # Only the violations come back: the rest of axe's results is large and read by nobody.
    return page.evaluate("options => axe.run(document, options).then(results => results.violations)", AXE_OPTIONS)


# What the checks before axe read from the page, in one call.
PAGE_FACTS = """() => ({
    lang: document.documentElement.getAttribute("lang"),
    stylesheets: [...document.styleSheets].map(sheet => [sheet.href, sheet.cssRules.length]),
    headings: document.querySelectorAll("h1").length,
})"""


@pytest.fixture(scope="module")
def axe_tabs(browser, sizes):
    """One tab per width, in its own context, with axe-core injected into every document."""
    contexts = []
    tabs = {}
    for size, options in sizes.items():
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.add_init_script(script=AXE_SCRIPT)
        contexts.append(context)
        tabs[size] = context.new_page()
    yield tabs
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("name", "path", "status", "size"), list(cases()))
def test_page_has_no_axe_violations(site, axe_tabs, name, path, status, size):
    page = axe_tabs[size]
    page.context.clear_cookies()
    response = page.goto(site + path)
    assert response.status == status, f"{name} {path} ({size}) answered {response.status}, not {status}"
    facts = page.evaluate(PAGE_FACTS)
    assert facts["lang"] == path.split("/")[1]
    # Unstyled pages would hide contrast and layout problems: the stylesheets must have loaded.
    stylesheets = facts["stylesheets"]
    assert stylesheets and all(rules for _, rules in stylesheets), f"a stylesheet did not load: {stylesheets}"
    assert facts["headings"] == 1, f"{name} {path} ({size}) has {facts['headings']} h1 headings, not 1"
    if status == 400:
        expect(page.get_by_role("alert")).to_be_visible()

    violations = run_axe(page)

    assert not violations, (
        f"axe found {len(violations)} violated rule(s) on {name} {path} at {size} width:\n{describe(violations)}"
    )


def test_axe_does_report_a_violation(site, axe_tabs):
    """A control: the set-up above would pass every page if axe were not running."""
    page = axe_tabs["desktop"]
    page.goto(site + "/en/")
    page.evaluate("""() => document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/x.png">')""")

    violations = run_axe(page)

    assert "image-alt" in [violation["id"] for violation in violations], describe(violations)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_staff_login_page_has_no_axe_violations(site, axe_tabs, size):
    page = axe_tabs[size]
    page.context.clear_cookies()
    response = page.goto(site + "/admin/login/")
    assert response.status == 200

    violations = run_axe(page)

    assert not violations, f"axe found violations on the login page at {size} width:\n{describe(violations)}"
