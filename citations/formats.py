"""
A CSL-JSON item (registry.citation_item) written out as each format reads it.

The types: an event is CSL's `event` (the meeting itself, with `event-title`, `event-place` and
`event-date`), RIS's `CONF` (the one RIS type with a meeting's name and place: T2 and CY) and
BibTeX's `@misc`: `@proceedings` would claim a published volume of the meeting's papers, which a
catalogue record is not. A report, a guide, a survey is CSL's `report`, RIS's `RPRT`; anything
else (a declaration, a resolution, a programme) CSL's `document` and RIS's `GEN`. BibTeX has no
type for either that its styles print rightly without an institution and a number: `@misc`, with
the catalogue as `howpublished`, which every style prints.

RIS and BibTeX are written here rather than through a library: each is a few lines of text, and
what matters, the escaping, is specific (BibTeX's special characters and a body's name kept whole
in braces, RIS's one line per tag); the tests read them back with rispy and bibtexparser.
The formatted citation is citeproc-py's, in the style "Cite Them Right" (Harvard) that it ships,
with the CSL locale of the page's language (its terms, dates and quotation marks).
"""

import functools
import html
import json
import re

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.utils.safestring import mark_safe

STYLE = "harvard-cite-them-right"
# The CSL locale of each of the site's languages: the site writes British English.
LOCALES = {"en": "en-GB", "fr": "fr-FR"}

RIS_TYPES = {"event": "CONF", "report": "RPRT"}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# What TeX reads as a command or a group, each as it is written to be printed as it is.
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(character) for character in BIBTEX_SPECIAL))


def one_line(text):
    return " ".join(str(text).split())


def authors(item):
    return [name["literal"] for name in item.get("author", [])]


def first_date(item, variable):
    """The first date of a CSL date variable as its parts, [2016, 3] for March 2016; [] without it."""
    return item.get(variable, {}).get("date-parts", [[]])[0]


def iso_date(parts):
    return "-".join(f"{part:02d}" for part in parts)


# RIS: one tag a line, "TY  - " first and "ER  - " last (the RIS format's specification, Clarivate).


def ris_date(parts):
    """RIS's YYYY/MM/DD/ with the parts not known left empty: "2016/03//"."""
    padded = [f"{part:02d}" if part else "" for part in parts] + [""] * (3 - len(parts))
    return "/".join(padded) + "/"


def ris(item):
    issued = first_date(item, "issued")
    lines = [
        ("TY", RIS_TYPES.get(item["type"], "GEN")),
        ("TI", item["title"]),
        *(("AU", name) for name in authors(item)),
        ("PY", issued[0] if issued else ""),
        ("DA", ris_date(issued) if issued else ""),
        ("T2", item.get("event-title", "")),
        ("CY", item.get("event-place", "")),
        ("PB", item["container-title"]),
        ("UR", item["URL"]),
        ("Y2", ris_date(first_date(item, "accessed"))),
        ("LA", item["language"]),
        ("ID", item["id"]),
    ]
    text = "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines if value != "")
    return f"{text}ER  - \r\n"


# BibTeX: @misc, in UTF-8, which biber and bibtexparser read.


def bibtex_text(text):
    return BIBTEX_SPECIAL_RE.sub(lambda match: BIBTEX_SPECIAL[match.group()], one_line(text))


def bibtex_date(item, variable):
    """biblatex's ISO date, a range as start/end: "2016-03-01/2016-03-02"."""
    return "/".join(iso_date(parts) for parts in item[variable]["date-parts"])


def bibtex(item):
    issued = first_date(item, "issued")
    fields = [
        # A body's name in its own braces: one name, never read as a first name and a last name.
        ("author", " and ".join(f"{{{bibtex_text(name)}}}" for name in authors(item))),
        # In double braces, so that a style does not lower the case of its capitals (ISC, UNCAC).
        ("title", f"{{{bibtex_text(item['title'])}}}"),
        ("year", issued[0] if issued else ""),
        ("date", bibtex_date(item, "issued") if issued else ""),
        ("eventtitle", bibtex_text(item.get("event-title", ""))),
        ("venue", bibtex_text(item.get("event-place", ""))),
        ("howpublished", bibtex_text(item["container-title"])),
        ("url", item["URL"]),
        ("urldate", bibtex_date(item, "accessed")),
        ("language", item["language"]),
    ]
    lines = [f"  {name} = {{{value}}}" for name, value in fields if value != ""]
    if len(issued) > 1:
        # A month is a macro of every style, not a text.
        lines.insert(3, f"  month = {BIBTEX_MONTHS[issued[1] - 1]}")
    return "@misc{" + item["id"] + ",\n" + ",\n".join(lines) + "\n}\n"


def csl_json(items):
    """CSL-JSON is an array of items, even of one."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# The formatted citation.


@functools.cache
def style(language):
    return CitationStylesStyle(STYLE, locale=LOCALES.get(language, LOCALES["en"]), validate=False)


def escaped(value):
    """Every text in `value` escaped as Django escapes it: citeproc-py's HTML writes the texts as they are."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {key: escaped(part) for key, part in value.items()}
    if isinstance(value, list):
        return [escaped(part) for part in value]
    return value


def formatted(item):
    """The citation as HTML, in the item's language: its texts escaped, with the style's <i> as the only markup."""
    # The event is the record itself: the style would print its title twice.
    source_item = {key: escaped(value) for key, value in item.items() if key != "event-title"}
    source_item["id"] = "record"
    bibliography = CitationStylesBibliography(style(item["language"]), CiteProcJSON([source_item]), formatter.html)
    bibliography.register(Citation([CitationItem("record")]))
    return mark_safe("".join(str(entry) for entry in bibliography.bibliography()))  # noqa: S308 (escaped())


# The tags that Zotero's connector and Google Scholar read (Highwire Press).


def highwire_date(parts):
    return "/".join(f"{part:02d}" for part in parts)


def meta_tags(item, pdf_url=""):
    """[(name, content)] for <meta name="citation_*">."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", name) for name in authors(item)]
    if issued := first_date(item, "issued"):
        tags.append(("citation_publication_date", highwire_date(issued)))
    if "event-title" in item:
        tags.append(("citation_conference_title", item["event-title"]))
    if item["type"] == "report":
        tags += [("citation_technical_report_institution", name) for name in authors(item)]
    tags += [
        ("citation_publisher", item["container-title"]),
        ("citation_public_url", item["URL"]),
        ("citation_abstract_html_url", item["URL"]),
        ("citation_language", item["language"]),
    ]
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags
