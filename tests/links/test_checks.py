import socket

import pytest

from documents.models import Document, DocumentAccess, DocumentKind
from links import tasks
from links.models import Link, LinkCheck, LinkError, LinkState
from tests.factories import make_body, make_instrument, make_source

pytestmark = pytest.mark.django_db


def states():
    return {
        link.url: (link.state, link.status_code, link.error, link.new_url) for link in Link.objects.order_by("url")
    }


def check_again():
    """The next interval's run: every link is due again."""
    Link.objects.update(claimed_at=None)
    return tasks.check_links.call()


@pytest.fixture
def no_such_host(monkeypatch):
    """A host name that no DNS knows, answered here rather than by a resolver."""
    getaddrinfo = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "no-such-host.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_each_address_is_recorded_as_it_answers(web, silent_port, closed_port, no_such_host):
    base = web.base
    https = base.replace("http://", "https://")
    for path in ["/ok", "/temporary", "/missing", "/error", "/slow", "/head-refused", "/private/minutes"]:
        make_source(url=base + path)
    for url in [f"{silent_port}/never", f"{closed_port}/closed", "http://no-such-host.test/page", f"{https}/ok"]:
        make_source(url=url)
    make_instrument(url=base + "/old")
    make_body(website=base + "/flaky/body")
    record = make_instrument()
    common = {"record": record, "kind": DocumentKind.REPORT, "title": "Report", "language": "en"}
    Document.objects.create(url=base + "/flaky/public", **common)
    Document.objects.create(url=base + "/flaky/members", access=DocumentAccess.MEMBERS, **common)

    assert tasks.check_links.call() == 14

    ok = (LinkState.OK, 200, "", "")
    assert states() == {
        f"{closed_port}/closed": (LinkState.BROKEN, None, LinkError.REFUSED, ""),
        f"{silent_port}/never": (LinkState.BROKEN, None, LinkError.TIMEOUT, ""),
        base + "/error": (LinkState.BROKEN, 500, LinkError.STATUS, ""),
        base + "/flaky/body": ok,
        base + "/flaky/public": ok,
        base + "/head-refused": ok,
        base + "/missing": (LinkState.BROKEN, 404, LinkError.STATUS, ""),
        base + "/ok": ok,
        base + "/old": (LinkState.MOVED, 200, "", base + "/new"),
        base + "/private/minutes": (LinkState.DISALLOWED, None, "", ""),
        base + "/slow": (LinkState.BROKEN, None, LinkError.TIMEOUT, ""),
        base + "/temporary": ok,
        "http://no-such-host.test/page": (LinkState.BROKEN, None, LinkError.DNS, ""),
        f"{https}/ok": (LinkState.BROKEN, None, LinkError.TLS, ""),
    }
    temporary = Link.objects.get(url=base + "/temporary")
    assert temporary.redirects == f"302 {base}/ok"
    assert Link.objects.get(url=base + "/old").redirects == f"301 {base}/new"
    # robots.txt read once; nothing under /private asked for; HEAD, then GET where HEAD is refused.
    assert web.paths().count("/robots.txt") == 1
    assert not [path for path in web.paths() if path.startswith("/private")]
    assert [method for method, path, _agent in web.requests if path == "/head-refused"] == ["HEAD", "GET"]
    assert {agent for _method, _path, agent in web.requests} == {
        "wcointegrity-linkchecker/1.0 (+http://testserver; link checker of the WCO Integrity Catalogue)"
    }
    assert LinkCheck.objects.count() == 14


def test_no_more_than_two_requests_at_once_to_one_host(web):
    for n in range(6):
        make_source(url=f"{web.base}/counted/{n}")

    assert tasks.check_links.call() == 6

    assert web.most_active == 2
    assert {link.state for link in Link.objects.all()} == {LinkState.OK}


def test_a_run_with_nothing_due_sends_nothing_and_the_history_is_bounded(web, monkeypatch):
    monkeypatch.setattr(tasks, "HISTORY", 3)
    make_source(url=web.base + "/ok")
    assert tasks.check_links.call() == 1
    asked = len(web.requests)

    assert tasks.check_links.call() == 0
    assert len(web.requests) == asked

    for _run in range(3):
        check_again()
    link = Link.objects.get()
    assert link.checks.count() == 3
    assert link.checks.first().checked_at == link.checked_at


def test_an_address_no_record_holds_is_forgotten(web):
    source = make_source(url=web.base + "/ok")
    tasks.check_links.call()
    source.delete()
    check_again()
    assert not Link.objects.exists()


def test_an_address_on_this_machine_is_not_asked_unless_allowed(web, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    make_source(url=web.base + "/ok")

    tasks.check_links.call()

    assert states() == {web.base + "/ok": (LinkState.BROKEN, None, LinkError.PRIVATE, "")}
    assert web.requests == []
