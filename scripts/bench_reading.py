"""
Figures, not a test: how fast the documents' text is read, against pdftotext (poppler-utils) on
the same PDFs in the same run, and the peak memory of the child process that reads the largest.

    .venv/bin/python scripts/bench_reading.py [folder of PDFs] [--rounds N]

The folder defaults to ../shared/fixtures/pdf. Files that pdftotext or the site cannot read (the
encrypted one, the broken one) are left out of the speeds. "site" is what the worker does for
each file: a child process under limits (documents/extraction.py); pypdfium2 and pypdf are the
two libraries' page loops in this process, for comparison.
"""

import argparse
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wcointegrity.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()
logging.getLogger("pypdf").setLevel(logging.ERROR)

import pypdf  # noqa: E402
import pypdfium2  # noqa: E402

from documents import extraction  # noqa: E402
from documents.models import Reading  # noqa: E402

PDF = "application/pdf"


def site(path):
    with tempfile.TemporaryFile() as output:
        outcome = extraction.read_file(path, PDF, output)
        pages = sum(1 for _page in outcome.pages)
    if outcome.state != Reading.DONE:
        raise ValueError(outcome.message)
    return pages


def pdftotext(path):
    subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603, S607


def with_pypdfium2(path):
    pdf = pypdfium2.PdfDocument(path)
    for page in pdf:
        textpage = page.get_textpage()
        textpage.get_text_bounded()
        textpage.close()
        page.close()
    pdf.close()


def with_pypdf(path):
    for page in pypdf.PdfReader(path).pages:
        page.extract_text()


def timed(read, files, rounds):
    """The best of `rounds` runs over all the files, in seconds."""
    best = None
    for _round in range(rounds):
        start = time.perf_counter()
        for path in files:
            read(path)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "pdf"
    parser.add_argument("folder", nargs="?", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    pages = {}
    for path in sorted(options.folder.glob("*.pdf")):
        try:
            pdf = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError:
            continue  # encrypted or broken
        pages[path] = len(pdf)
        pdf.close()
    largest = max(pages, key=pages.get)

    # Before any other child has run: the peak memory of the child that reads the longest file, and
    # of this process (the worker's side: Django, and the pages read back from the child).
    site(largest)
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    files = list(pages)
    total = sum(pages.values())
    rows = [
        ("pdftotext (a process per file)", timed(pdftotext, files, options.rounds)),
        ("site: pypdfium2 in a child process per file", timed(site, files, options.rounds)),
        ("pypdfium2 in this process", timed(with_pypdfium2, files, options.rounds)),
        ("pypdf in this process", timed(with_pypdf, files, 1)),
    ]
    reference = total / rows[0][1]
    names = ", ".join(path.name[:3] for path in files)
    print(f"{len(files)} PDFs, {total} pages ({names}); best of {options.rounds} runs (pypdf: one)")
    print(f"{'reader':<46} {'seconds':>8} {'pages/s':>8} {'× pdftotext':>12}")
    for name, seconds in rows:
        speed = total / seconds
        print(f"{name:<46} {seconds:>8.2f} {speed:>8.0f} {speed / reference:>12.2f}")
    print()
    print(f"Peak memory (RSS) while reading {largest.name} ({pages[largest]} pages):")
    print(f"  the child process that reads it: {child_peak:.0f} MB")
    print(f"  the worker's own process (Django loaded, the pages read back): {worker_peak:.0f} MB")


if __name__ == "__main__":
    main()
