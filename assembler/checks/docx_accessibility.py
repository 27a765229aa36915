"""Accessibility checks of a written DOCX, the way Word's Accessibility Checker reports them.

``check_docx(path)`` returns one line per failure naming the element: document
title and language set; headings in order (no level skipped); every picture,
chart and shape with alt text (``wp:docPr/@descr``) unless marked decorative;
every table with a repeating header row (``w:tblHeader``) and no merged cells
(``gridSpan``/``vMerge``); no empty paragraphs used for spacing; link text that
says where it goes (a web address does); text colour with at least 4.5:1 contrast on its background
(3:1 for large text).

A table used only for layout (one-pager boxes side by side) needs no header row
if it says so: the "Header Row" table option off (``w:tblLook w:firstRow="0"``)
and a ``w:tblDescription`` telling the reader what the layout holds. It must
still have no merged cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn as docx_qn
from lxml import etree

from assembler.brand import contrast_ratio
from assembler.checks.text_rules import UNCLEAR_LINK_TEXT, link_text_problem  # noqa: F401 (one definition, check asks it too)

qn = cache(docx_qn)  # python-docx's, cached: called for every run of a long report

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
MIN_CONTRAST, MIN_CONTRAST_LARGE = 4.5, 3.0
HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.I)


def check_docx(path: Path) -> list[str]:
    """Every accessibility failure found in the DOCX at ``path``."""
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        return [f"{path.name}: not a readable Word document ({exc})"]
    styles = _Styles(document)
    body = document.element.body
    return [
        *_title_and_language(document, styles),
        *_heading_order(body, styles),
        *_alt_text(document),
        *_tables(body),
        *_empty_paragraphs(body),
        *_links(document, body),
        *_contrast(document, body, styles),
    ]


# --------------------------------------------------------------------- styles

class _Styles:
    """Just enough style resolution: heading level, text colour, size and bold per style id.

    A long report asks the same few questions thousands of times (every run's
    colour, every paragraph's level), so each answer is worked out once.
    """

    def __init__(self, document: Any) -> None:
        self.root = document.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in self.root.findall(qn("w:style"))}
        self.default_paragraph = next(
            (sid for sid, s in self.by_id.items() if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"),
            None)
        self._chain = cache(self._chain)
        self.heading_level = cache(self.heading_level)
        self.run_property = cache(self.run_property)
        self.paragraph_shading = cache(self.paragraph_shading)

    def _chain(self, style_id: str | None) -> list[Any]:
        chain, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return chain

    def heading_level(self, style_id: str | None) -> int | None:
        for style in self._chain(style_id):
            name = style.find(qn("w:name"))
            match = HEADING_STYLE.match(name.get(qn("w:val"), "")) if name is not None else None
            if match:
                return int(match.group(1))
            level = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            if level is not None and level.get(qn("w:val")) not in (None, "9"):
                return int(level.get(qn("w:val"))) + 1
        return None

    def is_title(self, style_id: str | None) -> bool:
        return any((s.find(qn("w:name")) is not None and s.find(qn("w:name")).get(qn("w:val"), "").lower() in ("title", "subtitle"))
                   for s in self._chain(style_id))

    def run_property(self, style_ids: tuple[str | None, ...], tag: str) -> Any:
        """The first style (run style, then paragraph style chain, then defaults) setting ``tag``."""
        for style_id in style_ids:
            for style in self._chain(style_id):
                found = style.find(f"{qn('w:rPr')}/{qn(tag)}")
                if found is not None:
                    return found
        return self.root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn(tag)}")

    def paragraph_shading(self, style_id: str | None) -> str | None:
        for style in self._chain(style_id or self.default_paragraph):
            fill = _shading(style.find(qn("w:pPr")))
            if fill:
                return fill
        return None

    def language(self) -> str | None:
        found = self.run_property((self.default_paragraph,), "w:lang")
        return found.get(qn("w:val")) if found is not None else None


def _paragraph_style(paragraph: Any) -> str | None:
    props = paragraph.find(qn("w:pPr"))  # two finds: a "pPr/pStyle" path is parsed again on every call
    found = props.find(qn("w:pStyle")) if props is not None else None
    return found.get(qn("w:val")) if found is not None else None


def _text(node: Any) -> str:
    """The node's text; a non-breaking hyphen (the report writes one inside every hyphenated word) is '-'."""
    return "".join(t.text or "" if t.tag == W_T else "-" for t in node.iter(W_T, W_NO_BREAK_HYPHEN))


W_T, W_NO_BREAK_HYPHEN = qn("w:t"), qn("w:noBreakHyphen")


def _describe(paragraph: Any, number: int) -> str:
    text = " ".join(_text(paragraph).split())
    return f"paragraph {number} ('{text[:50]}{'…' if len(text) > 50 else ''}')" if text else f"paragraph {number}"


# ----------------------------------------------------------------------- rules

def _title_and_language(document: Any, styles: _Styles) -> list[str]:
    problems = []
    if not (document.core_properties.title or "").strip():
        problems.append("document: no title in the document properties (File > Info > Title)")
    if not styles.language():
        problems.append("document: no language set for the text (default style w:lang)")
    return problems


def _heading_order(body: Any, styles: _Styles) -> list[str]:
    problems, previous = [], 0
    for number, paragraph in enumerate(body.iter(qn("w:p")), 1):
        level = styles.heading_level(_paragraph_style(paragraph))
        if level is None:
            continue
        if not _text(paragraph).strip():
            problems.append(f"{_describe(paragraph, number)}: an empty Heading {level}")
            continue
        if level > previous + 1:
            after = f"Heading {previous}" if previous else "the start of the document"
            problems.append(f"{_describe(paragraph, number)}: Heading {level} follows {after} (a level is skipped)")
        previous = level
    return problems


def _alt_text(document: Any) -> list[str]:
    problems = []
    parts = [("body", document.part)] + [
        (f"{kind} of section {i}", getattr(section, kind).part)
        for i, section in enumerate(document.sections, 1) for kind in ("header", "footer")
        if not getattr(section, kind).is_linked_to_previous]
    for where, part in parts:
        for doc_pr in part.element.iter(qn("wp:docPr")):
            if (doc_pr.get("descr") or "").strip() or _is_decorative(doc_pr):
                continue
            graphic = doc_pr.getparent().find(f"{qn('a:graphic')}/{qn('a:graphicData')}")
            uri = graphic.get("uri", "") if graphic is not None else ""
            kind = "chart" if uri.endswith("/chart") else "picture" if uri.endswith("/picture") else "shape"
            problems.append(f"{where}: {kind} '{doc_pr.get('name', '')}' has no alt text (descr)")
    return problems


def _is_decorative(doc_pr: Any) -> bool:
    return any(node.tag == DECORATIVE and node.get("val") in ("1", "true") for node in doc_pr.iter())


def _tables(body: Any) -> list[str]:
    problems = []
    for number, table in enumerate(body.iter(qn("w:tbl")), 1):
        rows = table.findall(qn("w:tr"))
        first = " | ".join(" ".join(" ".join(_text(p).split()) for p in cell.iter(qn("w:p"))).strip()
                           for cell in rows[0].iter(qn("w:tc")))[:40] if rows else ""
        name = f"table {number}" + (f" ('{first}')" if first.strip(" |") else "")
        if not _is_declared_layout(table) and (
                not rows or rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None):
            problems.append(f"{name}: the first row is not marked as a header row (Repeat as header row, w:tblHeader)")
        merged = [tag for tag in ("w:gridSpan", "w:vMerge") if any(
            (tag != "w:gridSpan" or int(node.get(qn("w:val"), "1")) > 1) for node in table.iter(qn(tag)))]
        if merged:
            problems.append(f"{name}: has merged cells ({', '.join(m.split(':')[1] for m in merged)}); "
                            "screen readers lose the column headers")
    return problems


def _is_declared_layout(table: Any) -> bool:
    look = table.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}")
    description = table.find(f"{qn('w:tblPr')}/{qn('w:tblDescription')}")
    if look is None:
        return False
    first_row = look.get(qn("w:firstRow"))
    if first_row is None:  # older files: a bit mask, 0x0020 = header row formatting on
        header_row_off = not int(look.get(qn("w:val"), "0020"), 16) & 0x0020
    else:
        header_row_off = first_row in ("0", "false")
    return header_row_off and description is not None and bool((description.get(qn("w:val")) or "").strip())


def _empty_paragraphs(body: Any) -> list[str]:
    """Runs of empty paragraphs in the body (not in table cells) used as vertical space.

    Word needs an empty paragraph after a table that ends the document or that is
    followed by another table; those are not spacing.
    """
    paragraphs = list(body.iter(qn("w:p")))  # held, so lxml hands back these same proxies below
    numbers = {p: n for n, p in enumerate(paragraphs, 1)}
    problems: list[str] = []
    run: list[Any] = []
    children = list(body.iterchildren())
    for child in children + [None]:
        if child is not None and child.tag == qn("w:p") and _is_spacing_paragraph(child):
            run.append(child)
            continue
        if run and not _needed_after_table(children, children.index(run[0]), child, len(run)):
            what = "an empty paragraph" if len(run) == 1 else f"{len(run)} empty paragraphs"
            problems.append(f"paragraph {numbers[run[0]]}: {what} used for spacing; "
                            "use space before/after instead")
        run = []
    return problems


def _needed_after_table(children: list[Any], start: int, following: Any, length: int) -> bool:
    after_table = start > 0 and children[start - 1].tag == qn("w:tbl")
    before_table_or_end = following is None or following.tag in (qn("w:tbl"), qn("w:sectPr"))
    return length == 1 and after_table and before_table_or_end


def _is_spacing_paragraph(paragraph: Any) -> bool:
    if _text(paragraph).strip():
        return False
    keeps = ("w:drawing", "w:pict", "w:object", "w:br", "w:sectPr", "w:fldSimple", "w:instrText", "w:tab", "w:sym")
    return not any(next(paragraph.iter(qn(tag)), None) is not None for tag in keeps)


def _links(document: Any, body: Any) -> list[str]:
    problems = []
    rels = document.part.rels
    for hyperlink in body.iter(qn("w:hyperlink")):
        text = " ".join(_text(hyperlink).split())
        rel_id = hyperlink.get(qn("r:id"))
        target = rels[rel_id].target_ref if rel_id in rels else f"#{hyperlink.get(qn('w:anchor'), '')}"
        problem = link_text_problem(text)
        if problem:
            problems.append(f"link '{text}' to {target}: {problem}" if text else f"link to {target}: {problem}")
    return problems


# -------------------------------------------------------------------- contrast

@dataclass(frozen=True)
class _RunLook:
    colour: str
    size_pt: float
    bold: bool


def _contrast(document: Any, body: Any, styles: _Styles) -> list[str]:
    page = _page_background(document)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    # A long report has tens of thousands of runs but a few dozen looks: each (paragraph style, run
    # properties) is resolved once (and brand.contrast_ratio measures each colour pair once).
    looks: dict[tuple[str | None, bytes | None], tuple[_RunLook | None, str | None]] = {}
    properties_tag = qn("w:rPr")
    for number, paragraph in enumerate(body.iter(qn("w:p")), 1):
        runs = [run for run in paragraph.iter(qn("w:r")) if _text(run).strip()]
        if not runs:
            continue
        paragraph_style = _paragraph_style(paragraph)
        paragraph_background = _background(paragraph, page, styles.paragraph_shading(paragraph_style))
        for run in runs:
            properties = run.find(properties_tag)
            key = (paragraph_style, None if properties is None else etree.tostring(properties))
            if key not in looks:
                looks[key] = (_run_look(run, paragraph_style, styles), _run_background(run))
            look, run_background = looks[key]
            background = run_background or paragraph_background
            if look is None or (look.colour, background) in seen:
                continue
            needed = MIN_CONTRAST_LARGE if look.size_pt >= 18 or (look.bold and look.size_pt >= 14) else MIN_CONTRAST
            ratio = contrast_ratio(look.colour, background)
            if ratio < needed:
                seen.add((look.colour, background))
                problems.append(f"{_describe(paragraph, number)}: text #{look.colour} on #{background} has contrast "
                                f"{ratio:.2f}:1, below {needed}:1")
    return problems


def _page_background(document: Any) -> str:
    found = document.element.find(qn("w:background"))
    colour = found.get(qn("w:color")) if found is not None else None
    return colour if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour) else "FFFFFF"


def _shading(node: Any) -> str | None:
    shd = node.find(qn("w:shd")) if node is not None else None
    fill = shd.get(qn("w:fill")) if shd is not None else None
    return fill if fill and re.fullmatch(r"[0-9A-Fa-f]{6}", fill) else None


HIGHLIGHTS = {"yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF", "blue": "0000FF",
              "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
              "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080",
              "lightGray": "C0C0C0", "black": "000000", "white": "FFFFFF"}


def _run_background(run: Any) -> str | None:
    """A run's own shading or highlight (a coloured badge inside a shaded cell)."""
    props = run.find(qn("w:rPr"))
    if props is None:
        return None
    highlight = props.find(qn("w:highlight"))
    if highlight is not None and highlight.get(qn("w:val")) in HIGHLIGHTS:
        return HIGHLIGHTS[highlight.get(qn("w:val"))]
    return _shading(props)


def _background(paragraph: Any, page: str, style_shading: str | None) -> str:
    own = _shading(paragraph.find(qn("w:pPr"))) or style_shading
    if own:
        return own
    for ancestor in paragraph.iterancestors(qn("w:tc")):
        fill = _shading(ancestor.find(qn("w:tcPr")))
        if fill:
            return fill
    return page


def _run_look(run: Any, paragraph_style: str | None, styles: _Styles) -> _RunLook | None:
    props = run.find(qn("w:rPr"))
    run_style = None
    if props is not None and props.find(qn("w:rStyle")) is not None:
        run_style = props.find(qn("w:rStyle")).get(qn("w:val"))
    chain = (run_style, paragraph_style or styles.default_paragraph)

    def prop(tag: str) -> Any:
        own = props.find(qn(tag)) if props is not None else None
        return own if own is not None else styles.run_property(chain, tag)

    colour_node = prop("w:color")
    colour = colour_node.get(qn("w:val")) if colour_node is not None else "000000"
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour or ""):
        return None  # "auto": Word picks black or white for the background
    size_node = prop("w:sz")
    size = int(size_node.get(qn("w:val"), "22")) / 2 if size_node is not None else 11.0
    bold_node = prop("w:b")
    bold = bold_node is not None and bold_node.get(qn("w:val"), "true") not in ("0", "false")
    return _RunLook(colour.upper(), size, bold)
