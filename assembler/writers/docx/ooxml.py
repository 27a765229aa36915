"""Small WordprocessingML helpers python-docx has no API for: fields, bookmarks, ordered children.

Word refuses (or "repairs") a file whose child elements are out of schema
order, so every element added here goes through `insert_in_order`.
"""

from __future__ import annotations

from functools import cache

from docx.oxml import OxmlElement
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser

# Schema order of the children of w:pPr and w:rPr (ECMA-376 Part 1, 17.3.1.26 / 17.3.2.28).
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
).split()
TCPR_ORDER = "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark".split()
TRPR_ORDER = "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden".split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd "
    "tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
ORDERS = {"pPr": PPR_ORDER, "rPr": RPR_ORDER, "tcPr": TCPR_ORDER, "trPr": TRPR_ORDER, "tblPr": TBLPR_ORDER}


def element(tag: str, **attrs: str) -> OxmlElement:
    """`element('w:shd', val='clear', fill='1B3A6B')`: attributes are in the w: namespace."""
    clark, namespaces = _tag_parts(tag)
    node = oxml_parser.makeelement(clark, nsmap=namespaces)  # what OxmlElement does, without re-splitting the tag
    for name, value in attrs.items():
        node.set(_w_attribute(name), str(value))
    return node


@cache
def _tag_parts(tag: str) -> tuple[str, dict[str, str]]:
    """A long report makes tens of thousands of elements from a few dozen tags: split each tag once."""
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


@cache
def _w_attribute(name: str) -> str:
    return qn(f"w:{name}")


def local_name(node) -> str:
    return node.tag.rsplit("}", 1)[-1]


def insert_in_order(parent, child):
    """Put `child` into a pPr/rPr/tcPr/trPr/tblPr where the schema wants it, replacing a same-named one."""
    order = ORDERS[local_name(parent)]
    name = local_name(child)
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = order.index(name)
    for position, sibling in enumerate(parent):
        sibling_name = local_name(sibling)
        if sibling_name in order and order.index(sibling_name) > rank:
            parent.insert(position, child)
            return child
    parent.append(child)
    return child


def set_property(parent, tag: str, **attrs: str):
    return insert_in_order(parent, element(tag, **attrs))


def field_runs(instruction: str, result: str = "") -> list:
    """The runs of a complex field: begin, instruction, separate, cached result, end."""
    runs = [_fld_char("begin", dirty=False)]
    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    runs += [instr, _fld_char("separate")]
    if result:
        runs.append(text_run(result))
    runs.append(_fld_char("end"))
    return runs


def field_char_run(kind: str, dirty: bool = False):
    """dirty=True asks the reader to recompute the field (Word and LibreOffice both honour it for a TOC)."""
    return _fld_char(kind, dirty)


def _fld_char(kind: str, dirty: bool = False):
    run = OxmlElement("w:r")
    char = element("w:fldChar", fldCharType=kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run.append(char)
    return run


def instruction_run(instruction: str):
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    return run


def text_run(text: str, style: str | None = None):
    run = OxmlElement("w:r")
    if style:
        rpr = OxmlElement("w:rPr")
        rpr.append(element("w:rStyle", val=style))
        run.append(rpr)
    node = OxmlElement("w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    return run


def tab_run():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:tab"))
    return run


def add_bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in a bookmark: the target of contents links."""
    p = paragraph._p
    start = element("w:bookmarkStart", id=str(bookmark_id), name=name)
    end = element("w:bookmarkEnd", id=str(bookmark_id))
    ppr = p.find(qn("w:pPr"))
    p.insert(p.index(ppr) + 1 if ppr is not None else 0, start)
    p.append(end)
