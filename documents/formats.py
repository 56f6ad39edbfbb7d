"""
The types of file that a document may be, and how a file's type is read from its content rather
than its name. Plain Python, without Django: the reader's child process (documents/readers.py)
reads it too.
"""

import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# Each type that staff may upload, and its short name.
FORMATS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PPTX: "PPTX", ODT: "ODT", ODS: "ODS", ODP: "ODP"}

# An OOXML package names its main part in a member of its own: the member that tells each format.
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
# An OpenDocument file names its type in its first member, "mimetype".
ODF_TYPES = {ODT, ODS, ODP}


def media_type_of(file):
    """The media type of the binary `file` read from its content, if it is one of FORMATS; else None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            return _office_type(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError):
        return None
    finally:
        file.seek(0)


def _office_type(archive):
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        # A file with macros (a .docm saved as .docx) is not an office file that we serve.
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None
        found = [media_type for part, media_type in OOXML_MAIN_PARTS.items() if part in names]
        return found[0] if len(found) == 1 else None
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
        declared = archive.read("mimetype").decode("ascii", "replace").strip()
        return declared if declared in ODF_TYPES else None
    return None
