"""
The admin's editorial behaviour, shared by the records that staff curate:

- EditorialAdmin (every record staff curate): refuses stale saves, keeps a revision of
  every save with its author, shows the history field by field and restores an earlier
  version, and logs deletions;
- PublishableAdmin (events, instruments): the draft -> in review -> published workflow,
  where only a user with the publish permission can publish, unpublish or schedule, by any
  path (form, bulk action, forged request), where staff can preview what isn't public, and
  where the "Publish" action publishes the versions the publisher confirmed, or nothing;
- SharedRecordAdmin (bodies, topics, sources, series): what public pages show is changed
  by publishers only.
"""

import os

import reversion
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import JSON
from reversion.models import Version

from publishing.models import PublicationStatus
from publishing.previews import previewed_version

from . import audit
from .forms import ImportConfirmForm, LockingForm
from .history import parent_link, versions_with_changes
from .models import AuditAction, AuditEntry
from .resources import SpreadsheetCSV
from .roles import PUBLISHING

# The fields that only the publication workflow changes: never restored from history.
PUBLICATION_FIELDS = {"publication_status", "publish_at", "first_published_at"}


class AuditedDeleteMixin:
    """Deletions through the admin, one by one or in bulk, go to the audit log."""

    def delete_model(self, request, obj):
        audit.record(AuditAction.DELETE, request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(AuditAction.DELETE, request.user, obj)
        super().delete_queryset(request, queryset)


class KeptEmptyForm:
    """
    An inline's formset that makes its empty form (the pattern of the rows that "Add another"
    adds) once: Django makes it anew at each use, four or five times a change page for each
    inline (its rows' headings, its media, its upload check, the pattern itself), a form of every
    field each time. It is only shown, never bound, so one serves them all.
    """

    @cached_property
    def empty_form(self):
        return super().empty_form


class EditorialAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    form = LockingForm
    object_history_template = "admin/editorial/object_history.html"

    @property
    def restored_with(self):
        """The related records saved and restored with their parent: its model's `history_follows`."""
        return getattr(self.model, "history_follows", ())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        *rest, (name, options) = fieldsets
        return [*rest, (name, {**options, "fields": [*options["fields"], "opened_version"]})]

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (KeptEmptyForm, formset), {}), inline

    # Every save through the admin becomes a revision with its author and what it changed.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changelist_view(request, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message())
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message())
        return entry

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = {}
        if obj is not None:
            context = {
                "versions": versions_with_changes(obj, self.restored_with),
                "can_restore": self.has_change_permission(request, obj),
                "publication_entries": self.publication_entries(obj),
            }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def publication_entries(self, obj):
        return None

    def restore_view(self, request, object_id, version_id):
        """Make an earlier version the current one again (as a new save: nothing is lost)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
            args=[quote(object_id)],
            current_app=self.admin_site.name,
        )
        with transaction.atomic(using=router.db_for_write(self.model)), reversion.create_revision():
            obj = get_object_or_404(self.model._base_manager.select_for_update(), pk=unquote(object_id))
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
            when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
            try:
                self.restore(obj, version)
            except ValidationError as error:
                transaction.set_rollback(True)
                messages.error(
                    request,
                    gettext("The version of %(when)s cannot be restored: %(reason)s")
                    % {"when": when, "reason": " ".join(error.messages)},
                )
                return HttpResponseRedirect(history_url)
            message = gettext("Restored the version of %(when)s.") % {"when": when}
            reversion.set_user(request.user)
            reversion.set_comment(message)
            super().log_change(request, obj, message)
            audit.record(AuditAction.RESTORE, request.user, obj, detail=message)
        messages.success(request, message)
        return HttpResponseRedirect(history_url)

    def restore(self, obj, version):
        """Copy `version`'s content onto `obj` and save it; links to records deleted since are left out."""
        data = version.field_dict
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in PUBLICATION_FIELDS or field.attname not in data:
                continue
            value = data[field.attname]
            if field.is_relation and value is not None and not field.related_model._base_manager.filter(pk=value):
                value = None
            setattr(obj, field.attname, value)
        obj.full_clean(exclude=PUBLICATION_FIELDS)
        obj.save()
        for field in obj._meta.many_to_many:
            if field.attname in data and field.remote_field.through._meta.auto_created:
                existing = field.related_model._base_manager.filter(pk__in=data[field.attname])
                getattr(obj, field.name).set(existing)
        for name in self.restored_with:
            self.restore_inline(obj, version, name)

    def restore_inline(self, obj, version, related_name):
        rel = obj._meta.get_field(related_name)
        inline_model = rel.related_model
        tie = parent_link(rel, type(obj), obj.pk)
        getattr(obj, related_name).all().delete()
        for inline in version.revision.version_set.get_for_model(inline_model):
            data = inline.field_dict
            if any(data.get(attname) != value for attname, value in tie.items()):
                continue
            values = {
                field.attname: data[field.attname]
                for field in inline_model._meta.concrete_fields
                if not field.primary_key and field.attname in data
            }
            related_gone = any(
                field.is_relation
                and values.get(field.attname) is not None
                and not field.related_model._base_manager.filter(pk=values[field.attname]).exists()
                for field in inline_model._meta.concrete_fields
            )
            if not related_gone:
                inline_model._base_manager.create(**values)


