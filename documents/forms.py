from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import FORMATS, Document, DocumentAccess, Reading
from .uploads import inspect

# What the browser's file chooser offers: a convenience only, the type is read from the content.
ACCEPTED = ",".join([*(f".{name.lower()}" for name in FORMATS.values()), *FORMATS])


class DocumentForm(forms.ModelForm):
    """
    One document of a record: an uploaded file or an address, never both or neither; a
    members-only document is an address. An upload is read for its type, size and SHA-256
    (documents/uploads.py); the same file uploaded twice to one record is refused, naming the
    document that has it, and one that other records have too is noted in `also_attached`.
    """

    class Meta:
        model = Document
        fields = ["kind", "title", "language", "edition", "date", "file", "url", "access", "position"]
        widgets = {"file": AdminFileWidget(attrs={"accept": ACCEPTED})}

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.upload = None
        self.also_attached = []

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file
        self.upload = inspect(file)
        same_file = Document.objects.filter(sha256=self.upload.sha256).exclude(pk=self.instance.pk)
        if self.record is not None and self.record.pk is not None:
            here = same_file.filter(
                content_type=ContentType.objects.get_for_model(self.record), object_id=self.record.pk
            ).first()
            if here is not None:
                raise ValidationError(
                    _("This file is already attached to this record, as “%(document)s”."),
                    code="duplicate",
                    params={"document": here},
                )
        self.also_attached = list(same_file.select_related("content_type")[:5])
        return file

    def clean(self):
        cleaned_data = super().clean()
        has_file = bool(cleaned_data.get("file")) or "file" in self.errors
        url = cleaned_data.get("url")
        if has_file and url:
            raise ValidationError(_("Give a file or an address, not both."), code="file_and_address")
        if not has_file and not url and "url" not in self.errors:
            raise ValidationError(_("Give a file to upload or the address of the document."), code="no_file")
        if has_file and cleaned_data.get("access") == DocumentAccess.MEMBERS:
            self.add_error(
                "file",
                ValidationError(
                    _(
                        "A members-only document is a link to where members read it, never a file served here: "
                        "give its address instead."
                    ),
                    code="members_file",
                ),
            )
        return cleaned_data

    def save(self, commit=True):
        document = self.instance
        if self.upload is not None:
            document.original_name = self.cleaned_data["file"].name[:255]
            document.media_type = self.upload.media_type
            document.size = self.upload.size
            document.sha256 = self.upload.sha256
            document.reading, document.reading_error = Reading.WAITING, ""
            document.read_at = document.page_count = None
        elif not self.cleaned_data.get("file"):
            # An address: nothing of a file is kept on the document (a kept version still names its file).
            document.original_name = document.media_type = document.sha256 = document.reading_error = ""
            document.size = document.read_at = document.page_count = None
            document.reading = Reading.NONE
        # A new file is read in the background (documents/signals.py).
        return super().save(commit)


class DocumentFormSet(BaseGenericInlineFormSet):
    """A record's documents; one file uploaded twice in the same save is refused as it is once saved."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "record": self.instance}

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if form.upload is None or not form.is_valid() or self._should_delete_form(form):
                continue
            if form.upload.sha256 in seen:
                form.add_error(
                    "file",
                    ValidationError(
                        _("The same file is uploaded twice here, also as “%(document)s”."),
                        code="duplicate",
                        params={"document": seen[form.upload.sha256]},
                    ),
                )
            else:
                seen[form.upload.sha256] = form.cleaned_data["file"].name

    def save(self, commit=True):
        saved = super().save(commit)
        if (request := getattr(self, "request", None)) is not None:
            note_also_attached(request, self.forms)
        return saved


def note_also_attached(request, forms):
    """Tell the user which other records have the files that `forms` uploaded."""
    for form in forms:
        if not form.also_attached or form.instance.pk is None:
            continue
        elsewhere = "; ".join(
            gettext("“%(document)s” of %(record)s") % {"document": other, "record": other.record}
            for other in form.also_attached
        )
        messages.info(
            request,
            gettext("The file of “%(document)s” is also attached elsewhere: %(elsewhere)s.")
            % {"document": form.instance, "elsewhere": elsewhere},
        )
