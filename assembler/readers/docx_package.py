"""A Word package opened for reading only what a return's reader needs.

python-docx's `Document()` loads and parses every part of the package up
front, the styles included (hundreds of kilobytes in a document made from
Word's or python-docx's default template), which was most of the time spent
reading a return. This reads the body and the relationships, and parses the
styles, the numbering and the pictures only when a paragraph asks for them.

Parsing is as safe as python-docx's: lxml with entities left unresolved and
no network access, after `safety.check_file` has screened the package.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, cached_property
from pathlib import Path

from lxml import etree

from assembler.readers.safety import Rejection, screenable_encoding

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = DOC_RELS + "officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
DC, DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"

NAMESPACES = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


@cache
def qn(tag: str) -> str:
    """'w:p' -> '{http://...main}p', as python-docx's qn, without importing python-docx to read a return."""
    prefix, name = tag.split(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
STYLES_KEPT = 8  # distinct styles parts remembered per process
_STYLES_SEEN: dict[bytes, tuple[dict[str, etree._Element], int]] = {}  # styles by id, and the body text's size


class _FoldedNames:
    """`name in names`, with part names compared without regard to case."""

    def __init__(self, by_fold: dict[str, str]):
        self._by_fold = by_fold

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self._by_fold


class NotAWordPackage(ValueError):
    """The zip holds no Word document body."""


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str      # a part name inside the package, or the address of an external link
    external: bool


class WordPackage:
    """A .docx opened for reading: body, styles, numbering, relationships, pictures, core properties."""

    def __init__(self, path: Path | str):
        self._zip = zipfile.ZipFile(path)
        try:
            self._open()
        except BaseException:  # a damaged package, or the reader's time limit: never leave the file open
            self._zip.close()
            raise

    def _open(self) -> None:
        # Part names are compared without regard to case, as Word does (the screen refuses a package
        # with two names differing only in case): a relationship to 'word/document.xml' finds 'Word/Document.xml'.
        self._by_fold = {name.casefold(): name for name in self._zip.namelist()}
        self._names = _FoldedNames(self._by_fold)
        self._package_relationships = self._relationships("")
        # The main part is the one _rels/.rels names, whatever it is called (as the screen found it).
        main = next((r.target for r in self._package_relationships.values()
                     if r.type in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT) and not r.external), "word/document.xml")
        if main not in self._names:
            raise NotAWordPackage(f"the package has no document part ({main})")
        self.main_part = main
        root = self._parse(main)
        if root.tag.startswith(f"{{{STRICT_W}}}"):
            raise Rejection("The file was saved as 'Strict Open XML Document', which the report cannot read.",
                            "Ask the agency to open it in Word, choose File > Save As, pick 'Word Document (.docx)' "
                            "and send that file.")
        body = root.find(f"{{{W}}}body")
        if body is None:
            raise NotAWordPackage("the document part has no body")
        self.body = body
        rels = self._relationships(main)
        # As python-docx did when it opened every part: a document whose relationships name parts that
        # are not in the package is damaged (a picture or the styles would otherwise vanish without a word).
        missing = sorted(r.target for r in rels.values() if not r.external and r.target not in self._names)
        if missing:
            raise NotAWordPackage(f"the document refers to parts that are missing from the file ({', '.join(missing[:3])})")
        self.relationships = rels
        self._by_type = {r.type: r.target for r in rels.values() if not r.external}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "WordPackage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- parts parsed on first use -------------------------------------------------------

    @property
    def styles(self) -> dict[str, etree._Element]:
        """w:style elements by styleId."""
        return self._styles[0]

    @property
    def body_size(self) -> int:
        """The size of the body text, in half-points (Word's w:sz): the Normal style's, else the document's default."""
        return self._styles[1]

    @cached_property
    def _styles(self) -> tuple[dict[str, etree._Element], int]:
        """Returns made from one template carry the same styles part, often hundreds
        of kilobytes: it is parsed once per process and shared (read only) by every
        document whose styles part has the same bytes."""
        target = self._by_type.get(DOC_RELS + "styles")
        if target not in self._names:
            return {}, WORD_DEFAULT_SIZE
        data = self.blob(target)
        key = hashlib.sha256(data).digest()
        if key not in _STYLES_SEEN:
            if len(_STYLES_SEEN) >= STYLES_KEPT:
                _STYLES_SEEN.pop(next(iter(_STYLES_SEEN)))
            root = etree.fromstring(data, PARSER)
            styles = {s.get(f"{{{W}}}styleId"): s for s in root.iterchildren(f"{{{W}}}style")}
            _STYLES_SEEN[key] = styles, _body_size(root, styles)
        return _STYLES_SEEN[key]

    @cached_property
    def numbering(self) -> etree._Element | None:
        return self._part_of_type("numbering")

    @cached_property
    def identifier(self) -> str | None:
        core = self._core_properties
        found = core.find(f"{{{DC}}}identifier") if core is not None else None
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    @cached_property
    def modified(self) -> datetime | None:
        core = self._core_properties
        found = core.find(f"{{{DCTERMS}}}modified") if core is not None else None
        text = found.text.strip() if found is not None and found.text else ""
        try:
            # W3CDTF also allows a year or a year and month alone.
            when = datetime.fromisoformat(text + {4: "-01-01", 7: "-01"}.get(len(text), "")) if text else None
        except ValueError:
            return None  # not a date: treated as no date
        return when.astimezone(timezone.utc) if when is not None and when.tzinfo is not None else when

    # --- parts beside the body: notes, comments, headers and footers, embedded chunks ------

    def relationships_of(self, part: str) -> dict[str, Relationship]:
        """The relationships of any part (a footnotes part's links and pictures are its own)."""
        return self._relationships(part)

    def related_parts(self, kind: str) -> list[str]:
        """Every part the document relates to with relationship type `kind` ('header', 'footer', ...), in id order."""
        found = sorted((rel_id, r.target) for rel_id, r in self.relationships.items()
                       if r.type == DOC_RELS + kind and not r.external and r.target in self._names)
        return list(dict.fromkeys(target for _, target in found))

    def part(self, name: str) -> etree._Element:
        return self._parse(name)

    @cached_property
    def footnotes(self) -> dict[str, etree._Element]:
        return self._notes("footnotes", "footnote")

    @cached_property
    def endnotes(self) -> dict[str, etree._Element]:
        return self._notes("endnotes", "endnote")

    def notes_part(self, kind: str) -> str | None:
        """The part name of the footnotes or endnotes ('footnotes'/'endnotes')."""
        target = self._by_type.get(DOC_RELS + kind)
        return target if target in self._names else None

    def _notes(self, kind: str, tag: str) -> dict[str, etree._Element]:
        """w:footnote/w:endnote elements by id; Word's separators (w:type set) are not notes."""
        root = self._part_of_type(kind)
        if root is None:
            return {}
        return {n.get(f"{{{W}}}id"): n for n in root.iterchildren(f"{{{W}}}{tag}") if n.get(f"{{{W}}}type") in (None, "normal")}

    def has_part(self, part: str) -> bool:
        return part in self._names

    def blob(self, part: str) -> bytes:
        return self._zip.read(self._by_fold.get(part.casefold(), part))

    def content_type(self, part: str) -> str | None:
        """The part's content type from [Content_Types].xml: its own override, else its extension's default."""
        overrides, defaults = self._content_types
        return overrides.get("/" + part.lower()) or defaults.get(posixpath.splitext(part)[1].lstrip(".").lower())

    # --- helpers -------------------------------------------------------------------------

    @cached_property
    def _core_properties(self) -> etree._Element | None:
        target = next((r.target for r in self._package_relationships.values() if r.type == CORE_PROPERTIES), "docProps/core.xml")
        return self._parse(target) if target in self._names else None

    @cached_property
    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        if "[Content_Types].xml" not in self._names:
            return {}, {}
        root = self._parse("[Content_Types].xml")
        overrides = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in root.iter(f"{{{CT_NS}}}Override")}
        defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{{{CT_NS}}}Default")}
        return overrides, defaults

    def _part_of_type(self, kind: str) -> etree._Element | None:
        target = self._by_type.get(DOC_RELS + kind)
        return self._parse(target) if target in self._names else None

    def _parse(self, part: str) -> etree._Element:
        root = etree.fromstring(self.blob(part), PARSER)
        info = root.getroottree().docinfo
        # The screen refuses declarations in every part; this holds even for a part it could not
        # recognise as XML (an unusual encoding). An entity left unresolved would cut the text after it.
        if info.doctype or info.internalDTD is not None or not screenable_encoding(info.encoding or "UTF-8"):
            raise Rejection(
                f"The file contains hidden XML declarations or an unusual encoding (in '{part}') of a kind used "
                "to attack computers; Word never writes them.",
                "Ask the agency to copy the content into a fresh copy of the template and send that.",
            )
        return root

    def _relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of `source` ("" for the package itself), targets resolved to part names."""
        folder, name = posixpath.split(source)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        if rels_part not in self._names:
            return {}
        found = {}
        for rel in self._parse(rels_part).iter(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            found[rel.get("Id", "")] = Relationship(rel.get("Type", ""), target, external)
        return found


WORD_DEFAULT_SIZE = 20  # half-points: what Word uses when the styles say nothing (10 pt)


def _body_size(root, styles: dict[str, etree._Element]) -> int:
    """The Normal style's text size, else the document default's (w:docDefaults), in half-points."""
    normal = next((s for s in styles.values() if s.get(f"{{{W}}}type") == "paragraph" and s.get(f"{{{W}}}default") in ("1", "true")),
                  styles.get("Normal"))
    for holder in (normal, root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault")):
        size = holder.find(f"{{{W}}}rPr/{{{W}}}sz") if holder is not None else None
        value = size.get(f"{{{W}}}val", "") if size is not None else ""
        if value.isdigit() and int(value) > 0:
            return int(value)
    return WORD_DEFAULT_SIZE

