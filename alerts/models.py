"""
Who follows which list, by email: an address (Subscriber), stored only while it has an alert
or a request for one waiting for its confirmation, and its alerts (Subscription), each a
kind of record (the app label of a registered kind, catalogue/records.py) and the list's
filters as a query string.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint

# How long a confirmation link works; a request not confirmed by then is forgotten.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=3)
# A digest falls due this much before its interval has passed, so that the hourly run does not
# push each day's digest an hour later than the one before.
DUE_MARGIN = datetime.timedelta(minutes=59)


def new_key():
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


INTERVALS = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(weeks=1)}


class Subscriber(models.Model):
    """An address with at least one alert, confirmed or waiting for its confirmation."""

    address = models.EmailField(_("address"), unique=True)
    # Part of every link mailed to the address: a new address never answers an old link.
    key = models.CharField(max_length=64, default=new_key, editable=False)

    class Meta:
        ordering = ["address"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.address


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def due(self, now):
        """The confirmed alerts whose digest's interval has passed."""
        due = Q()
        for frequency, interval in INTERVALS.items():
            due |= Q(frequency=frequency, digested_until__lte=now - interval + DUE_MARGIN)
        return self.confirmed().filter(due)

    def unconfirmed_expired(self, now):
        return self.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRMATION_MAX_AGE)


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("subscriber")
    )
    # The app label of a registered kind of record ("events"), as in the address of its list.
    kind = models.CharField(_("kind of record"), max_length=100)
    # The list's filters, without its sort or page, as a query string in the order of the names.
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    # The language of the page it was asked for on: its mails are written in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The records first published up to this moment have been sent, or were there before the confirmation.
    digested_until = models.DateTimeField(_("last digest"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("email alert")
        verbose_name_plural = _("email alerts")
        constraints = [
            ChoicesConstraint(condition=Q(frequency__in=Frequency.values), name="alerts_subscription_frequency_valid"),
            ChoicesConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="alerts_subscription_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(digested_until__isnull=False),
                name="alerts_subscription_confirmed_has_digest_time",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "digested_until"], name="alerts_subscription_due")]

    def __str__(self):
        return f"{self.kind}?{self.query}" if self.query else self.kind

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def confirm(self, now=None):
        """
        Confirm this request. An alert of the address on the same list already confirmed takes
        this one's frequency and language instead, and this one goes. The alert kept.
        """
        # To the second, as publication times are (publishing/models.py).
        now = (now or timezone.now()).replace(microsecond=0)
        if self.is_confirmed:
            return self
        same = (
            Subscription.objects.confirmed()
            .filter(subscriber_id=self.subscriber_id, kind=self.kind, query=self.query)
            .exclude(pk=self.pk)
            .first()
        )
        if same is not None:
            Subscription.objects.filter(pk=same.pk).update(frequency=self.frequency, language=self.language)
            self.delete()
            same.frequency, same.language = self.frequency, self.language
            return same
        self.confirmed_at = self.digested_until = now
        self.save(update_fields=["confirmed_at", "digested_until"])
        return self


def forget_unsubscribed(sender, instance, **kwargs):
    """On post_delete of an alert: an address left without any alert is deleted with it."""
    Subscriber.objects.filter(pk=instance.subscriber_id, subscriptions=None).delete()
