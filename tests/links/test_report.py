import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from documents.models import Document, DocumentKind
from links import tasks
from links.models import Link, LinkState
from tests.admin_forms import admin_url, form_data
from tests.factories import make_instrument, make_source

pytestmark = pytest.mark.django_db

ARCHIVE = "https://web.archive.org/web/2026/https://www.example.org/"


def check_again():
    Link.objects.update(claimed_at=None)
    return tasks.check_links.call()


def test_a_source_that_starts_answering_404_is_at_the_top_of_the_report(web, editor):
    missing = make_source(url=web.base + "/missing", title="A page that went away long ago")
    flaky = make_source(url=web.base + "/flaky/news", title="News of the session")
    make_source(url=web.base + "/ok", title="A page that works")
    make_instrument(url=web.base + "/old")
    report = reverse("admin:links_link_changelist")
    tasks.check_links.call()
    assert flaky.title not in editor.get(report).content.decode()

    web.flaky_status = 404
    check_again()

    page = editor.get(report)
    assert page.status_code == 200
    html = page.content.decode()
    newest, *older = [link.url for link in page.context["cl"].result_list]
    assert newest == flaky.url
    assert set(older) == {missing.url, web.base + "/old"}
    assert "A page that works" not in html
    assert f'<a href="{admin_url(flaky, "change", flaky.pk)}">source: News of the session</a>' in html
    assert "Broken (404)" in html
    assert ">404</time>, <time" in html  # its last checks: 404, then working
    assert web.base + "/new" in html  # where the moved address leads
    history = editor.get(admin_url(Link.objects.get(url=flaky.url), "change", Link.objects.get(url=flaky.url).pk))
    assert history.status_code == 200
    assert history.content.decode().count("Broken (404)") >= 2  # its state, and the last check of its history


def test_the_public_page_offers_the_archived_copy_once_the_link_is_gone(web, publisher):
    source = make_source(url=web.base + "/flaky/source")
    instrument = make_instrument(url=web.base + "/flaky/instrument", sources=[source])
    common = {"kind": DocumentKind.REPORT, "title": "Report", "language": "en"}
    Document.objects.create(record=instrument, url=web.base + "/flaky/document", **common)
    tasks.check_links.call()
    anonymous = Client()
    assert "archived copy" not in anonymous.get(instrument.get_absolute_url()).content.decode()

    # A publisher gives the address's archived copy in the report; the public pages offer it only once it is gone.
    link = Link.objects.get(url=source.url)
    url = admin_url(link, "change", link.pk)
    assert publisher.post(url, form_data(publisher.get(url), archived_url=ARCHIVE)).status_code == 302
    Link.objects.exclude(pk=link.pk).update(archived_url=ARCHIVE)
    assert "archived copy" not in anonymous.get(instrument.get_absolute_url()).content.decode()

    web.flaky_status = 404
    check_again()

    page = anonymous.get(instrument.get_absolute_url())
    assert page.content.decode().count(f'(<a href="{ARCHIVE}" rel="external noopener">archived copy</a>)') == 3
    with translation.override("fr"):
        assert "copie archivée" in anonymous.get(instrument.get_absolute_url()).content.decode()


def test_an_editor_sees_the_report_and_only_a_publisher_gives_an_archived_copy(web, editor, publisher):
    make_source(url=web.base + "/missing")
    tasks.check_links.call()
    link = Link.objects.get()
    assert link.state == LinkState.BROKEN
    url = admin_url(link, "change", link.pk)

    assert editor.post(url, {"archived_url": ARCHIVE}).status_code == 403
    assert editor.get(url).status_code == 200
    assert publisher.post(url, form_data(publisher.get(url), archived_url=ARCHIVE)).status_code == 302

    link.refresh_from_db()
    assert link.archived_url == ARCHIVE
