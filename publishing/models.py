from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """The records the public may see. Every public page, count and choice starts here."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


class Publishable(models.Model):
    """A record that staff prepare as a draft and the public sees only once it is published."""

    Status = PublicationStatus

    publication_status = models.CharField(
        _("publication status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publication_status__in=PublicationStatus.values),
                name="%(app_label)s_%(class)s_publication_status_valid",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.is_published and self.first_published_at is None:
            self.first_published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED
