from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """
        The records the public may see: published, and not scheduled for later.
        Every public page, count, choice, feed and export starts here.
        """
        return self.filter(publication_status=PublicationStatus.PUBLISHED, publish_at__lte=timezone.now())

    def awaiting_review(self):
        return self.filter(publication_status=PublicationStatus.IN_REVIEW)

    def scheduled(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED, publish_at__gt=timezone.now())

    def reviewed(self):
        """
        The records that a publisher reviews or has reviewed: in review, or published (those
        scheduled for later included). What they link to goes public with no further review.
        """
        return self.filter(publication_status__in=[PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED])


def published_records(model, reviewed=False):
    """
    The records of `model` (a Publishable) that the public sees now, or with `reviewed`,
    also those in review or scheduled for later: the records through which the public sees the bodies,
    topics, sources and series they link to (their QuerySets' `public()`).
    """
    records = model._default_manager
    return records.reviewed() if reviewed else records.published()


class Publishable(models.Model):
    """
    A record that staff prepare as a draft and the public sees only once it is published.

    A published record goes public at `publish_at`: the moment it was published, or a
    later time a publisher chose, until which it is "scheduled".
    """

    Status = PublicationStatus

    publication_status = models.CharField(
        _("publication status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    publish_at = models.DateTimeField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_(
            "When a published record becomes public. Leave empty to publish at once; "
            "a future time schedules the publication."
        ),
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            ChoicesConstraint(
                condition=models.Q(publication_status__in=PublicationStatus.values),
                name="%(app_label)s_%(class)s_publication_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["publication_status", "publish_at"], name="%(app_label)s_%(class)s_public")]

    def save(self, *args, **kwargs):
        changed = set()
        # To the second, as the admin's form shows and sends it back: saving the form unchanged keeps it.
        now = timezone.now().replace(microsecond=0)
        # `first_published_at` is when the record first became public. Until that moment has come,
        # it is only a schedule, which may still move or be cancelled; once it has, it never changes.
        first_to_come = self.first_published_at is not None and self.first_published_at > now
        if self.is_published:
            if self.publish_at is None:
                self.publish_at = now
                changed.add("publish_at")
            if (self.first_published_at is None or first_to_come) and self.first_published_at != self.publish_at:
                self.first_published_at = self.publish_at
                changed.add("first_published_at")
        else:
            if self.publish_at is not None:
                # Unpublished: publishing again starts afresh.
                self.publish_at = None
                changed.add("publish_at")
            if first_to_come:
                # Unpublished before its scheduled time: it never was public.
                self.first_published_at = None
                changed.add("first_published_at")
        if changed and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *changed}
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def is_public(self):
        return self.is_published and self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.is_published and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def state_label(self):
        """The state staff see: draft, in review, scheduled or published."""
        if self.is_scheduled:
            return _("Scheduled")
        return self.get_publication_status_display()


class CatalogueVersion(models.Model):
    """
    The one row that says which state of the catalogue the public sees (publishing/cache.py).
    Every change to a public record gives it a new `token`; everything cached for the public
    is keyed on that token, so a change is seen at once by every server.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()
    next_publication_at = models.DateTimeField(
        null=True, help_text="When the next scheduled record goes public, which changes the catalogue too."
    )

    class Meta:
        verbose_name = _("catalogue version")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="catalogue_version_single_row")]

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def used_by_published(model, reviewed=False):
    """
    A Q of the records of `model` (a topic, a body, a source) that a published record of any
    Publishable model points to, or with `reviewed`, also one in review or scheduled for later:
    the shared records that the public sees through them (their QuerySets' `public()`).
    """
    used = models.Q(pk__in=[])
    for relation in model._meta.related_objects:
        if issubclass(relation.related_model, Publishable):
            used |= models.Q(pk__in=published_records(relation.related_model, reviewed).values(relation.field.name))
    return used
