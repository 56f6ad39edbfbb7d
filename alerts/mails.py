"""
The mails of the alerts, each in the language of the page its alert was asked for on, as
plain text with an HTML alternative, every link absolute (settings.SITE_URL), and with the
RFC 8058 one-click unsubscribe headers.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import tokens
from .lists import FollowedList
from .models import CONFIRMATION_MAX_AGE

# Records listed in one digest at most; the mail links to the list for the rest.
DIGEST_LENGTH = 50
# Without SITE_URL (development only, with DEBUG), the address `make run` serves on.
DEVELOPMENT_ORIGIN = "http://127.0.0.1:8000"


def absolute(path):
    return (settings.SITE_URL or DEVELOPMENT_ORIGIN) + path


def link(view_name, token, **kwargs):
    return absolute(f"{reverse(view_name, kwargs=kwargs)}?token={token}")


def compose(address, subject, template, context, unsubscribe_url):
    """The mail, its two versions rendered from templates/alerts/mail/<template>.txt and .html."""
    context = {**context, "unsubscribe_url": unsubscribe_url, "site_url": absolute(reverse("home"))}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"alerts/mail/{template}.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"alerts/mail/{template}.html", context), "text/html")
    return message


def confirmation(subscription):
    with translation.override(subscription.language):
        followed = FollowedList.of(subscription.kind, subscription.query)
        context = {
            "followed": followed,
            "subscription": subscription,
            "confirm_url": link("alerts:confirm", tokens.make(tokens.CONFIRM, subscription)),
            "list_url": absolute(followed.list_path()),
            "days": CONFIRMATION_MAX_AGE.days,
        }
        unsubscribe_url = link("alerts:unsubscribe", tokens.make(tokens.UNSUBSCRIBE_ONE, subscription))
        subject = _("Confirm your email alert: %(followed)s") % {"followed": followed.summary}
        return compose(subscription.subscriber.address, subject, "confirmation", context, unsubscribe_url)


def digest(subscription, followed, records, total):
    """The digest of `records` (at most DIGEST_LENGTH of the `total` new ones), in the alert's language."""
    with translation.override(subscription.language):
        context = {
            "followed": followed,
            "subscription": subscription,
            "records": [
                {"title": followed.title_of(record), "url": absolute(record.get_absolute_url())} for record in records
            ],
            "total": total,
            "more": total - len(records),
            "list_url": absolute(followed.list_path()),
            "manage_url": absolute(reverse("alerts:manage")),
        }
        unsubscribe_url = link("alerts:unsubscribe", tokens.make(tokens.UNSUBSCRIBE_ONE, subscription))
        subject = _("New in the WCO Integrity Catalogue: %(followed)s") % {"followed": followed.summary}
        return compose(subscription.subscriber.address, subject, "digest", context, unsubscribe_url)


def manage_link(subscriber, language):
    with translation.override(language):
        context = {
            "manage_url": link("alerts:mine", tokens.make(tokens.MANAGE, subscriber)),
            "hours": int(tokens.MANAGE_MAX_AGE.total_seconds() // 3600),
        }
        unsubscribe_url = link("alerts:unsubscribe", tokens.make(tokens.UNSUBSCRIBE_ALL, subscriber))
        subject = _("Your email alerts from the WCO Integrity Catalogue")
        return compose(subscriber.address, subject, "manage", context, unsubscribe_url)
