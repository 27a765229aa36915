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
finds the chapter's own heading when no section has started yet (its opening
page, or a long introduction), never a section of an earlier chapter. On a
chapter's opening page Word therefore names the chapter, where the PDF names an
agency that starts lower on that page (the sample's first agency).

Readers that do not evaluate the field print its cached result on every page:
LibreOffice up to 7.5 (7.6 added STYLEREF), previews. The cached result is the
chapter's name, which is what a chapter without sections prints as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from assembler.writers.docx.ooxml import element, field_runs, insert_in_order, tab_run, text_run

RUNNING_HEAD = "Running Head"  # the character style the header's STYLEREF field looks for
FIELD = f'STYLEREF "{RUNNING_HEAD}" \\* MERGEFORMAT'  # MERGEFORMAT: Word keeps the header's look on update


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


def header_paragraph(header_style_id: str, title: str, name: str, colour: str, follows_sections: bool):
    """The header's one paragraph: the title (bold, in `colour`), a tab, then the chapter's `name` as text or,
    when `follows_sections`, a STYLEREF field whose cached result is `name`."""
    p = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:pStyle", val=header_style_id))
    p.append(ppr)
    title_run = text_run(title)
    rpr = element("w:rPr")
    rpr.append(element("w:b"))
    rpr.append(element("w:color", val=colour))
    title_run.insert(0, rpr)
    p.extend([title_run, tab_run()])
    p.extend(field_runs(FIELD, name) if follows_sections else [text_run(name)])
    return p
