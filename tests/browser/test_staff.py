"""
The editorial round trip, in a real browser: an editor imports a year of meetings, fixes one and
submits it; a publisher previews it and publishes it; the public sees it.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from editorial.roles import EDITOR, PUBLISHER, grant

SAMPLE = Path(__file__).resolve().parents[2] / "dataset" / "data" / "sample-import-2019.csv"
PASSWORD = "a long enough passphrase"
COSP = "8th session of the Conference of the States Parties to the United Nations Convention against Corruption"


@pytest.fixture
def staff(transactional_db):
    for name, role in [("amina", EDITOR), ("pierre", PUBLISHER)]:
        grant(get_user_model().objects.create_user(name, password=PASSWORD), role)


def log_in(page, site, username, then="/admin/"):
    """Log in through the admin's form, which then goes on to `then`, as after following a link to it."""
    page.goto(f"{site}/admin/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}{then}")


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_from_import_to_public_page(editable_site, staff, new_page):
    editor = new_page("desktop")
    log_in(editor, editable_site, "amina", then="/admin/events/event/")

    # The editor imports the sample file: a preview first, then the import itself.
    editor.get_by_role("link", name="Import").click()
    editor.get_by_label("File to import").set_input_files(SAMPLE)
    editor.get_by_label("Format").select_option(label="csv")
    editor.get_by_role("button", name="Submit").click()
    expect(editor.get_by_text(COSP)).to_be_visible()
    editor.get_by_role("button", name="Confirm import").click()
    expect(editor.locator(".messagelist")).to_contain_text("Import finished")

    # The new records are drafts, invisible to the public.
    public = new_page("phone")
    assert public.goto(f"{editable_site}/en/events/cosp-8/").status == 404

    # The editor fixes the imported event and submits it for review.
    editor.get_by_role("link", name=COSP).click()
    editor.get_by_label("City [fr]").fill("Abou Dhabi")
    editor.get_by_label("Publication status").select_option(label="In review")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    log_out(editor)

    # The publisher finds it on the dashboard, previews it and publishes it.
    publisher = new_page("desktop")
    log_in(publisher, editable_site, "pierre")
    expect(publisher.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(publisher.locator("#worklists")).to_contain_text("Awaiting review: events (1)")
    publisher.locator("#worklists").get_by_role("link", name="Preview").click()
    expect(publisher.get_by_role("status")).to_contain_text("Preview")
    expect(publisher.get_by_role("heading", level=1)).to_have_text(COSP)
    publisher.go_back()
    publisher.locator("#worklists").get_by_role("link", name=COSP).click()
    publisher.get_by_label("Publication status").select_option(label="Published")
    publisher.get_by_role("button", name="Save", exact=True).click()
    expect(publisher.locator(".messagelist")).to_contain_text("was changed successfully")

    # The public sees it, in French too with the fixed city.
    assert public.goto(f"{editable_site}/en/events/cosp-8/").status == 200
    expect(public.get_by_role("heading", level=1)).to_have_text(COSP)
    public.goto(f"{editable_site}/fr/events/cosp-8/")
    expect(public.locator(".record__meta")).to_contain_text("Abou Dhabi")
