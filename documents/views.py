from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.text import slugify
from django.views import View

from .models import Document, DocumentAccess

# Shown inline: a PDF, so that an address ending in #page=N opens the browser's viewer at that page.
INLINE = {"application/pdf"}
# Whatever a browser makes of the file, it runs nothing and loads nothing from it.
SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'"


class DocumentFileView(View):
    """
    The file of a document, streamed from its storage: to the public only while its record is
    public (published, and not scheduled for later), to signed-in staff who may see the record
    at any time. Everyone else gets 404, as if it didn't exist; so does a members-only document
    or an address, which are never served here. An address whose name is not the document's
    current one in any of the site's languages (its title changed) is redirected to it, once
    the file may be served.

    Never cached by the site's page cache (publishing/parameters.py UNCACHED): each request is
    checked. Browsers and shared caches must ask again each time (`no-cache`), and are answered
    304 while the file is unchanged (its ETag is its SHA-256); a file served to staff only is
    never stored (`private, no-store`).
    """

    model = Document
    query_parameters = ()

    def get(self, request, pk, file_name):
        document = get_object_or_404(
            Document.objects.select_related("content_type").exclude(file="").exclude(access=DocumentAccess.MEMBERS),
            pk=pk,
        )
        public = self.is_public(document)
        if not public and not self.staff_may_see(request, document):
            raise Http404
        language = name_language(document, file_name)
        if language is None:
            response = HttpResponseRedirect(document.get_absolute_url())
            return self.cache_headers(response, public)
        etag = quote_etag(document.sha256)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            try:
                file = document.file.storage.open(document.file.name, "rb")
            except FileNotFoundError:
                raise Http404 from None
            response = FileResponse(file, content_type=document.media_type or "application/octet-stream")
            with translation.override(language):
                response["Content-Disposition"] = content_disposition(document)
        response["ETag"] = etag
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = SANDBOX
        return self.cache_headers(response, public)

    @staticmethod
    def is_public(document):
        model = document.content_type.model_class()
        return model is not None and model._default_manager.published().filter(pk=document.object_id).exists()

    @staticmethod
    def staff_may_see(request, document):
        """Whoever the admin lets in now (with the second factor asked of them) and may view the record."""
        opts = document.content_type
        return admin.site.has_permission(request) and request.user.has_perm(f"{opts.app_label}.view_{opts.model}")

    @staticmethod
    def cache_headers(response, public):
        if public:
            patch_cache_control(response, no_cache=True)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response


def name_language(document, name):
    """The language in which `name` is the document's download name (its title is translated), or None."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if document.file_name == name:
                return code
    return None


def content_disposition(document):
    """Inline for a PDF, else an attachment; the clean ASCII name, and the title as written (RFC 5987)."""
    disposition = "inline" if document.media_type in INLINE else "attachment"
    ascii_name = document.file_name
    extension = ascii_name.rsplit(".", 1)[1] if "." in ascii_name else ""
    written = slugify(document.title, allow_unicode=True)[:80] or "document"
    full_name = f"{written}-{document.language}.{extension}" if extension else written
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"
