from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalogue.templatetags.catalogue import web_address
from publishing.cache import renew_catalogue_version

from .addresses import uses
from .models import Link, LinkCheck, LinkState

# The checks shown in the list, of the last few.
RECENT = 5


class ReportFilter(admin.SimpleListFilter):
    """The broken and moved links unless asked for others."""

    title = _("state")
    parameter_name = "state"
    REPORT = [LinkState.BROKEN, LinkState.MOVED]

    def lookups(self, request, model_admin):
        return [("all", _("All")), *LinkState.choices]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Broken or moved"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.filter(state__in=self.REPORT)
        if value in LinkState.values:
            return queryset.filter(state=value)
        return queryset


def used_by(pairs):
    if not pairs:
        return "—"
    return format_html(
        '<ul class="link-uses">{}</ul>',
        format_html_join(
            "",
            "<li>{}</li>",
            (
                (format_html('<a href="{}">{}: {}</a>', url, record._meta.verbose_name, record) if url else record,)
                for record, url in pairs
            ),
        ),
    )


class LinkCheckInline(admin.TabularInline):
    model = LinkCheck
    verbose_name_plural = _("history")
    fields = ["checked_at", "state_shown", "new_url", "redirects", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("state"))
    def state_shown(self, check):
        return check.state_text

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    """
    The addresses of the records and how their last checks went: the broken and moved ones,
    newest change first, with the records that hold each. Staff may give an archived copy's
    address; everything else is the checker's.
    """

    list_display = ["address", "state_shown", "new_address", "records", "checked_at", "changed_at", "recent"]
    # The address goes to the site; its state, to the link's page and history.
    list_display_links = ["state_shown"]
    list_filter = [ReportFilter, "error"]
    search_fields = ["url", "new_url", "archived_url"]
    ordering = [Link._meta.ordering[0], "url"]
    fields = [
        "address",
        "state_shown",
        "new_address",
        "redirects",
        "detail",
        "checked_at",
        "changed_at",
        "records",
        "archived_url",
    ]
    readonly_fields = [name for name in fields if name != "archived_url"]
    inlines = [LinkCheckInline]

    def get_queryset(self, request):
        recent = LinkCheck.objects.only("link_id", "checked_at", "state", "status_code", "error")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("checks", queryset=recent[:RECENT], to_attr="recent_checks"))
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The records of the page's links: one query a kind of record, not one a link.
        found = uses(link.url for link in changelist.result_list)
        for link in changelist.result_list:
            link.uses = found[link.url]
        return changelist

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Broken and moved links"), **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "archived_url" in form.changed_data and obj.state == LinkState.BROKEN:
            # The public pages offer it beside the broken link: what was cached before is not read again.
            renew_catalogue_version()

    @admin.display(description=_("address"), ordering="url")
    def address(self, link):
        return external(link.url)

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, link):
        return link.state_text

    @admin.display(description=_("new address"))
    def new_address(self, link):
        return external(link.new_url) if link.new_url else "—"

    @admin.display(description=_("used by"))
    def records(self, link):
        if not hasattr(link, "uses"):
            link.uses = uses([link.url])[link.url]
        return used_by(link.uses)

    @admin.display(description=_("last checks"))
    def recent(self, link):
        checks = getattr(link, "recent_checks", None)
        if checks is None:
            checks = link.checks.all()[:RECENT]
        return (
            format_html_join(
                ", ",
                '<time datetime="{}" title="{}">{}</time>',
                ((c.checked_at.isoformat(), c.checked_at, short(c)) for c in checks),
            )
            or "—"
        )


def external(url):
    href = web_address(url)
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', href, url) if href else url


def short(check):
    if check.state == LinkState.BROKEN:
        return str(check.status_code) if check.status_code else check.get_error_display()
    return check.get_state_display()
