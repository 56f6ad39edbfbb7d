"""
Figures, not a test: the peak memory of the app while staff upload a large file (by default
50 MB) through an event's change form in the admin, against the file's size.

    .venv/bin/python scripts/bench_upload.py [--megabytes 50]

Everything runs in this one process, on a throwaway SQLite database and MEDIA_ROOT: the request
is handed to Django as a WSGI server would, its body read from a file on disk (as a server reads
it from the socket), so that what is measured is the app's own memory: the peak of Python's
allocations during the request (tracemalloc), and the growth of the process's peak resident size.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="bench-upload-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    DJANGO_SETTINGS_MODULE="wcointegrity.settings",
    SECRET_KEY="bench-only",  # noqa: S106 (a throwaway site)
    DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
    MEDIA_ROOT=str(WORK / "media"),
    FILE_UPLOAD_TEMP_DIR=str(WORK),
    ALLOWED_HOSTS="testserver",
    SITE_URL="http://testserver",
    SECURE_COOKIES="false",
)
os.environ.pop("DOCUMENTS_S3_BUCKET", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import BOUNDARY, MULTIPART_CONTENT, ClientHandler, encode_multipart  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from documents.models import Document  # noqa: E402
from publishing.models import PublicationStatus  # noqa: E402
from tests.admin_forms import admin_url, form_data, make_staff  # noqa: E402
from tests.documents.uploading import PREFIX, with_document  # noqa: E402
from tests.factories import make_event  # noqa: E402

CHUNK = 1024 * 1024


def request_body(path, fields, size):
    """A multipart body written to `path`: the form's fields, then a PDF of `size` bytes, a chunk at a time."""
    with open(path, "wb") as body:
        body.write(encode_multipart(BOUNDARY, fields)[: -len(f"--{BOUNDARY}--\r\n")])
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{PREFIX}-0-file"; filename="large.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        body.write(b"%PDF-1.7\n")
        written = len(b"%PDF-1.7\n")
        chunk = os.urandom(CHUNK)
        while written < size:
            part = chunk[: size - written]
            body.write(part)
            written += len(part)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path.stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    size = parser.parse_args().megabytes * 1024 * 1024
    settings.DOCUMENT_MAX_SIZE = max(settings.DOCUMENT_MAX_SIZE, size)

    setup_test_environment()  # the admin page's context, which gives the form's fields
    call_command("migrate", verbosity=0)
    editor = make_staff("bench", "Editor")
    event = make_event("Integrity Sub-Committee", publication_status=PublicationStatus.DRAFT)
    client = Client()
    client.force_login(editor)
    url = admin_url(event, "change", event.pk)
    fields = with_document(form_data(client.get(url)))
    fields = {name: value for name, value in fields.items() if name != f"{PREFIX}-0-file"}
    body_path = WORK / "body"
    length = request_body(body_path, fields, size)

    handler = ClientHandler(enforce_csrf_checks=False)
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(body_path, "rb") as body:
        environ = {
            **client._base_environ(),
            "REQUEST_METHOD": "POST",
            "PATH_INFO": url,
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(length),
            "wsgi.input": body,
        }
        tracemalloc.start()
        started = time.perf_counter()
        response = handler(environ)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    after_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    document = Document.objects.get()
    if response.status_code != 302 or document.size != size:
        sys.exit(f"The upload failed: {response.status_code}, {document.size} bytes stored.")
    mb = 1024 * 1024
    print(f"File uploaded:                 {size / mb:8.1f} MB in {elapsed:.2f} s (stored: {document.file.name})")
    print(f"Python allocations, peak:      {peak / mb:8.1f} MB ({peak / size:.1%} of the file)")
    growth = after_rss - before_rss
    print(f"Peak resident size, growth:    {growth / mb:8.1f} MB ({growth / size:.1%} of the file)")
    print(f"Peak resident size, process:   {after_rss / mb:8.1f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
