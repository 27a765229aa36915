"""What a worksheet carries beside its cells: comments (notes and threaded comments), drawings (pictures, text
boxes and shapes with words, charts) and links on cells. openpyxl's read-only mode reads none of them, so they
come from the sheet's own parts in the package; none is printed, and each is reported, never dropped unsaid.

The package has passed the safety screen (readers/safety.py) before this runs, so every part is of modest size
and free of entity declarations; the parser resolves no entities and fetches nothing all the same.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from assembler.problems import Problem
from assembler.readers.base import count_words, excerpt, plural, reader_warning
from assembler.readers.docx_package import PARSER  # the readers' one parser: no entities, no network

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_REL_COMMENTS = _REL + "comments"
_REL_DRAWING = _REL + "drawing"
_REL_HYPERLINK = _REL + "hyperlink"
_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _words(element) -> str:
    """The text of an element's `t` descendants (a note's runs, a shape's), or of a threaded comment's `text`."""
    return " ".join(" ".join(t.text or "" for t in element.iter() if _local(t.tag) in ("t", "text")).split())


def _parse(data: bytes, found: SheetParts, part: str):
    """The part's root, or None when it is not well-formed XML (Excel would repair it): said, not skipped."""
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        found.unreadable.append(part)
        return None


def _read(package: zipfile.ZipFile, name: str) -> bytes | None:
    by_fold = {n.casefold(): n for n in package.namelist()}
    found = by_fold.get(name.lstrip("/").casefold())
    return package.read(found) if found else None


