"""List numbering: real Word numbering definitions, and a fresh count for every numbered list.

The template defines two multi-level lists (bullets, and 1. / a. / i.). Each
numbered list in the report gets its own `w:num` restarting at 1, so the
second list in a chapter does not carry on from the first.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from assembler.writers.docx.ooxml import element
from assembler.writers.docx.styles import (
    BULLET_ABSTRACT_ID,
    BULLET_NUM_ID,
    LIST_LEVELS,
    NUMBER_ABSTRACT_ID,
    NUMBER_NUM_ID,
)

BULLETS = ("\u2022", "\u2013", "\u25aa")  # •, –, ▪: distinct shapes at each depth
NUMBER_FORMATS = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."))
INDENT_STEP, HANGING = 425, 283  # twips: 7.5 mm per level, 5 mm for the marker
DEEPEST_LEVEL = 8  # Word's limit is nine levels (0-8)
BULLET_NSID, NUMBER_NSID = "0A1B2C3D", "0A1B2C3E"  # fixed ids: the same template every time


def define_numbering(document, bullet_font: str) -> None:
    """Replace the numbering part's definitions with the report's two lists (used by the template tool)."""
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.append(_abstract(BULLET_ABSTRACT_ID, BULLET_NSID, ordered=False, font=bullet_font))
    numbering.append(_abstract(NUMBER_ABSTRACT_ID, NUMBER_NSID, ordered=True, font=bullet_font))
    for num_id, abstract_id in ((BULLET_NUM_ID, BULLET_ABSTRACT_ID), (NUMBER_NUM_ID, NUMBER_ABSTRACT_ID)):
        num = element("w:num", numId=str(num_id))
        num.append(element("w:abstractNumId", val=str(abstract_id)))
        numbering.append(num)


def has_report_numbering(document) -> bool:
    """True when the numbering part holds the two lists `define_numbering` writes."""
    nsids = {n.get(qn("w:val")) for n in document.part.numbering_part.element.iter(qn("w:nsid"))}
    return {BULLET_NSID, NUMBER_NSID} <= nsids


def _abstract(abstract_id: int, nsid: str, ordered: bool, font: str):
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(element("w:nsid", val=nsid))
    abstract.append(element("w:multiLevelType", val="hybridMultilevel"))
    for level in range(DEEPEST_LEVEL + 1):
        shown = min(level, LIST_LEVELS - 1)
        lvl = element("w:lvl", ilvl=str(level))
        lvl.append(element("w:start", val="1"))
        if ordered:
            fmt, _ = NUMBER_FORMATS[level % len(NUMBER_FORMATS)]
            lvl.append(element("w:numFmt", val=fmt))
            lvl.append(element("w:lvlText", val=f"%{level + 1}."))
        else:
            lvl.append(element("w:numFmt", val="bullet"))
            lvl.append(element("w:lvlText", val=BULLETS[shown]))
        lvl.append(element("w:lvlJc", val="left"))
        ppr = element("w:pPr")
        ppr.append(element("w:ind", left=str(INDENT_STEP * (level + 1)), hanging=str(HANGING)))
        lvl.append(ppr)
        rpr = element("w:rPr")
        rpr.append(element("w:rFonts", ascii=font, hAnsi=font, cs=font, hint="default"))
        lvl.append(rpr)
        abstract.append(lvl)
    return abstract


class Numbering:
    """Hands out numbering instances while the body is written."""

    def __init__(self, document):
        self._numbering = document.part.numbering_part.element

    def new_list(self, ordered: bool) -> int:
        """Bullets share one instance; each numbered list gets its own, restarting at 1 at every level."""
        if not ordered:
            return BULLET_NUM_ID
        num_id = self._next_id()
        num = element("w:num", numId=str(num_id))
        num.append(element("w:abstractNumId", val=str(NUMBER_ABSTRACT_ID)))
        for level in range(DEEPEST_LEVEL + 1):
            override = element("w:lvlOverride", ilvl=str(level))
            override.append(element("w:startOverride", val="1"))
            num.append(override)
        self._numbering.append(num)  # w:num elements follow every w:abstractNum
        return num_id

    def _next_id(self) -> int:
        ids = [int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))]
        return max(ids, default=0) + 1
