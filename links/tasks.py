"""
The link check, run by the worker once every LINK_CHECK_INTERVAL_HOURS (periodic/): the links
are brought in line with the addresses the records hold, then each link not checked by any run
within the interval is claimed by this run, checked, and its outcome recorded. Two runs at once
check different links; a run that finds none due sends no request.
"""

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

import periodic
from publishing.cache import renew_catalogue_version

from .addresses import addresses
from .checker import Checker
from .models import Link, LinkCheck

# The checks kept for each link.
HISTORY = 20


def interval():
    return datetime.timedelta(hours=settings.LINK_CHECK_INTERVAL_HOURS)


@periodic.every(interval())
@task()
def check_links():
    """Check the links that are due; the number checked."""
    return check_due()


def check_due(now=None):
    now = now or timezone.now()
    update_links()
    token = uuid.uuid4().hex
    # A tenth less than the interval: the run of the next interval finds them due, however late this one ended.
    due = Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - interval() * 0.9)
    if not Link.objects.filter(due).update(claim=token, claimed_at=now):
        return 0
    links = {link.url: link.pk for link in Link.objects.filter(claim=token)}
    changed_copies = False
    for url, result in Checker.from_settings().check_all(links):
        changed_copies |= record(links[url], result)
    if changed_copies:
        # The public pages offer an archived copy beside a broken link: what was cached before is not read again.
        renew_catalogue_version()
    return len(links)


def update_links():
    """A link for every address the records hold, and none for an address no record holds any more."""
    wanted = addresses()
    known = set(Link.objects.values_list("url", flat=True))
    Link.objects.bulk_create([Link(url=url) for url in sorted(wanted - known)], ignore_conflicts=True)
    if gone := known - wanted:
        Link.objects.filter(url__in=gone).delete()


def record(pk, result):
    """Record the outcome of a check of link `pk`; whether the copy the public pages offer changed."""
    now = timezone.now()
    with transaction.atomic():
        link = Link.objects.select_for_update().filter(pk=pk).first()
        if link is None:
            return False
        offered = link.offered_copy
        check = LinkCheck.objects.create(link=link, checked_at=now, **result.fields())
        if not link.same_outcome(check):
            link.changed_at = now
        for name, value in result.fields().items():
            setattr(link, name, value)
        link.checked_at = now
        link.save()
        kept = LinkCheck.objects.filter(link=link).values_list("pk", flat=True)[:HISTORY]
        LinkCheck.objects.filter(link=link).exclude(pk__in=list(kept)).delete()
    return link.offered_copy != offered
