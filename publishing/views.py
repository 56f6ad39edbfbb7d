from django.contrib import admin
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PreviewMixin:
    """
    The public detail page of any record, published or not, for staff who may change it:
    marked as a preview, never cached, never indexed. Everyone else gets 404, as if it
    didn't exist. "Staff" is whoever the admin lets in now: active, staff, and with the
    second factor that the two-factor policy asks of them.
    """

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
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
