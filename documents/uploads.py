"""
What an uploaded document file is, read from its content: its type (PDF by its header, the
office formats by the members of their zip), its size and its SHA-256. Anything else (HTML,
SVG, a script, a program, a zip of something else) is refused.

Uploads are written to a temporary file as they arrive, never held in memory whole, and
stopped once they are larger than DOCUMENT_MAX_SIZE (`LimitedUploadHandler`, the site's only
upload handler): the rest of the file is read and thrown away, and the form says it is too large.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .formats import FORMATS, media_type_of

CHUNK_SIZE = 64 * 1024

NOT_ALLOWED = _(
    "This file cannot be uploaded: only PDF and office files (%(formats)s) can be. "
    "Its type is read from its content, not from its name."
)


@dataclass(frozen=True)
class Upload:
    media_type: str
    size: int
    sha256: str


def inspect(file):
    """The type, size and SHA-256 of `file` (an uploaded or stored file); ValidationError if it may not be uploaded."""
    if getattr(file, "oversized", False):
        raise ValidationError(
            _("This file is larger than %(limit)s, the largest that can be uploaded."),
            code="too_large",
            params={"limit": filesizeformat(settings.DOCUMENT_MAX_SIZE)},
        )
    media_type = media_type_of(file)
    if media_type is None:
        raise ValidationError(NOT_ALLOWED, code="type", params={"formats": ", ".join(FORMATS.values())})
    return Upload(media_type=media_type, size=file.size, sha256=sha256_of(file))


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks(CHUNK_SIZE):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class OversizedUpload(UploadedFile):
    """What is left of an upload stopped for being too large: its name and how much of it came, no content."""

    oversized = True

    def __init__(self, name, content_type, size, charset):
        super().__init__(None, name, content_type, size, charset)

    def open(self, mode=None):
        return self

    def read(self, *args):
        return b""

    def chunks(self, chunk_size=None):
        return iter(())

    def seek(self, *args):
        return 0

    def close(self):
        pass


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """
    Every upload written to a temporary file (FILE_UPLOAD_TEMP_DIR) as it arrives, never kept
    in memory; one larger than DOCUMENT_MAX_SIZE is stopped there: its temporary file is
    removed, the rest of it read and thrown away, and it reaches the form as an
    `OversizedUpload`, which the form refuses with the limit.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.oversized:
            return None
        if self.received > settings.DOCUMENT_MAX_SIZE:
            self.oversized = True
            self.file.close()  # a temporary file: closing it removes it
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        return super().file_complete(file_size)
