"""The Word report's running header: the short title, then the chapter's name or, in a chapter of sections (the
multi-agency chapter's agencies), the first section that starts on the page, as the PDF's (writers/pdf/page.py).

Word does this natively with a STYLEREF field in the header. In a header, Word
searches the page the header is printed on from the top for the first text in
the named style; when the page has none, it searches back from the page's top
to the document's start (then forward from its foot): ECMA-376 Part 1,
17.16.5 STYLEREF, and Word's own documentation of the field. The default (no
`\\l` switch, which takes the last on the page) is the PDF's rule: a page
where an agency starts names that agency, a page an agency merely continues
onto names the agency it continues.

The style referred to is a character style, RUNNING_HEAD, without formatting
of its own, on the text of every chapter and section heading: the search then
finds the chapter's own heading when no section has started yet (a long
introduction), never a section of an earlier chapter. The chapter's opening
page has a header of its own (Word's "different first page") whose field has
the `\\l` switch: the last marked text on that page, which is the agency that
starts lower on it (as the PDF names it: the sample's Barnardo's) or, when none
does, the chapter's own heading. Two agencies starting on a chapter's opening
page would name the second where the PDF names the first: Word has no field
for "the first of this style, else that one".

Readers that do not evaluate the field print its cached result on every page
(LibreOffice 7.4, whose DOCX import has no STYLEREF, and previews): the
chapter's name, which is what a chapter without sections prints as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from assembler.writers.docx.ooxml import element, field_runs, insert_in_order, tab_run, text_run

RUNNING_HEAD = "Running Head"  # the character style the header's STYLEREF field looks for
# MERGEFORMAT: Word keeps the cached result's look (the header's) when it updates the field.
FIRST_ON_PAGE = f'STYLEREF "{RUNNING_HEAD}" \\* MERGEFORMAT'
LAST_ON_PAGE = f'STYLEREF "{RUNNING_HEAD}" \\l \\* MERGEFORMAT'


def ensure_running_head_style(docx) -> str:
    """The character style, added when the template lacks it; its style id (what w:rStyle names)."""
    if RUNNING_HEAD not in {style.name for style in docx.styles}:
        style = docx.styles.add_style(RUNNING_HEAD, WD_STYLE_TYPE.CHARACTER)
        style.base_style = docx.styles["Default Paragraph Font"]
        style.hidden = False  # listed in Word's styles pane: a designer sees what the header follows
        style.unhide_when_used = False
    return docx.styles[RUNNING_HEAD].style_id


def mark_running_head(paragraph, style_id: str) -> None:
    """Put the heading's text runs in the running-head character style (it changes nothing of their look)."""
    for run in paragraph.findall(qn("w:r")):
        properties = run.find(qn("w:rPr"))
        if properties is None:
            properties = element("w:rPr")
            run.insert(0, properties)
        insert_in_order(properties, element("w:rStyle", val=style_id))


def chapters_with_sections(levels: Iterable[int]) -> list[bool]:
    """For the chapters (level 1) in a run of section levels, in order: whether a level-2 section follows it
    before the next chapter (its header then names the section starting on each page)."""
    found: list[bool] = []
    for level in levels:
        if level == 1:
            found.append(False)
        elif level == 2 and found:
            found[-1] = True
    return found


def running_header_paragraphs(header_style_id: str, title: str, name: str, colour: str,
                              follows_sections: bool) -> dict[str, object]:
    """The header paragraph of each page type of a chapter's Word section: {"default": w:p}, and for a chapter of
    sections {"default": w:p, "first": w:p} (its opening page: LAST_ON_PAGE)."""
    if not follows_sections:
        return {"default": _paragraph(header_style_id, title, colour, [text_run(name)])}
    return {"default": _paragraph(header_style_id, title, colour, field_runs(FIRST_ON_PAGE, name)),
            "first": _paragraph(header_style_id, title, colour, field_runs(LAST_ON_PAGE, name))}


def _paragraph(header_style_id: str, title: str, colour: str, name_runs: list):
    """The title (bold, in `colour`), a tab, then the name's runs."""
    p = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:pStyle", val=header_style_id))
    p.append(ppr)
    title_run = text_run(title)
    rpr = element("w:rPr")
    rpr.append(element("w:b"))
    rpr.append(element("w:color", val=colour))
    title_run.insert(0, rpr)
    p.extend([title_run, tab_run(), *name_runs])
    return p
