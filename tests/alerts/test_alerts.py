"""
Email alerts, read back from a real SMTP server on 127.0.0.1 (aiosmtpd): the request, the
confirmation, the digest of what is newly published, the one-click unsubscribe, in English and
French; what no answer may reveal, the limits, the retries, and what staff may see.
"""

import datetime
import email
import logging
import re
import socket
from email import policy
from urllib.parse import urlsplit

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Frequency, Subscriber, Subscription
from alerts.tasks import send_digests
from bodies.models import BodyKind
from publishing.models import PublicationStatus
from tests.admin_forms import make_staff
from tests.factories import make_body, make_event

ADDRESS = "delegate@example.org"
LINK = re.compile(r"https?://testserver(/[^\s\"<>]+)")


class Inbox:
    """What the SMTP server received; it answers 451 to the next `refusals` messages."""

    def __init__(self):
        self.messages = []
        self.refusals = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def take(self):
        messages, self.messages = self.messages, []
        return messages


@pytest.fixture(scope="module")
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    inbox, port = smtp_server
    inbox.messages, inbox.refusals = [], 0
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "WCO Integrity Catalogue <alerts@integrity.example.org>"
    # The worker's mails, sent as soon as they are queued.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return inbox


@pytest.fixture
def isc(db):
    """The body, with a session published before any alert: a body without public records is no filter."""
    body = make_body("Integrity Sub-Committee", slug="isc", kind=BodyKind.WCO_BODY)
    make_event("12th session of the Integrity Sub-Committee", bodies=[body])
    return body


def subject(message):
    return str(message["Subject"]).strip()


def an_hour_later():
    """Records published after the confirmation: publication times are to the second."""
    return time_machine.travel(timezone.now() + datetime.timedelta(hours=1))


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def links(text):
    return LINK.findall(text)


def link_to(message, name):
    """The path and query of the link of the mail's text that leads to the view `alerts:<name>`."""
    path = reverse(f"alerts:{name}")
    return next(found for found in links(text_of(message)) if urlsplit(found).path == path)


def unsubscribe_of(message):
    return re.fullmatch(r"<https?://testserver(/\S+)>", message["List-Unsubscribe"]).group(1)


def subscribe(client, address=ADDRESS, query="body=isc", language="en", frequency=Frequency.DAILY, **extra):
    with translation_of(language):
        url = reverse("alerts:new_events")
    return client.post(f"{url}?{query}", {"address": address, "frequency": frequency}, **extra)


def translation_of(language):
    from django.utils import translation

    return translation.override(language)


@pytest.mark.django_db
def test_a_visitor_subscribes_confirms_gets_the_new_session_and_unsubscribes_in_one_click(
    inbox, isc, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO)
    old = make_event("13th session of the Integrity Sub-Committee", bodies=[isc])
    make_event("Session of another body")
    client = Client()

    page = client.get("/en/alerts/new/events/?body=isc&sort=title")
    with django_capture_on_commit_callbacks(execute=True):
        requested = subscribe(client)

    assert page.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
    assert "Body: Integrity Sub-Committee" in page.content.decode()
    assert requested.status_code == 200
    [confirmation] = inbox.take()
    assert confirmation["To"] == ADDRESS
    assert confirmation["From"] == "WCO Integrity Catalogue <alerts@integrity.example.org>"
    assert subject(confirmation) == "Confirm your email alert: Events (Body: Integrity Sub-Committee)"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert confirmation["List-Unsubscribe"].startswith("<http://testserver/en/alerts/unsubscribe/?token=")
    assert "Confirm this alert" in html_of(confirmation)

    # Nothing is sent before the confirmation.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert send_digests.call() == 0
    assert inbox.take() == []

    confirm = link_to(confirmation, "confirm")
    button = client.get(confirm)
    confirmed = client.post(confirm)
    assert button.status_code == 200 and "Confirm this alert" in button.content.decode()
    assert {"private", "no-store"} <= {part.strip() for part in button["Cache-Control"].split(",")}
    assert confirmed.status_code == 200
    assert "Your email alert is confirmed" in confirmed.content.decode()

    with an_hour_later():
        new = make_event("25th session of the Integrity Sub-Committee", bodies=[isc])
        make_event("Draft 26th session", bodies=[isc], publication_status=PublicationStatus.DRAFT)
        make_event("Another body's new meeting")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert send_digests.call() == 1
        # Nothing new since: no digest.
        assert send_digests.call() == 0
        [digest] = inbox.take()
        text, html = text_of(digest), html_of(digest)
        assert client.get(links(text)[0]).status_code == 200

    assert subject(digest) == "New in the WCO Integrity Catalogue: Events (Body: Integrity Sub-Committee)"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://testserver{new.get_absolute_url()}" in text
    assert new.title in html
    for absent in (old.title, "Draft 26th session", "Another body's new meeting"):
        assert absent not in text and absent not in html

    unsubscribed = Client(enforce_csrf_checks=True).post(unsubscribe_of(digest), {"List-Unsubscribe": "One-Click"})
    assert unsubscribed.status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    token = urlsplit(confirm).query.removeprefix("token=")
    assert token not in caplog.text


