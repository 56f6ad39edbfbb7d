from django.db import models
from django.utils.translation import gettext_lazy as _

from choices.constraints import ChoicesConstraint


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Working")
    MOVED = "moved", _("Moved")
    BROKEN = "broken", _("Broken")
    DISALLOWED = "disallowed", _("Not checked: robots.txt disallows")


class LinkError(models.TextChoices):
    NONE = "", _("None")
    STATUS = "status", _("Error status")
    TIMEOUT = "timeout", _("Timeout")
    DNS = "dns", _("Host not found (DNS)")
    REFUSED = "refused", _("Connection refused")
    TLS = "tls", _("TLS error")
    CONNECTION = "connection", _("Connection failed")
    REDIRECTS = "redirects", _("Too many redirects")
    ADDRESS = "address", _("Not a web address")
    PRIVATE = "private", _("Not on the public internet")


class Outcome(models.Model):
    """What a check of an address found."""

    state = models.CharField(_("state"), max_length=12, choices=LinkState.choices, default=LinkState.UNCHECKED)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=12, choices=LinkError.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    new_url = models.URLField(_("new address"), max_length=2000, blank=True)
    # The redirects followed, one a line: "301 https://...".
    redirects = models.TextField(_("redirects"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            ChoicesConstraint(condition=models.Q(state__in=LinkState.values), name="%(class)s_state_valid"),
            ChoicesConstraint(condition=models.Q(error__in=LinkError.values), name="%(class)s_error_valid"),
        ]

    @property
    def state_text(self):
        """The state as staff read it: "Broken (404)", "Broken: Timeout"."""
        if self.state != LinkState.BROKEN:
            return self.get_state_display()
        if self.error == LinkError.STATUS:
            return f"{self.get_state_display()} ({self.status_code})"
        return f"{self.get_state_display()}: {self.get_error_display()}"

    def same_outcome(self, other):
        return (self.state, self.status_code, self.error, self.new_url) == (
            other.state,
            other.status_code,
            other.error,
            other.new_url,
        )


class Link(Outcome):
    """An address that the catalogue's records hold, with the outcome of its last check."""

    url = models.URLField(_("address"), max_length=500)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True, db_index=True)
    archived_url = models.URLField(
        _("archived copy"),
        max_length=2000,
        blank=True,
        help_text=_("The address of a copy kept by an archive, offered on the public pages while the link is broken."),
    )
    # Which run of the checker took it last (tasks.py), and when.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(Outcome.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = [models.F("changed_at").desc(nulls_last=True), "url"]
        constraints = [*Outcome.Meta.constraints, models.UniqueConstraint(fields=["url"], name="link_url_unique")]

    def __str__(self):
        return self.url

    @property
    def offered_copy(self):
        """The archived copy's address that the public pages offer beside it: only while it is broken."""
        return self.archived_url if self.state == LinkState.BROKEN else ""


class LinkCheck(Outcome):
    """One check of a link: its history keeps the last few (tasks.HISTORY)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="checks", verbose_name=_("link"))

    class Meta(Outcome.Meta):
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["link", "-checked_at"], name="linkcheck_link_time")]

    def __str__(self):
        return f"{self.link} ({self.checked_at:%Y-%m-%d %H:%M})"
