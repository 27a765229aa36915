"""Accessibility checks of a written PDF: pdfua's PDF/UA-1 rules plus what it leaves out.

``check_pdf(path)`` returns one plain-English line per failure, each naming the
page or element; an empty list means no findings. ``structure_text(path)``
gives the struct tree's leaf elements with their text in reading order, for
tests that compare it with the story.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from assembler.checks.pdf_text import pdf_page_texts
from assembler.checks.text_rules import NOT_REAL_TEXT  # one definition, check asks it too

HEADING = re.compile(r"^/H([1-6])$")


def check_pdf(path: Path, with_pdfua: bool = True, with_text: bool = True) -> list[str]:
    """Every accessibility failure found in the PDF at ``path``.

    The build runs it without pdfua's rules (a second opinion that costs a
    second for a long report and that our own structure checks largely
    repeat); `assembler check-outputs` and the tests run everything.
    `with_text=False` leaves the text to a caller that extracts it anyway and
    runs `extraction_problems` on it (the build's nothing-lost check).
    """
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [f"{path.name}: not a readable PDF ({exc})"]
    problems = _pdfua_findings(path) if with_pdfua else []
    with pdf:
        scans = [_scan_page(page) for page in pdf.pages]  # each content stream parsed once, for all three checks
        problems += _document_problems(pdf)
        problems += _page_problems(pdf, scans)
        problems += _structure_problems(pdf, scans)
        problems += _font_problems(scans)
    if with_text:
        problems += extraction_problems(pdf_page_texts(path))
    return problems


def extraction_problems(page_texts: list[str]) -> list[str]:
    """Text that does not come out as real characters (a missing or wrong ToUnicode map),
    read as a screen reader or a copy-and-paste would."""
    pages: dict[int, str] = {}
    for number, text in enumerate(page_texts, 1):
        bad = NOT_REAL_TEXT.findall(text)
        if bad:
            pages[number] = "".join(sorted(set(bad)))
    return [f"page {page}: text extracts as {' '.join(f'U+{ord(c):04X}' for c in chars[:5])}, not as the "
            "characters shown (check the font's ToUnicode map)" for page, chars in pages.items()]


# ------------------------------------------------------------------------- pdfua

def _pdfua_findings(path: Path) -> list[str]:
    from pdfua import validate

    report = validate(str(path))
    found = []
    for finding in report.findings:
        where = f"page {finding.location.page}" if finding.location and finding.location.page else "document"
        found.append(f"{where}: {finding.message} [pdfua {finding.rule_id}]")
    return found


# ------------------------------------------------------------------- catalog/info

def _document_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    root = pdf.Root
    lang = str(root.get("/Lang", "")).strip()
    if not lang:
        problems.append("document: no /Lang, so screen readers guess the language")
    mark_info = root.get("/MarkInfo")
    if not (isinstance(mark_info, pikepdf.Dictionary) and mark_info.get("/Marked")):
        problems.append("document: /MarkInfo /Marked is not true")
    prefs = root.get("/ViewerPreferences")
    if not (isinstance(prefs, pikepdf.Dictionary) and prefs.get("/DisplayDocTitle")):
        problems.append("document: /ViewerPreferences /DisplayDocTitle is not true")
    title = str(pdf.docinfo.get("/Title", "")).strip()
    if not title:
        problems.append("document: no title in the Info dictionary")
    xmp = bytes(root.Metadata.read_bytes()).decode("utf-8", "replace") if "/Metadata" in root else ""
    if "<dc:title>" not in xmp:
        problems.append("document: no dc:title in the XMP metadata")
    if not re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        problems.append("document: XMP does not declare PDF/UA-1 (pdfuaid:part 1)")
    return problems


def _page_problems(pdf: pikepdf.Pdf, scans: list[PageScan]) -> list[str]:
    problems = []
    tabs_missing = [n for n, page in enumerate(pdf.pages, 1) if page.obj.get("/Tabs") != pikepdf.Name.S]
    if tabs_missing:
        problems.append(f"pages {_ranges(tabs_missing)}: /Tabs is not /S (tab order must follow the structure)")
    for number, (page, scan) in enumerate(zip(pdf.pages, scans), 1):
        unmarked = scan.unmarked_painting
        if unmarked:
            problems.append(f"page {number}: {unmarked} shape/image painting operator(s) outside marked content; "
                            "rules, backgrounds and decoration must be artifacts")
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == pikepdf.Name.Link and "/StructParent" not in annot:
                problems.append(f"page {number}: a link annotation is not tied to a Link element (/StructParent)")
    return problems


PATH_PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"})
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
# Only these operators come back from the parser: the rest of a long page is skipped in C++.
SCANNED_OPERATORS = " ".join(["BDC", "BMC", "EMC", "BI", "ID", "EI", "Tf", "Do", *PATH_PAINTING, *TEXT_SHOWING])


@dataclass
class PageScan:
    """What the checks need from one page's content stream."""

    unmarked_painting: int = 0  # shapes painted outside any marked content (pdfua counts only text and XObjects)
    mcids: list[int] = field(default_factory=list)
    fonts: list[pikepdf.Dictionary] = field(default_factory=list)  # fonts that show text (not merely selected)


def _scan_page(page: pikepdf.Page) -> PageScan:
    scan = PageScan()
    depth = 0
    resources = page.obj.get("/Resources")
    fonts, xobjects = _font_and_xobject_maps(resources)
    used: dict = {}
    current = None
    for instruction in pikepdf.parse_content_stream(page, SCANNED_OPERATORS):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            scan.unmarked_painting += depth == 0
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op in ("BDC", "BMC"):
            depth += 1
            props = operands[-1] if op == "BDC" and operands else None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                scan.mcids.append(int(props.MCID))
        elif op == "EMC":
            depth = max(0, depth - 1)
        elif op in PATH_PAINTING:
            scan.unmarked_painting += depth == 0
        elif op == "Tf":
            current = fonts.get(str(operands[0]))
        elif op == "Do":
            _add_form_fonts(xobjects.get(str(operands[0])), resources, used, 1)
        elif current is not None:
            used[_font_key(current)] = current
    scan.fonts = list(used.values())
    return scan


# --------------------------------------------------------------------- structure

@dataclass
class Element:
    role: str
    obj: pikepdf.Dictionary
    depth: int


def walk_structure(pdf: pikepdf.Pdf) -> Iterator[Element]:
    """Every struct element, depth first, in reading order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return

    # An explicit stack: nested generators would pass every element up through all its ancestors.
    stack = [(kid, 0) for kid in reversed(_kids(root))]
    seen: set[tuple[int, int]] = set()  # a damaged tree whose /K leads back up must not loop for ever
    while stack:
        node, depth = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            yield Element(str(node.S), node, depth)
            stack.extend((kid, depth + 1) for kid in reversed(_kids(node)))


def _kids(node: pikepdf.Dictionary) -> list[Any]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _structure_problems(pdf: pikepdf.Pdf, scans: list[PageScan]) -> list[str]:
    problems = []
    previous_level = 0
    page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}  # once, not per element
    for element in walk_structure(pdf):
        page = _page_label(page_numbers, element.obj)
        if element.role == "/Figure" and not str(element.obj.get("/Alt", "")).strip():
            problems.append(f"{page}: a Figure has no alternative text (/Alt)")
        match = HEADING.match(element.role)
        if match:
            level = int(match.group(1))
            if level > previous_level + 1:
                problems.append(f"{page}: heading {element.role[1:]} follows "
                                f"{'no heading' if previous_level == 0 else f'H{previous_level}'} "
                                "(a level is skipped)")
            previous_level = level
        if element.role == "/TH" and not _has_scope_or_headers(element.obj):
            problems.append(f"{page}: a table header cell (TH) has no /Scope")
        if element.role == "/Table":
            widths = _row_widths(element.obj)
            if len(set(widths)) > 1:
                problems.append(f"{page}: a table's rows have {sorted(set(widths))} columns; "
                                "screen readers need a regular grid (ColSpan/RowSpan on spanned cells)")
    problems += _parent_tree_problems(pdf, scans)
    return problems


def _row_widths(table: pikepdf.Dictionary) -> list[int]:
    """Columns covered by each row, counting ColSpan and cells spanning down from rows above."""
    rows: list[pikepdf.Dictionary] = []
    for kid in _kids(table):
        if isinstance(kid, pikepdf.Dictionary) and str(kid.get("/S")) in ("/THead", "/TBody", "/TFoot"):
            rows += [r for r in _kids(kid) if isinstance(r, pikepdf.Dictionary)]
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == pikepdf.Name.TR:
            rows.append(kid)
    carried: list[int] = []  # per row below: columns taken by cells spanning down into it
    widths = []
    for index, row in enumerate(rows):
        width = carried[index] if index < len(carried) else 0
        for cell in _kids(row):
            if not isinstance(cell, pikepdf.Dictionary) or str(cell.get("/S")) not in ("/TH", "/TD"):
                continue
            col_span, row_span = _span(cell, "/ColSpan"), _span(cell, "/RowSpan")
            width += col_span
            for below in range(index + 1, index + row_span):
                carried += [0] * (below + 1 - len(carried))
                carried[below] += col_span
        widths.append(width)
    return widths


def _span(cell: pikepdf.Dictionary, key: str) -> int:
    attrs = cell.get("/A")
    for attr in (list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]):
        if isinstance(attr, pikepdf.Dictionary) and key in attr:
            return int(attr[key])
    return 1


def _has_scope_or_headers(obj: pikepdf.Dictionary) -> bool:
    attrs = obj.get("/A")
    candidates = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs] if attrs is not None else []
    return "/Headers" in obj or any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in candidates)


def _page_label(page_numbers: dict[tuple[int, int], int], obj: pikepdf.Dictionary) -> str:
    page = obj.get("/Pg")
    number = page_numbers.get(page.objgen) if page is not None else None
    return f"page {number}" if number else "document"


def _parent_tree_problems(pdf: pikepdf.Pdf, scans: list[PageScan]) -> list[str]:
    """Every MCID on a page must belong to a struct element through the ParentTree."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []  # pdfua reports the missing tree
    nums = _number_tree(root.get("/ParentTree"))
    problems = []
    for number, (page, scan) in enumerate(zip(pdf.pages, scans), 1):
        mcids = scan.mcids
        if not mcids:
            continue
        key = page.obj.get("/StructParents")
        owners = nums.get(int(key)) if key is not None else None
        if owners is None:
            problems.append(f"page {number}: has tagged content but no ParentTree entry (/StructParents)")
            continue
        missing = [m for m in mcids if m >= len(owners) or not isinstance(owners[m], pikepdf.Dictionary)]
        if missing:
            problems.append(f"page {number}: marked content {missing[:5]} belongs to no struct element")
    for number, page in enumerate(pdf.pages, 1):
        for annot in page.obj.get("/Annots", []):
            key = annot.get("/StructParent")
            owner = nums.get(int(key)) if key is not None else None
            if key is not None and not (isinstance(owner, pikepdf.Dictionary) and owner.get("/S") == pikepdf.Name.Link):
                problems.append(f"page {number}: a link annotation's /StructParent {int(key)} is not a Link element")
    return problems


def _number_tree(tree: Any) -> dict[int, Any]:
    out: dict[int, Any] = {}
    if not isinstance(tree, pikepdf.Dictionary):
        return out
    nums = tree.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in tree.get("/Kids", []):
        out.update(_number_tree(kid))
    return out


# ------------------------------------------------------------------------- fonts

def _font_problems(scans: list[PageScan]) -> list[str]:
    """Fonts that show text must be embedded and map to Unicode (PDF/UA 7.21)."""
    problems: dict[str, str] = {}
    for number, scan in enumerate(scans, 1):
        for font in scan.fonts:
            base = str(font.get("/BaseFont", "unnamed")).lstrip("/")
            if base in problems or font.get("/Subtype") == pikepdf.Name.Type3:
                continue
            descriptor_font = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descriptor_font.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems[base] = f"page {number}: font {base} is not embedded"
            elif "/ToUnicode" not in font:
                problems[base] = f"page {number}: font {base} has no ToUnicode map, so its text cannot be extracted"
    return list(problems.values())


def _font_and_xobject_maps(resources: Any) -> tuple[Any, Any]:
    if not isinstance(resources, pikepdf.Dictionary):
        return {}, {}
    return resources.get("/Font") or {}, resources.get("/XObject") or {}


def _font_key(font: pikepdf.Dictionary) -> tuple[int, int] | str:
    return font.objgen if font.is_indirect else repr(font)


def _add_form_fonts(xobject: Any, resources: Any, used: dict, depth: int) -> None:
    """Fonts showing text inside a form XObject drawn with Do (page numbers, headers), forms within forms too."""
    if xobject is None or xobject.get("/Subtype") != pikepdf.Name.Form or depth > 8:
        return
    resources = xobject.get("/Resources", resources)
    fonts, xobjects = _font_and_xobject_maps(resources)
    current = None
    for operands, operator in pikepdf.parse_content_stream(xobject, "Tf Tj TJ ' \" Do"):
        op = str(operator)
        if op == "Tf":
            current = fonts.get(str(operands[0]))
        elif op == "Do":
            _add_form_fonts(xobjects.get(str(operands[0])), resources, used, depth + 1)
        elif current is not None:
            used[_font_key(current)] = current


# --------------------------------------------------------------- text per element

def marked_text(path: Path) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """Text of each marked-content sequence as {(page, mcid): text}, and text outside any, per page.

    Artifact text is left out of both.
    """
    import pypdf

    reader = pypdf.PdfReader(str(path))
    by_mcid: dict[tuple[int, int], list[str]] = {}
    unmarked: dict[int, list[str]] = {}
    for number, page in enumerate(reader.pages, 1):
        stack: list[int | str | None] = []

        def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
            if op in (b"BDC", b"BMC"):
                mcid = args[1].get("/MCID") if op == b"BDC" and len(args) > 1 and hasattr(args[1], "get") else None
                stack.append(int(mcid) if mcid is not None else ("artifact" if args and args[0] == "/Artifact" else None))
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            owner = next((s for s in reversed(stack) if s is not None), None)
            if owner == "artifact":
                return
            if isinstance(owner, int):
                by_mcid.setdefault((number, owner), []).append(t)
            elif t.strip():
                unmarked.setdefault(number, []).append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return ({k: "".join(v) for k, v in by_mcid.items()}, {k: "".join(v) for k, v in unmarked.items()})


def structure_text(path: Path) -> list[tuple[str, str]]:
    """(role, text) of every struct element that owns marked content, in reading order."""
    texts, _ = marked_text(path)
    out: list[tuple[str, str]] = []
    with pikepdf.open(path) as pdf:
        page_numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        for element in walk_structure(pdf):
            page = page_numbers.get(element.obj.Pg.objgen) if "/Pg" in element.obj else None
            words = []
            for kid in _kids(element.obj):
                if isinstance(kid, int) and page is not None:
                    words.append(texts.get((page, kid), ""))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                    words.append(texts.get((page_numbers.get(kid.Pg.objgen, 0), int(kid.MCID)), ""))
            if words:
                out.append((element.role.lstrip("/"), " ".join(" ".join(words).split())))
    return out


def _ranges(numbers: list[int]) -> str:
    if len(numbers) <= 6:
        return ", ".join(map(str, numbers))
    return f"{numbers[0]}-{numbers[-1]} ({len(numbers)} pages)"
