"""The contents: a real TOC field, pre-filled with the headings so every reader shows them.

Word rebuilds the field on open (settings: w:updateFields) and adds page
numbers; LibreOffice and other readers show the pre-filled entries, each a
link to its heading's bookmark.

The entries are the PDF's: every chapter (Heading 1) and every agency section.
Agency headings are Heading 2 like a chapter's own sub-headings, so they carry
a hidden TC field that the TOC's \f switch collects, instead of listing every
Heading 2 (which tripled the contents' length).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assembler.writers.docx import styles as S
from assembler.writers.docx.blocks import OutlineEntry
from assembler.writers.docx.ooxml import element, field_char_run, instruction_run, text_run

CONTENTS_TITLE = "Contents"
TOC_INSTRUCTION = r'TOC \o "1-1" \f \l "2-2" \h \z \u'


def add_contents_entry_field(paragraph, text: str, level: int) -> None:
    """A hidden TC field marking this heading as a contents entry at `level` (collected by TOC \f)."""
    clean = text.replace('"', "\u201d")
    paragraph._p.append(field_char_run("begin"))
    paragraph._p.append(instruction_run(f'TC "{clean}" \\l {level}'))
    paragraph._p.append(field_char_run("end"))


def add_contents_heading(document):
    """The 'Contents' title, on a page of its own; entries are added once the body is written."""
    return document.add_paragraph(CONTENTS_TITLE, style=S.TOC_HEADING)


def fill_contents(document, after_paragraph, outline: list[OutlineEntry]) -> None:
    """Insert the field's paragraphs right after the contents title."""
    entries = outline or [OutlineEntry(1, "No headings", "")]
    paragraphs = []
    for index, entry in enumerate(entries):
        p = _paragraph(document.styles[S.toc_style(entry.level)].style_id)
        if index == 0:
            p.append(field_char_run("begin", dirty=True))
            p.append(instruction_run(TOC_INSTRUCTION))
            p.append(field_char_run("separate"))
        if entry.bookmark:
            link = element("w:hyperlink", anchor=entry.bookmark, history="1")
            link.append(text_run(entry.text))
            # No page number in the cached result: the writer cannot know Word's page breaks, and
            # LibreOffice shows cached TOC text as it is (a PAGEREF there stays empty). Word adds
            # the numbers when it refreshes the field on open.
            p.append(link)
        else:
            p.append(text_run(entry.text))
        if index == len(entries) - 1:
            p.append(field_char_run("end"))
        paragraphs.append(p)
    anchor = after_paragraph._p
    for p in paragraphs:
        anchor.addnext(p)
        anchor = p


def _paragraph(style_id: str):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    p.append(ppr)
    return p
