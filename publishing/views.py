from django.contrib import admin
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .cache import cached
from .previews import remember_previewed


class CachedRecordMixin:
    """
    For the DetailView of a record's public page: the record and the body of its page
    (`record_template_name`), each cached in the catalogue's version (publishing/cache.py),
    the body in each language. Once both are cached, the page reads nothing from the
    database. The record is read without its relations, which `record_prefetches()` reads
    only to render the body. A preview is always read and rendered afresh.
    """

    record_template_name = None
    preview = False

    def record_prefetches(self):
        """The lookups of prefetch_related() for what the body shows, made at each rendering: "published" means now."""
        return ()

    def get_object(self, queryset=None):
        if self.preview or queryset is not None:
            return super().get_object(queryset)
        # Only a record the public may see is cached: for any other, get_object() raises Http404.
        parts = (
            "record",
            self.model._meta.label,
            self.kwargs.get(self.slug_url_kwarg),
            self.kwargs.get(self.pk_url_kwarg),
        )
        return cached(parts, super().get_object, per_language=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.preview:
            context["record_html"] = self.render_record()
        else:
            parts = ("record-html", self.record_template_name, self.object.pk)
            context["record_html"] = cached(parts, self.render_record)
        return context

    def render_record(self):
        record = self.object
        prefetch_related_objects([record], *self.record_prefetches())
        context = {"object": record, self.get_context_object_name(record): record, "preview": self.preview}
        return render_to_string(self.record_template_name, context)


class PreviewMixin:
    """
    The public detail page of any record, published or not, for staff who may change it:
    marked as a preview of its version, never cached, never indexed. Everyone else gets 404,
    as if it didn't exist. "Staff" is whoever the admin lets in now: active, staff, and with
    the second factor that the two-factor policy asks of them. For a user who may publish the
    record, the version shown is remembered in their session (publishing/previews.py).
    """

    preview = True

    def dispatch(self, request, *args, **kwargs):
        opts = self.model._meta
        user = request.user
        if not (admin.site.has_permission(request) and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Everything the public page reads, but without the publication filter.
        return self.detail_queryset()

    def get_context_data(self, **kwargs):
        # Which version this is, counted in saves as the "Publish" action's confirmation counts it.
        version = self.object.lock_version + 1
        opts = self.model._meta
        if self.request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
            remember_previewed(self.request, self.object)
        return super().get_context_data(preview=True, preview_version=version, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
