"""
Reading a file's text in a child process (documents/readers.py) under limits: address space
(DOCUMENT_READING_MEMORY), processor time and wall-clock time (DOCUMENT_READING_TIMEOUT), pages
(DOCUMENT_READING_MAX_PAGES), characters per page (DOCUMENT_READING_MAX_CHARS) and, for the
office formats, the size they unpack to (DOCUMENT_READING_MAX_UNPACKED). Whatever the file does
to the child (a crash, a loop, all its memory), the caller gets an Outcome and carries on.
"""

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import readers
from .models import Reading


@dataclass
class Outcome:
    state: str
    # (number, text) pairs, in order, read back from the child's output as they are needed.
    pages: object = field(default_factory=list)
    page_count: int | None = None
    message: str = ""


def limits():
    return {
        "memory": settings.DOCUMENT_READING_MEMORY,
        "timeout": settings.DOCUMENT_READING_TIMEOUT,
        "max_pages": settings.DOCUMENT_READING_MAX_PAGES,
        "max_chars": settings.DOCUMENT_READING_MAX_CHARS,
        "max_unpacked": settings.DOCUMENT_READING_MAX_UNPACKED,
    }


def read_file(path, media_type, output):
    """
    Read the file at `path` in a child process, its pages written to `output` (a binary temporary
    file) and read back from there by the Outcome's `pages`, so that a long document is never
    held in memory whole.
    """
    given = limits()
    request = {
        "path": str(path),
        "media_type": media_type,
        "memory": given["memory"],
        "cpu_seconds": max(1, math.ceil(given["timeout"])),
        "max_pages": given["max_pages"],
        "max_chars": given["max_chars"],
        "max_unpacked": given["max_unpacked"],
    }
    try:
        child = subprocess.run(  # noqa: S603 - this interpreter, a module of the project
            [sys.executable, "-m", readers.__name__, json.dumps(request)],
            cwd=settings.BASE_DIR,
            # Nothing of the site's environment (its secrets) for a process that reads hostile files.
            env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.PIPE,
            timeout=given["timeout"],
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(
            Reading.FAILED,
            message=_("Reading it took longer than the %(seconds)s seconds allowed, and was stopped.")
            % {"seconds": f"{given['timeout']:g}"},
        )

    output.seek(0)
    last = None
    for line in output:
        last = line
    ending = json.loads(last) if last and child.returncode == 0 else {}
    if "pages" in ending:
        return finished(ending["pages"], output, given["max_pages"])
    if "problem" in ending:
        return problem(ending["problem"], ending["detail"], given)
    return stopped(child, given)


def stored_pages(output):
    output.seek(0)
    for line in output:
        page = json.loads(line)
        if "page" not in page:
            return
        yield page["page"], page["text"]


def finished(total, output, max_pages):
    message = ""
    if total > max_pages:
        message = _("Only the first %(read)s of its %(total)s pages were read.") % {"read": max_pages, "total": total}
    elif not any(text.strip() for _number, text in stored_pages(output)):
        message = _("No text was found in it: its pages may be scanned images.")
    return Outcome(Reading.DONE, pages=stored_pages(output), page_count=total, message=message)


def problem(kind, detail, given):
    if kind == "encrypted":
        return Outcome(
            Reading.ENCRYPTED, message=_("The file is protected by a password, so its text cannot be read.")
        )
    if kind == "too_large_unpacked":
        return Outcome(
            Reading.UNREADABLE,
            message=_(
                "The file unpacks to %(size)s, more than the %(limit)s allowed: it may be a “zip bomb”, made to "
                "exhaust the server."
            )
            % {"size": filesizeformat(int(detail)), "limit": filesizeformat(given["max_unpacked"])},
        )
    if kind == "unknown_type":
        return Outcome(Reading.UNREADABLE, message=_("The text of this type of file cannot be read."))
    return Outcome(
        Reading.UNREADABLE,
        message=_("The file is damaged and its text could not be read (the reader said: %(detail)s).")
        % {"detail": detail},
    )


def stopped(child, given):
    """A child that ended without saying how: out of memory, out of processor time, or crashed."""
    if child.returncode == readers.OUT_OF_MEMORY:
        return Outcome(
            Reading.FAILED,
            message=_("Reading it needed more than the %(memory)s of memory allowed, and was stopped.")
            % {"memory": filesizeformat(given["memory"])},
        )
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Outcome(
            Reading.FAILED,
            message=_("Reading it took more than the %(seconds)s seconds of processor time allowed, and was stopped.")
            % {"seconds": math.ceil(given["timeout"])},
        )
    if child.returncode < 0:
        reason = signal.Signals(-child.returncode).name
    else:
        reason = child.stderr.decode(errors="replace").strip().splitlines()[-1:] or [str(child.returncode)]
        reason = reason[0][:300]
    return Outcome(
        Reading.FAILED,
        message=_(
            "The reader stopped unexpectedly (%(reason)s): the file may be damaged, or need more than the %(memory)s "
            "of memory allowed."
        )
        % {"reason": reason, "memory": filesizeformat(given["memory"])},
    )


def read_stored(name, media_type, storage, output):
    """Copy the stored file `name` to a temporary file, and read it as read_file() does."""
    suffix = "." + name.rpartition(".")[2] if "." in name else ""
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        return read_file(copy.name, media_type, output)
