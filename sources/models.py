from django.db import models
from django.utils.translation import gettext_lazy as _

from editorial.models import Lockable
from publishing.models import used_by_published


class SourceQuerySet(models.QuerySet):
    def public(self, reviewed=False):
        """
        The sources of published events or instruments, which their public pages cite. With
        `reviewed`, also those of records in review or scheduled for later.
        """
        return self.filter(used_by_published(self.model, reviewed))


class Source(Lockable):
    """A public page that reported the facts of a record."""

    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.ForeignKey(
        "bodies.Body",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Anything a reader should know about the page, e.g. the languages it exists in."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [models.UniqueConstraint(fields=["url"], name="source_url_unique")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
