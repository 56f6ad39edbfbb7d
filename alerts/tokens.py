"""
The tokens of the links mailed to an address, signed (django.core.signing) with a salt for
each use and carrying the record's primary key and its random key, so that a link never
answers for a record made later with the same primary key. Confirmation and management
links expire; unsubscribe links work as long as what they cancel exists.
They travel in the query string, which the site's log never records (wcointegrity/logs.py).
"""

import datetime

from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import CONFIRMATION_MAX_AGE, Subscriber, Subscription

CONFIRM = "alerts.confirm"
MANAGE = "alerts.manage"
# An unsubscribe link cancels one alert, or every alert of an address.
UNSUBSCRIBE_ONE = "alerts.unsubscribe"
UNSUBSCRIBE_ALL = "alerts.unsubscribe-all"
MANAGE_MAX_AGE = datetime.timedelta(days=1)

MODELS = {CONFIRM: Subscription, MANAGE: Subscriber, UNSUBSCRIBE_ONE: Subscription, UNSUBSCRIBE_ALL: Subscriber}
MAX_AGES = {CONFIRM: CONFIRMATION_MAX_AGE, MANAGE: MANAGE_MAX_AGE}


class Gone(Exception):
    """A well-signed token of something that no longer exists."""


def make(use, obj):
    return signing.dumps([obj.pk, obj.key], salt=use)


def kind_of(token):
    """Which use a token was signed for, among the unsubscribe ones; None for none of them."""
    for use in (UNSUBSCRIBE_ONE, UNSUBSCRIBE_ALL):
        try:
            signing.loads(token, salt=use)
        except signing.BadSignature:
            continue
        return use
    return None


def read(use, token):
    """
    The record that `token` was made for: signing.SignatureExpired if too old,
    signing.BadSignature if not a token of this use, Gone if it no longer exists.
    """
    value = signing.loads(token, salt=use, max_age=MAX_AGES.get(use))
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise signing.BadSignature("Unexpected token.")
    pk, key = value
    found = MODELS[use].objects.filter(pk=pk).first()
    if found is None or not constant_time_compare(found.key, key):
        raise Gone
    return found
