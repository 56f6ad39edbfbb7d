"""
The alerts' mails, sent by the background worker (`manage.py db_worker`) through Django's
mail backend (SMTP in production, wcointegrity/settings.py).

A confirmation or a management link that cannot be sent is tried again later: the task
enqueues itself again after RETRY_DELAYS, then gives up (the visitor may ask again). A digest
that cannot be sent leaves its alert's last digest where it was, so that the next hourly run
sends it with whatever else is new by then.
"""

import datetime
import logging

from django.core.mail import mailers
from django.tasks import task
from django.utils import timezone

import periodic

from . import mails
from .lists import FollowedList
from .models import Subscriber, Subscription

logger = logging.getLogger(__name__)

# A digest lists what was first published up to this long before it is sent: a record being
# published as the digest is made, whose transaction has not ended yet, goes into the next one.
SETTLE = datetime.timedelta(minutes=1)
# The waits before each new attempt at a mail that could not be sent.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=10),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=6),
]


def send_or_retry(message, retried_task, args, attempt):
    """Send `message`; if it fails, enqueue `retried_task` with `args` again later, a bounded number of times."""
    try:
        message.send(using="default")
    except OSError as error:  # smtplib's errors and the network's.
        if attempt > len(RETRY_DELAYS):
            logger.error("An alert's mail could not be sent after %s attempts: %s", attempt, error)
            return False
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning("An alert's mail could not be sent (attempt %s), tried again in %s: %s", attempt, delay, error)
        if retried_task.get_backend().supports_defer:
            retried_task = retried_task.using(run_after=timezone.now() + delay)
        retried_task.enqueue(*args, attempt=attempt + 1)
        return False
    return True


@task()
def send_confirmation(pk, attempt=1):
    """Mail the link that confirms alert `pk`, unless it has been confirmed or forgotten meanwhile."""
    subscription = Subscription.objects.select_related("subscriber").filter(pk=pk, confirmed_at=None).first()
    if subscription is None:
        return False
    return send_or_retry(mails.confirmation(subscription), send_confirmation, [pk], attempt)


@task()
def send_manage_link(pk, language, attempt=1):
    """Mail the link to the alerts of address `pk`; None (an address with no alert) sends nothing."""
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk is not None else None
    if subscriber is None:
        return False
    return send_or_retry(mails.manage_link(subscriber, language), send_manage_link, [pk, language], attempt)


@periodic.every(datetime.timedelta(hours=1))
@task()
def send_digests():
    """Send each alert whose digest is due the records newly published on its list; forget stale requests."""
    now = timezone.now()
    Subscription.objects.unconfirmed_expired(now).delete()
    sent = 0
    connection = mailers.default
    # To the second, as publication times are (publishing/models.py).
    until = now.replace(microsecond=0) - SETTLE
    try:
        for subscription in Subscription.objects.due(now).select_related("subscriber"):
            sent += send_digest(subscription, until, connection)
    finally:
        connection.close()
    return sent


def send_digest(subscription, until, connection):
    """
    Send one alert's digest of what was first published after its last one and up to `until`,
    if anything was. The alert is claimed first by moving its last digest to `until`, so that two
    runs at once never send it twice, and moved back if the mail could not be sent.
    """
    since = subscription.digested_until
    if since >= until:
        return False
    claimed = Subscription.objects.filter(pk=subscription.pk, digested_until=since)
    if not claimed.update(digested_until=until):
        return False
    followed = FollowedList.of(subscription.kind, subscription.query)
    records = followed.new_records(since, until) if followed is not None else None
    if records is None:
        return False
    listed = list(records[: mails.DIGEST_LENGTH + 1])
    if not listed:
        return False
    total = len(listed) if len(listed) <= mails.DIGEST_LENGTH else records.count()
    message = mails.digest(subscription, followed, listed[: mails.DIGEST_LENGTH], total)
    try:
        connection.send_messages([message])
    except OSError as error:
        Subscription.objects.filter(pk=subscription.pk, digested_until=until).update(digested_until=since)
        logger.warning("The digest of an alert could not be sent; the next run tries again: %s", error)
        # A new connection for the next digest: this one may be broken.
        connection.close()
        return False
    return True
