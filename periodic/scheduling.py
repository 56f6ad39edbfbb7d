import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import registered
from .models import Run

NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def enqueue_due(now=None):
    """Enqueue each registered task whose interval has passed since it was last enqueued; the tasks enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in registered():
        try:
            with transaction.atomic():
                Run.objects.get_or_create(name=periodic.name, defaults={"enqueued_at": NEVER})
        except IntegrityError:
            # Another process made the row in the meantime.
            pass
        # The claim and the task in the queue's database are one transaction: a failure leaves neither.
        with transaction.atomic():
            due = Run.objects.filter(name=periodic.name, enqueued_at__lte=now - periodic.interval)
            if due.update(enqueued_at=now):
                periodic.task.enqueue()
                enqueued.append(periodic)
    return enqueued