def last_changes(model, records):
    """{str(pk): the admin's latest change entry} for each of `records` that has one, in one query."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(record.pk) for record in records],
            action_flag=CHANGE,
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
    )
    latest = {}
    for entry in entries:
        latest.setdefault(entry.object_id, entry)
    return latest


def may_publish(request):
    """Whether the user may publish every kind of record, and so change what public pages show."""
    return all(request.user.has_perm(f"{app_label}.{codename}") for app_label, codename in PUBLISHING)


class SharedRecordAdmin(EditorialAdmin):
    """
    Bodies, topics, sources and series: what published events and instruments link to and
    their pages show. Saving one that a record in review, scheduled or public uses (its
    QuerySet's `public(reviewed=True)`) would change public pages with no review, or after
    the publisher reviewed it, so, as with a published event, only a publisher may change it;
    editors see it read-only. One that only drafts use stays editable: its publisher reviews
    it with the record that makes it public.
    """

    def has_publish_permission(self, request):
        return may_publish(request)

    def is_in_public_use(self, request, obj):
        # Asked several times for each page: the answer is kept for the request.
        answers = request.__dict__.setdefault("_in_public_use", {})
        key = (self.opts.label, obj.pk)
        if key not in answers:
            answers[key] = self.model._default_manager.public(reviewed=True).filter(pk=obj.pk).exists()
        return answers[key]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk is not None and not self.has_publish_permission(request):
            if self.is_in_public_use(request, obj):
                return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if obj is not None and not self.has_publish_permission(request) and self.is_in_public_use(request, obj):
            self.message_user(
                request,
                gettext(
                    "Records that are published or in review show this %(kind)s, so a change to it would reach "
                    "public pages without review: only a publisher may change it. To propose a change, write to "
                    "a publisher."
                )
                % {"kind": self.opts.verbose_name},
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (PublicationStatus.DRAFT, _("Draft")),
            (PublicationStatus.IN_REVIEW, _("In review")),
            ("scheduled", _("Scheduled")),
            (PublicationStatus.PUBLISHED, _("Public")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case PublicationStatus.DRAFT | PublicationStatus.IN_REVIEW as status:
                return queryset.filter(publication_status=status)
            case "scheduled":
                return queryset.scheduled()
            case PublicationStatus.PUBLISHED:
                return queryset.published()
        return queryset


class PublishableAdmin(EditorialAdmin):
    actions = ["submit_for_review", "publish", "unpublish"]
    # The change form's "Publication" fieldset.
    publication_fields = [
        "state",
        "publication_status",
        "publish_at",
        "first_published_at",
        "public_page",
        "publication_history",
    ]
    preview_url_name = None  # e.g. "events:preview"

    def has_publish_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def has_change_permission(self, request, obj=None):
        """Only those who may publish change what is published or scheduled: others would publish by saving."""
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "state", "public_page", "publication_history"]
        if not self.has_publish_permission(request):
            readonly.append("publish_at")
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "publication_status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label) for value, label in db_field.choices if value != PublicationStatus.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        previous, previous_publish_at = self.stored_status(obj) if change else (None, None)
        self.check_transition(request, previous, obj.publication_status)
        super().save_model(request, obj, form, change)
        self.record_transition(request, obj, previous, previous_publish_at)

    def stored_status(self, obj):
        """The record's publication status and public-from time as stored, before this save."""
        stored = self.model._base_manager.filter(pk=obj.pk).values_list("publication_status", "publish_at").first()
        return stored or (None, None)

    def check_transition(self, request, previous, status):
        touches_published = PublicationStatus.PUBLISHED in (previous, status) and previous != status
        if touches_published and not self.has_publish_permission(request):
            raise PermissionDenied

    def record_transition(self, request, obj, previous, previous_publish_at=None):
        # A published record whose public-from time moves is published or scheduled anew. The form
        # shows the time to the second: a save that leaves it as shown doesn't move it.
        moved = (
            obj.is_published
            and previous_publish_at is not None
            and previous_publish_at.replace(microsecond=0) != obj.publish_at.replace(microsecond=0)
        )
        if previous == obj.publication_status and not moved:
            return
        if obj.is_published:
            action = AuditAction.SCHEDULE if obj.is_scheduled else AuditAction.PUBLISH
            detail = gettext("public from %(time)s UTC") % {"time": f"{obj.publish_at:%Y-%m-%d %H:%M}"}
            audit.record(action, request.user, obj, detail=detail)
        elif previous == PublicationStatus.PUBLISHED:
            audit.record(AuditAction.UNPUBLISH, request.user, obj)
        elif obj.publication_status == PublicationStatus.IN_REVIEW:
            audit.record(AuditAction.SUBMIT, request.user, obj)

    def publication_entries(self, obj):
        return AuditEntry.objects.about(obj).filter(
            action__in=[AuditAction.SUBMIT, AuditAction.PUBLISH, AuditAction.SCHEDULE, AuditAction.UNPUBLISH]
        )

    # Read-only fields of the change form.
    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.state_label

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj.pk is None:
            return "—"
        if obj.is_public:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("View it on the site"))
        return format_html(
            '<a href="{}">{}</a> ({})',
            self.preview_url(obj),
            gettext("Preview it"),
            gettext("not public yet: only staff can open the preview"),
        )

    @admin.display(description=_("publication history"))
    def publication_history(self, obj):
        entries = self.publication_entries(obj)[:20] if obj.pk else []
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 (a constant)
            "{} UTC: {} ({}){}",
            (
                (f"{entry.at:%Y-%m-%d %H:%M}", entry.get_action_display(), entry.username, f", {entry.detail}")
                if entry.detail
                else (f"{entry.at:%Y-%m-%d %H:%M}", entry.get_action_display(), entry.username, "")
                for entry in entries
            ),
        ) or format_html("{}", "—")

    def preview_url(self, obj):
        return reverse(self.preview_url_name, kwargs={"slug": obj.slug})

    def get_view_on_site_url(self, obj=None):
        if obj is not None and obj.pk is not None and not obj.is_public:
            return self.preview_url(obj)
        return super().get_view_on_site_url(obj)

    # Bulk actions, each checked against the user's permissions by the admin before it runs.
    def _transition(self, request, queryset, status, allowed):
        changed = 0
        # Lock the rows themselves: the changelist's queryset may join nullable relations
        # (list_select_related) or be distinct, which PostgreSQL cannot lock FOR UPDATE.
        locked = self.model._base_manager.filter(pk__in=queryset.values("pk")).select_for_update().order_by("pk")
        for obj in locked:
            if not (allowed(obj) and self.has_change_permission(request, obj)):
                continue
            previous = obj.publication_status
            obj.publication_status = status
            if obj.is_scheduled:
                obj.publish_at = None  # publish now, not at the scheduled time
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["publication status"]}}])
            self.record_transition(request, obj, previous)
            changed += 1
        return changed

    @admin.action(description=_("Submit the selected records for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = self._transition(
            request, queryset, PublicationStatus.IN_REVIEW, lambda obj: obj.publication_status == "draft"
        )
        self.message_user(
            request, ngettext("%d record submitted for review.", "%d records submitted for review.", count) % count
        )

    @admin.action(description=_("Publish the selected records now"), permissions=["publish"])
    def publish(self, request, queryset):
        """
        Publish what the publisher reviewed. A first page lists each record with the version
        that would go public, its latest change, its preview and the version of it that the
        publisher previewed; only the records whose preview showed that version are ticked.
        Once confirmed, each ticked record is published in that version, or not at all if it
        has changed since the page was shown.
        """
        if request.POST.get("post") != "yes":
            return self.publish_confirmation(request, queryset)
        reviewed = self.reviewed_versions(request)
        refused = []

        def allowed(obj):
            if obj.is_public:
                return False
            if reviewed.get(str(obj.pk)) != obj.lock_version:
                refused.append(obj)
                return False
            return True

        count = self._transition(request, queryset, PublicationStatus.PUBLISHED, allowed)
        self.message_user(request, ngettext("%d record published.", "%d records published.", count) % count)
        latest = last_changes(self.model, refused)
        for obj in refused:
            entry = latest.get(str(obj.pk))
            if str(obj.pk) not in reviewed or entry is None:
                reason = gettext("“%(record)s” was not published: it is not the version you confirmed.")
            else:
                reason = gettext(
                    "“%(record)s” was not published: %(user)s changed it after you reviewed it, at %(time)s. "
                    "Review the new version, then publish it."
                )
            details = {"record": obj, "user": entry.user.get_username() if entry else "", "time": ""}
            if entry is not None:
                details["time"] = formats.date_format(timezone.localtime(entry.action_time), "DATETIME_FORMAT")
            self.message_user(request, reason % details, messages.ERROR)

    @staticmethod
    def reviewed_versions(request):
        """{str(pk): version} of the records the publisher confirmed, from "pk:version" values; others are left out."""
        versions = {}
        for value in request.POST.getlist("reviewed"):
            pk, _colon, version = value.partition(":")
            if version.isascii() and version.isdigit() and len(version) < 10:
                versions[pk] = int(version)
        return versions

    def publish_confirmation(self, request, queryset):
        selected = list(self.model._base_manager.filter(pk__in=queryset.values("pk")))
        records = [obj for obj in selected if not obj.is_public and self.has_change_permission(request, obj)]
        if not records:
            self.message_user(request, gettext("None of the selected records is waiting to be published."))
            return None
        latest = last_changes(self.model, records)
        previewed = {obj.pk: previewed_version(request, obj) for obj in records}
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish these versions?"),
            "subtitle": None,
            "opts": self.opts,
            "media": self.media,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "records": [
                {
                    "object": obj,
                    "lock_version": obj.lock_version,
                    # Counted from 1, as the preview shows it: the number of saves.
                    "version": obj.lock_version + 1,
                    "last_change": latest.get(str(obj.pk)),
                    "preview_url": self.preview_url(obj),
                    # Ticked for publishing only if the publisher's preview showed this version.
                    "as_previewed": previewed[obj.pk] == obj.lock_version,
                    "previewed_version": None if previewed[obj.pk] is None else previewed[obj.pk] + 1,
                }
                for obj in records
            ],
            "skipped": len(selected) - len(records),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/publish/confirmation.html", context)

    @admin.action(description=_("Unpublish the selected records (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = self._transition(request, queryset, PublicationStatus.DRAFT, lambda obj: obj.is_published)
        self.message_user(request, ngettext("%d record unpublished.", "%d records unpublished.", count) % count)


class CatalogueImportExportMixin(ImportExportMixin):
    """
    Import and export in CSV and JSON, for bodies, events and instruments. An import is
    previewed row by row, then applied as a whole or not at all: a row that fails when it is
    confirmed (the catalogue may have changed since the preview) undoes the whole file.
    What it writes is one revision in each record's history, by the importing user.
    A row whose record has changed since the preview, its publication state included, is
    refused at the confirmation, as a change form opened before the change would be.
    """

    formats = [SpreadsheetCSV, JSON]
    import_template_name = "admin/import_export/catalogue_import.html"
    confirm_form_class = ImportConfirmForm

    def has_import_permission(self, request):
        # An import creates records and changes existing ones.
        return super().has_import_permission(request) and self.has_change_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        data_kwargs = {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}
        if isinstance(form, ImportConfirmForm):
            data_kwargs["previewed_states"] = form.cleaned_data["previewed_states"]
        elif form is not None:
            # The preview notes the state of each row's record here, for its confirm form.
            form.seen_states = data_kwargs["seen_states"] = {}
        return data_kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            file_name = os.path.basename(initial["import_file_name"])
            initial["previewed_states"] = ImportConfirmForm.sign(file_name, getattr(import_form, "seen_states", {}))
        return initial

    def process_dataset(self, dataset, form, request, **kwargs):
        file_name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name")
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(gettext("Imported from %(file)s") % {"file": file_name})
            return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        messages.error(
            request,
            gettext("Nothing was imported, because some rows cannot be imported now: %(rows)s")
            % {"rows": " ".join(self.describe_failures(result))},
        )
        app_label, model_name = self.get_model_info()
        import_url = reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
        return HttpResponseRedirect(import_url)

    def describe_failures(self, result):
        for error in result.base_errors:
            yield str(error.error)
        for row in result.invalid_rows:
            reasons = "; ".join(
                " ".join(texts) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(texts)}"
                for field, texts in row.error_dict.items()
            )
            yield gettext("Row %(number)s: %(reasons)s") % {"number": row.number, "reasons": reasons}
        for row in result.error_rows:
            for error in row.errors:
                yield gettext("Row %(number)s: %(reasons)s") % {"number": row.number, "reasons": error.error}


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only for everyone: entries are written by the site alone."""

    list_display = ["at", "action", "username", "content_type", "object_repr", "detail"]
    list_filter = ["action", "content_type"]
    search_fields = ["username", "object_repr", "detail"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class KeepLinksAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    """
    Refuse to delete a record that events or instruments still link to. Django would
    otherwise delete the many-to-many links with it, and the catalogue would silently
    lose, say, the topics of an event. The staff member sees which records to unlink first.
    """

    linked_from = ()  # names of the many-to-many relations that point at this model
    shown = 20

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            for name in self.linked_from:
                linked = getattr(obj, name).all()
                protected.extend(f"{capfirst(record._meta.verbose_name)}: {record}" for record in linked[: self.shown])
                if (count := linked.count()) > self.shown:
                    protected.append(_("… and %(count)s more") % {"count": count - self.shown})
        return to_delete, model_count, perms_needed, protected
