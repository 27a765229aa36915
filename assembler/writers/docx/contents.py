"""The contents: a real TOC field whose cached result already carries every entry and its page number.

Every reader shows the cached result as it is written (Word in Protected View
or a preview pane, LibreOffice, a phone's viewer), so the entries and their
page numbers are written by the writer; Word also refreshes the field on open
(settings: w:updateFields). The page numbers are the DOCX's own pages as
LibreOffice lays it out, or the PDF's when LibreOffice is not installed
(writers/docx/page_numbers.py); until they are known each entry says "0".

The entries are the PDF's: every chapter (Heading 1) and every section inside
the chapters (the agencies, case studies), which are real level-2 headings in
a style of their own (Section Heading, based on Heading 2), so the field lists
them (\\t) without listing every sub-heading a chapter has in Heading 2.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assembler.writers.docx import styles as S
from assembler.writers.docx.blocks import OutlineEntry
from assembler.writers.docx.ooxml import element, field_char_run, instruction_run, tab_run, text_run

CONTENTS_TITLE = "Contents"
TOC_INSTRUCTION = f'TOC \\o "1-1" \\h \\z \\t "{S.SECTION_HEADING},2"'
UNKNOWN_PAGE = "0"  # same width as a short page number: the entry's line does not change when it is filled in


def add_contents_heading(document):
    """The 'Contents' title, on a page of its own; entries are added once the body is written."""
    return document.add_paragraph(CONTENTS_TITLE, style=S.TOC_HEADING)


def fill_contents(document, after_paragraph, outline: list[OutlineEntry]) -> list:
    """Insert the field's paragraphs right after the contents title; return each entry's page-number text
    node (w:t), in order, for `set_contents_pages`."""
    entries = outline or [OutlineEntry(1, "No headings", "")]
    paragraphs, numbers = [], []
    for index, entry in enumerate(entries):
        p = _paragraph(document.styles[S.toc_style(entry.level)].style_id)
        if index == 0:
            p.append(field_char_run("begin", dirty=True))
            p.append(instruction_run(TOC_INSTRUCTION))
            p.append(field_char_run("separate"))
        if entry.bookmark:
            link = element("w:hyperlink", anchor=entry.bookmark, history="1")
            link.append(text_run(entry.text))
            link.append(tab_run())
            # Word's own form of an entry's number: a PAGEREF to the heading's bookmark, its result cached.
            link.append(field_char_run("begin"))
            link.append(instruction_run(f"PAGEREF {entry.bookmark} \\h"))
            link.append(field_char_run("separate"))
            number = text_run(UNKNOWN_PAGE)
            link.append(number)
            link.append(field_char_run("end"))
            numbers.append(number.find(qn("w:t")))
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
    return numbers


def set_contents_pages(number_nodes: list, pages: list[int | None]) -> None:
    """Write each entry's page number into the cached result (None: the page is not known, '0' stays)."""
    for node, page in zip(number_nodes, pages):
        node.text = str(page) if page else UNKNOWN_PAGE


def _paragraph(style_id: str):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    p.append(ppr)
    return p
