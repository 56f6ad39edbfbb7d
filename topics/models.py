from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.collation import sort_key
from editorial.models import Lockable
from publishing.models import used_by_published


class TopicQuerySet(models.QuerySet):
    def public(self, reviewed=False):
        """
        The topics that published events or instruments use: the only ones the public sees,
        on any page, list, feed or answer of the API. With `reviewed`, also those that records
        in review or scheduled for later use: what a save would change on public pages with no review.
        """
        return self.filter(used_by_published(self.model, reviewed))

    def choices(self):
        """(slug, name) pairs for a choice field."""
        return sorted(self.values_list("slug", "name"), key=lambda choice: sort_key(choice[1]))


class Topic(Lockable):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=100, db_index=False)
    description = models.TextField(_("description"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="topic_slug_unique"),
            models.UniqueConstraint(fields=["name"], name="topic_name_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})
