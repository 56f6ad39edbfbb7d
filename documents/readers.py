"""
The readers of a file's text, page by page, run as a child process under limits
(documents/extraction.py starts it): `python -m documents.readers '<request as JSON>'`.

It writes one JSON line per page, {"page": n, "text": "..."}, then a last line saying how it
ended: {"pages": total} when read, or {"problem": "...", "detail": "..."}. It imports nothing of
Django, so that it starts quickly and holds no connection of the worker's.
"""

import json
import os
import resource
import sys
import zipfile

from documents.formats import DOCX, ODP, ODS, ODT, PDF, PPTX, XLSX, media_type_of

# The exit status of a reader that ran out of memory (a MemoryError, caught).
OUT_OF_MEMORY = 3


class Problem(Exception):
    """Why a file cannot be read: "encrypted", "damaged", "too_large_unpacked", "unknown_type"."""

    def __init__(self, problem, detail=""):
        super().__init__(problem, detail)
        self.problem = problem
        self.detail = detail


def clean(text, max_chars):
    """The text as the database can keep it: at most max_chars, no NUL, no lone surrogate, "\n" lines."""
    text = text[:max_chars].replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.encode("utf-8", "replace").decode("utf-8")


class Text:
    """A page's text as it is gathered, which stops growing at max_chars."""

    def __init__(self, max_chars):
        self.parts = []
        self.length = 0
        self.max_chars = max_chars

    def add(self, text):
        if text and self.length < self.max_chars:
            self.parts.append(text)
            self.length += len(text)

    @property
    def full(self):
        return self.length >= self.max_chars

    def __str__(self):
        return "".join(self.parts)


def pdf_pages(path, max_pages, max_chars):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise Problem("encrypted") from None
        raise Problem("damaged", str(error)) from None
    total = len(pdf)
    yield total
    for index in range(min(total, max_pages)):
        page = pdf[index]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        textpage.close()
        page.close()
        yield text


def check_unpacked_size(path, max_unpacked):
    """Refuse an archive whose members would unpack to more than max_unpacked bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise Problem("damaged", str(error)) from None
    if unpacked > max_unpacked:
        raise Problem("too_large_unpacked", str(unpacked))


def docx_pages(path, max_pages, max_chars):
    """One page per explicit page break (Word's own pagination is not in the file)."""
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(path).element.body
    pages = [Text(max_chars)]
    paragraph, text, tab, br, break_before = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:pageBreakBefore")
    for element in body.iter(paragraph, text, tab, br, break_before):
        if element.tag == text:
            pages[-1].add(element.text)
        elif element.tag == tab:
            pages[-1].add("\t")
        elif element.tag == br and element.get(qn("w:type")) == "page" or element.tag == break_before:
            if element.tag == break_before and element.get(qn("w:val"), "true") in ("false", "0"):
                continue
            if len(pages) >= max_pages:
                break
            pages.append(Text(max_chars))
        elif element.tag == br:
            pages[-1].add("\n")
        elif element.tag == paragraph and pages[-1].length:
            pages[-1].add("\n")
    yield len(pages)
    for page in pages:
        yield str(page)


def shape_texts(shapes):
    for shape in shapes:
        if shape.shape_type == 6:  # a group
            yield from shape_texts(shape.shapes)
        elif shape.has_text_frame:
            yield shape.text_frame.text
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(cell.text for cell in row.cells)


def pptx_pages(path, max_pages, max_chars):
    """One page per slide."""
    import pptx

    slides = pptx.Presentation(path).slides
    yield len(slides)
    for index, slide in enumerate(slides):
        if index >= max_pages:
            break
        page = Text(max_chars)
        for text in shape_texts(slide.shapes):
            page.add(text + "\n")
        yield str(page)


def xlsx_pages(path, max_pages, max_chars):
    """One page per sheet: its rows, cells separated by tabs."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = workbook.worksheets
        yield len(sheets)
        for sheet in sheets[:max_pages]:
            page = Text(max_chars)
            for row in sheet.iter_rows(values_only=True):
                page.add("\t".join("" if value is None else str(value) for value in row).rstrip("\t") + "\n")
                if page.full:
                    break
            yield str(page)
    finally:
        workbook.close()


def odf_blocks(node, names):
    """The elements named (paragraphs, headings, rows) under node, in the order they appear."""
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in names:
            yield child
        else:
            yield from odf_blocks(child, names)


def odf_pages(path, max_pages, max_chars, kind):
    """A text as one page; one page per sheet of a spreadsheet, per slide of a presentation."""
    from odf import opendocument, teletype
    from odf.namespaces import DRAWNS, TABLENS, TEXTNS

    document = opendocument.load(path)
    if kind == ODT:
        parts = [document.text]
    elif kind == ODS:
        parts = list(odf_blocks(document.spreadsheet, {(TABLENS, "table")}))
    else:
        parts = list(odf_blocks(document.presentation, {(DRAWNS, "page")}))
    yield len(parts)
    for part in parts[:max_pages]:
        page = Text(max_chars)
        if kind == ODS:
            for row in odf_blocks(part, {(TABLENS, "table-row")}):
                cells = odf_blocks(row, {(TABLENS, "table-cell")})
                page.add("\t".join(teletype.extractText(cell) for cell in cells).rstrip("\t") + "\n")
                if page.full:
                    break
        else:
            for block in odf_blocks(part, {(TEXTNS, "p"), (TEXTNS, "h")}):
                page.add(teletype.extractText(block) + "\n")
                if page.full:
                    break
        yield str(page)


def sniffed(path):
    """The type of a file whose type was not recorded, read from its content."""
    with open(path, "rb") as file:
        return media_type_of(file)


def pages(path, media_type, max_pages, max_chars, max_unpacked):
    """The number of pages the file has, then the text of each page up to max_pages."""
    media_type = media_type or sniffed(path)
    if media_type == PDF:
        return pdf_pages(path, max_pages, max_chars)
    if media_type not in (DOCX, PPTX, XLSX, ODT, ODS, ODP):
        raise Problem("unknown_type", media_type)
    check_unpacked_size(path, max_unpacked)
    if media_type == DOCX:
        return docx_pages(path, max_pages, max_chars)
    if media_type == PPTX:
        return pptx_pages(path, max_pages, max_chars)
    if media_type == XLSX:
        return xlsx_pages(path, max_pages, max_chars)
    return odf_pages(path, max_pages, max_chars, media_type)


def limit(memory, cpu_seconds):
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def write(line):
    sys.stdout.write(json.dumps(line) + "\n")


def main(request):
    limit(request["memory"], request["cpu_seconds"])
    max_chars = request["max_chars"]
    try:
        read = pages(request["path"], request["media_type"], request["max_pages"], max_chars, request["max_unpacked"])
        total = next(read)
        for number, text in enumerate(read, start=1):
            write({"page": number, "text": clean(text, max_chars)})
        write({"pages": total})
    except Problem as problem:
        write({"problem": problem.problem, "detail": problem.detail})
    except MemoryError:
        sys.stdout.flush()
        os._exit(OUT_OF_MEMORY)
    except Exception as error:  # noqa: BLE001 - any reader's failure on a malformed file
        write({"problem": "damaged", "detail": f"{type(error).__name__}: {error}"[:300]})
    sys.stdout.flush()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