def _relations(package: zipfile.ZipFile, part: str, found: SheetParts) -> list[tuple[str, str, str, bool]]:
    """(id, type, target, external) for each relationship of a part, targets resolved against the part's folder."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    data = _read(package, rels)
    root = _parse(data, found, rels) if data is not None else None
    if root is None:
        return []
    relations = []
    for rel in root:
        target, external = rel.get("Target", ""), rel.get("TargetMode") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        relations.append((rel.get("Id", ""), rel.get("Type", ""), target, external))
    return relations


@dataclass
class SheetParts:
    """What one worksheet holds beside its cells."""

    comments: list[str] = field(default_factory=list)   # each comment's words (a threaded reply is a comment too)
    text_boxes: list[str] = field(default_factory=list)  # the words of each shape that has some
    pictures: int = 0
    charts: int = 0
    links: dict[str, str] = field(default_factory=dict)  # cell coordinate -> the address it links to
    unreadable: list[str] = field(default_factory=list)  # parts (comments, a drawing) that are not well-formed


def sheet_parts(package: zipfile.ZipFile, sheet_part: str) -> SheetParts:
    found = SheetParts()
    relations = _relations(package, sheet_part, found)
    threaded_cells: set[str] = set()
    for _, kind, target, external in relations:
        if kind == _THREADED and not external and (data := _read(package, target)) is not None:
            root = _parse(data, found, target)
            for comment in root.iter("{*}threadedComment") if root is not None else ():
                found.comments.append(_words(comment))
                threaded_cells.add(comment.get("ref", ""))
    for _, kind, target, external in relations:
        if kind == _REL_COMMENTS and not external and (data := _read(package, target)) is not None:
            # Excel keeps a note beside each threaded comment for older versions: the same comment, counted once.
            root = _parse(data, found, target)
            found.comments += [_words(c) for c in (root.iter("{*}comment") if root is not None else ())
                               if c.get("ref", "") not in threaded_cells]
        elif kind == _REL_DRAWING and not external and (data := _read(package, target)) is not None:
            if (root := _parse(data, found, target)) is not None:
                _drawing(root, found)
    _links(package, sheet_part, relations, found)
    return found


def _drawing(root, found: SheetParts) -> None:
    for element in root.iter():
        name = _local(element.tag)
        if name == "pic":
            found.pictures += 1
        elif name == "sp" and (words := _words(element)):
            found.text_boxes.append(words)
        elif name == "graphicData" and element.get("uri") == _CHART_URI:
            found.charts += 1


_HYPERLINK_TAG = re.compile(rb"<(?:[\w.-]+:)?hyperlink(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"(?<![\w:.-])ref\s*=\s*[\"']([^\"']*)[\"']")
_LINK_ID = re.compile(rb"(?<![\w.-])[\w.-]+:id\s*=\s*[\"']([^\"']*)[\"']")


def _links(package: zipfile.ZipFile, sheet_part: str, relations, found: SheetParts) -> None:
    """Cells that link to an address outside the workbook (a link to another sheet's cell loses nothing)."""
    addresses = {rid: target for rid, kind, target, external in relations
                 if kind == _REL_HYPERLINK and external and not target.startswith("#")}  # '#Sheet2!A1' is a place in it
    if not addresses:
        return
    part = _read(package, sheet_part) or b""
    for match in _HYPERLINK_TAG.finditer(part):
        ref, rid = _REF.search(match.group(1)), _LINK_ID.search(match.group(1))
        if ref and rid and rid.group(1).decode() in addresses:
            found.links[ref.group(1).decode().split(":")[0]] = addresses[rid.group(1).decode()]


def comments_note(comments: list[str]) -> list[Problem]:
    """Comments and notes on cells, as the Word reader says of a document's comments."""
    if not comments:
        return []
    were = "was" if len(comments) == 1 else "were"
    return [reader_warning(
        "comments_not_read", "comments",  # the Word reader's code: a report.yaml rule for it covers both
        f"{plural(len(comments), 'comment')} ({plural(count_words(comments), 'word')}) on the workbook's cells "
        f"{were} not read: {'it is' if len(comments) == 1 else 'they are'} the agency's notes, not the return",
        "if a comment belongs in the report, ask the agency to write it into the return's cells",
    )]


def drawings_note(sheet: str, parts: SheetParts) -> list[Problem]:
    """Text boxes, pictures and charts placed on a sheet: over the cells, not in them, so not read."""
    found, things = [], len(parts.text_boxes) + parts.pictures + parts.charts
    if parts.text_boxes:
        found.append(f"{plural(len(parts.text_boxes), 'text box')} or shape(s) with words "
                     f"({plural(count_words(parts.text_boxes), 'word')}, starting '{excerpt(parts.text_boxes[0], 40)}')")
    if parts.pictures:
        found.append(plural(parts.pictures, "picture"))
    if parts.charts:
        found.append(plural(parts.charts, "chart"))
    if parts.unreadable:
        things += len(parts.unreadable)
        found.append(f"{plural(len(parts.unreadable), 'damaged part')} ({', '.join(parts.unreadable[:3])})")
    if not found:
        return []
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return [reader_warning(
        "drawings_not_read", f"sheet '{sheet}'",
        f"{listed} on the sheet '{sheet}' {'was' if things == 1 else 'were'} not read: "
        "only the text typed in a sheet's cells is read",
        "ask the agency to type a text box's words into the return's cells and a chart's figures into the table of "
        "figures; a picture (a logo) needs nothing unless it belongs in the report, when it can be sent in the Word return",
    )]


def links_note(sheet: str, parts: SheetParts, texts: dict[str, str]) -> list[Problem]:
    """A link on a cell: its words are read, its address is not, unless the words are the address. Only cells
    that show words are named (a hidden cell's link is not quoted)."""
    lost = [f"{coordinate} '{excerpt(texts[coordinate], 30)}' ({excerpt(address, 60)})"
            for coordinate, address in parts.links.items()
            if texts.get(coordinate) and address.removeprefix("mailto:").rstrip("/") not in texts[coordinate]]
    if not lost:
        return []
    return [reader_warning(
        "link_address_not_read", f"sheet '{sheet}'",
        f"{plural(len(lost), 'cell')} on the sheet '{sheet}' {'links' if len(lost) == 1 else 'link'} to an address "
        f"the report does not print, only the cell's words: {'; '.join(lost[:3])}{'; ...' if len(lost) > 3 else ''}",
        "if readers need the address, ask the agency to type it into the cell's text (\"our case reviews page: "
        "https://...\") and send the file again",
    )]