@pytest.mark.django_db
def test_a_french_page_gives_french_mails_and_french_links(inbox, isc, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, language="fr", frequency=Frequency.WEEKLY)
    [confirmation] = inbox.take()
    client.post(link_to(confirmation, "confirm"))
    with an_hour_later():
        new = make_event("Session de l'ISC", bodies=[isc])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        send_digests.call()
    [digest] = inbox.take()

    assert (
        subject(confirmation) == "Confirmez votre alerte par courriel : Événements (Organe : Integrity Sub-Committee)"
    )
    assert "/fr/alerts/confirm/?token=" in text_of(confirmation)
    assert subject(digest) == (
        "Nouveautés du Catalogue de l'éthique de l'OMD : Événements (Organe : Integrity Sub-Committee)"
    )
    assert "nouvel enregistrement" in text_of(digest)
    assert f"http://testserver/fr/events/{new.slug}/" in text_of(digest)
    # One click, as a mail client does it, without the page.
    assert (
        Client(enforce_csrf_checks=True).post(unsubscribe_of(digest), {"List-Unsubscribe": "One-Click"}).status_code
        == 200
    )
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_known_and_an_unknown_address_get_the_same_answer(inbox, isc, django_capture_on_commit_callbacks):
    known = Subscriber.objects.create(address="known@example.org")
    Subscription.objects.create(
        subscriber=known,
        kind="events",
        query="body=isc",
        language="en",
        confirmed_at=timezone.now(),
        digested_until=timezone.now(),
    )
    client = Client()

    def answers(address):
        with django_capture_on_commit_callbacks(execute=True):
            manage = client.post(reverse("alerts:manage"), {"address": address})
            subscribed = subscribe(client, address=address)
        return [(response.status_code, response.content) for response in (manage, subscribed)]

    assert answers("known@example.org") == answers("unknown@example.org")
    # Each address may be mailed (a new confirmation link), never told the visitor; the management link only exists
    # for an address with alerts.
    received = sorted((message["To"], subject(message)) for message in inbox.take())
    assert received == [
        ("known@example.org", "Confirm your email alert: Events (Body: Integrity Sub-Committee)"),
        ("known@example.org", "Your email alerts from the WCO Integrity Catalogue"),
        ("unknown@example.org", "Confirm your email alert: Events (Body: Integrity Sub-Committee)"),
    ]


@pytest.mark.django_db
def test_the_management_link_shows_and_cancels_every_alert_of_the_address(
    inbox, isc, django_capture_on_commit_callbacks
):
    client = Client()
    for query in ("body=isc", "year=2024"):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, query=query)
    for confirmation in inbox.take():
        client.post(link_to(confirmation, "confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("alerts:manage"), {"address": ADDRESS.upper()})
    [mail] = inbox.take()

    page = client.get(link_to(mail, "mine"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Events (Body: Integrity Sub-Committee)" in content and "Events (Year: 2024)" in content
    cancel_all = re.search(r'action="([^"]+)">\s*<button type="submit" class="button">', content).group(1)
    assert client.post(cancel_all.replace("&amp;", "&")).status_code == 200
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_an_expired_confirmation_link_is_refused_and_confirms_nothing(inbox, isc, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(Client())
    [confirmation] = inbox.take()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        refused = Client().post(link_to(confirmation, "confirm"))
    tampered = Client().get(link_to(confirmation, "confirm") + "x")

    assert refused.status_code == 400
    assert "This confirmation link has expired" in refused.content.decode()
    assert tampered.status_code == 400
    assert not Subscription.objects.confirmed().exists()


@pytest.mark.django_db
def test_invalid_filters_are_refused_as_the_list_refuses_them(client):
    listed = client.get("/en/events/?year=twenty")
    refused = client.get("/en/alerts/new/events/?year=twenty")
    posted = client.post("/en/alerts/new/events/?year=twenty", {"address": ADDRESS, "frequency": "daily"})

    assert listed.status_code == refused.status_code == posted.status_code == 400
    assert "Enter each year as a number, such as 2019." in refused.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_subscriptions_are_limited_per_client_and_per_address(
    inbox, isc, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "alerts": "2/h"}

    def from_client(address, number):
        with django_capture_on_commit_callbacks(execute=True):
            return subscribe(Client(), address=address, REMOTE_ADDR=f"192.0.2.{number}").status_code

    # Three addresses from one client: the third is refused.
    one_client = [from_client(f"person{n}@example.org", 1) for n in range(3)]
    # One address from three clients: the third is answered alike but sends nothing.
    one_address = [from_client(ADDRESS, n) for n in range(10, 13)]

    assert one_client == [200, 200, 429]
    assert one_address == [200, 200, 200]
    assert [message["To"] for message in inbox.take()].count(ADDRESS) == 2


@pytest.mark.django_db
def test_mails_that_the_server_refuses_are_sent_again(inbox, isc, django_capture_on_commit_callbacks):
    inbox.refusals = 1
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(Client())
    [confirmation] = inbox.take()
    Client().post(link_to(confirmation, "confirm"))
    with an_hour_later():
        make_event("ISC session", bodies=[isc])

    inbox.refusals = 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        refused = send_digests.call()
        retried = send_digests.call()

    assert inbox.refusals == 0
    assert (refused, retried) == (0, 1)
    assert "ISC session" in text_of(inbox.take()[0])


@pytest.mark.django_db
def test_staff_see_how_many_alerts_there_are_and_only_administrators_the_addresses(isc):
    for address in ("one@example.org", "two@example.org"):
        Subscription.objects.create(
            subscriber=Subscriber.objects.create(address=address), kind="events", query="body=isc", language="en"
        )
    changelist = reverse("admin:alerts_subscription_changelist")
    publisher, administrator = Client(), Client()
    publisher.force_login(make_staff("pat", "Publisher"))
    administrator.force_login(make_staff("ada", "Administrator"))

    seen_by_publisher = publisher.get(changelist).content.decode()
    seen_by_administrator = administrator.get(changelist).content.decode()

    assert "2 email alerts" in seen_by_publisher
    assert "one@example.org" not in seen_by_publisher
    assert "one@example.org" in seen_by_administrator and "two@example.org" in seen_by_administrator
