"""The annual report as a Word document, from the document model and the brand.

    write_docx_report(document, path)

Cover (docxtpl fills the template's placeholders), contents (a TOC field Word
refreshes on open, pre-filled with the entries and, given `contents_pages`,
their page numbers), then every section: level-1
sections start a new page (Heading 1 has "page break before"), headings follow
the outline without skipping a level, tables repeat their header row, pictures
and charts carry alt text. Title, author, subject and language are set; dates
are the publication date and the zip is normalised, so the same document gives
the same bytes.

Why docxtpl as well as python-docx: the cover, running header and footer are
designed in templates/docx/report.docx (made by tools/make_docx_template.py)
and only their values come from the model, so a designer can restyle them in
Word; the body is generated, which is python-docx's strength. The brand's
colours, fonts and language are re-applied from `Document.brand` on every
build, so report.yaml stays the one brand definition.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from docx.oxml.ns import qn

from assembler.deterministic_zip import normalise_zip
from assembler.document import Document
from assembler.document.print_edition import for_print
from assembler.word_templates import REPORT_TEMPLATE
from assembler.writers.docx import styles as S
from assembler.writers.docx.blocks import BlockWriter, OutlineEntry, add_blocks
from assembler.writers.docx.contents import CONTENTS_TITLE, add_contents_heading, fill_contents, set_contents_pages
from assembler.writers.docx.cover import render_cover
from assembler.writers.docx.pages import chapter_sections, cover_bands
from assembler.writers.docx.ooxml import set_property
from assembler.writers.docx.running_headers import chapters_with_sections, ensure_running_head_style, mark_running_head
from assembler.writers.docx.spacing import match_pdf_spacing
from assembler.writers.docx.settings import set_core_properties, set_theme_language, update_fields_on_open
from assembler.writers.docx.report_layout import (TABLE_GAP, TEXT_WIDTH as REPORT_TEXT_WIDTH, apply_report_layout, cover_starts_below_band,
                                                  page_setup, space_after_lists)
from assembler.writers.docx.styles import apply_brand

CONTENTS_LEVELS = 2  # as in the PDF: chapters and the sections inside them (the agencies)


class ContentsPages(Protocol):
    """Gives the page of each contents entry (None: unknown), given the DOCX as written with '0' for every page
    and its entries (writers/docx/page_numbers.py: LibreOffice's layout of that file, or the PDF's). One with
    `reads_docx = False` (the PDF's) does not read that file, which is then written once, with the numbers."""

    def __call__(self, docx: Path, entries: list[OutlineEntry]) -> list[int | None]: ...


class PageStarts(Protocol):
    """Whether each contents entry starts a page in the PDF (writers/docx/page_numbers.py): a section the PDF
    moves to a new page (its print rules, its keep rules) starts one in the DOCX too."""

    def __call__(self, entries: list[OutlineEntry]) -> list[bool]: ...


PageFacts = tuple[ContentsPages | None, PageStarts | None, "frozenset[str] | set[str]"]


def write_docx_report(document: Document, path: Path, template: Path = REPORT_TEMPLATE,
                      contents_pages: ContentsPages | None = None, page_starts: PageStarts | None = None,
                      print_breaks: frozenset[str] | set[str] = frozenset(),
                      page_facts: Callable[[], PageFacts] | None = None) -> None:
    """Write the report; with `contents_pages`, the contents' cached result gets its page numbers (the file
    is written, its pages found, and written again with them: the numbers do not move any line); with
    `page_starts`, the sections the PDF starts on a new page start one in the DOCX, and so does what the PDF's
    print rules start a page with (`print_breaks`, named as writers/pdf/print_rules.py names them).
    `page_facts`, if given, gives those three instead, asked once every block is composed: the PDF they come
    from may still be being laid out while the blocks are."""
    document = for_print(document)  # links carry their address: the Word report is printed for board papers
    draft = _compose_blocks(document, template)
    if page_facts is not None:
        contents_pages, page_starts, print_breaks = page_facts()
    docx, contents, number_nodes = _finish(draft, document, page_starts, print_breaks)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if contents_pages is not None and not getattr(contents_pages, "reads_docx", True):
        set_contents_pages(number_nodes, contents_pages(path, contents))
        _save(docx, path, document)
        return
    _save(docx, path, document)
    if contents_pages is not None:
        set_contents_pages(number_nodes, contents_pages(path, contents))
        _save(docx, path, document)


@dataclass
class _Draft:
    """The report with every block in it, before what it takes from the PDF's pages (_finish)."""

    docx: Any
    contents_heading: Any
    contents: list  # the PDF's contents: chapters and the sections inside them, not the chapters' own sub-headings
    chapters: list  # (heading paragraph, title): each chapter a Word section, its name in the running header
    headings: list  # each contents entry's heading paragraph
    section_headings: list  # every section's heading paragraph, as the PDF opens a section before each
    firsts: list  # per section, each block's first element (None for a block that adds none)


def _compose_blocks(document: Document, template: Path) -> _Draft:
    docx = render_cover(
        template if template.is_file() else _template_in_memory(document),
        partnership=document.partnership,
        title=document.title,
        period=document.period,
        when=document.date,
        header_title=document.full_title,
        footer=document.brand.footer,
        logo=document.logo,
        logo_alt=document.brand.logo_alt,
    )
    S.ensure_styles(docx)  # a template made before a style was added still gets it
    apply_brand(docx, document.brand, document.language)
    apply_report_layout(docx, document.brand)
    for section in docx.sections:
        page_setup(section)
    update_fields_on_open(docx)
    set_theme_language(docx, document.language)
    set_core_properties(
        docx,
        title=f"{document.partnership} {document.title} {document.period}",
        author=document.partnership,
        subject=f"{document.title} {document.period}",
        language=document.language,
        when=document.date,
        keywords=f"safeguarding, children, {document.short_name}, {document.period}",
    )

    draft = _Draft(docx, add_contents_heading(docx), [], [], [], [], [])
    writer = BlockWriter(docx, document.brand, document.inputs, document.charts, width=int(REPORT_TEXT_WIDTH))
    running_head = ensure_running_head_style(docx)
    for section in document.sections:
        style = S.SECTION_HEADING if section.level == S.SECTION_LEVEL else None
        heading = writer.heading(docx, section.title, section.level, style=style)
        draft.section_headings.append(heading._p)
        if section.level <= S.SECTION_LEVEL:  # what the running header's field finds (running_headers.py)
            mark_running_head(heading._p, running_head)
        if section.level == 1:
            draft.chapters.append((heading._p, section.title))
        if section.level <= CONTENTS_LEVELS:
            draft.contents.append(writer.outline[-1])
            draft.headings.append(heading)
        firsts: list = []
        add_blocks(docx, section.blocks, writer, firsts)
        draft.firsts.append(firsts)
    return draft


def _finish(draft: _Draft, document: Document, page_starts: PageStarts | None = None, print_breaks=frozenset()):
    """The draft with the PDF's page starts and print breaks, its contents, spacing, cover and Word sections."""
    docx, contents_heading, contents = draft.docx, draft.contents_heading, draft.contents
    breaks = []  # what the PDF's print rules start a page with
    for number, (heading, firsts) in enumerate(zip(draft.section_headings, draft.firsts)):
        if f"s{number}" in print_breaks:
            breaks.append(heading)
        breaks += [first for index, first in enumerate(firsts) if first is not None and f"b{number}.{index}" in print_breaks]
    if page_starts is not None:
        for heading, starts in zip(draft.headings, page_starts(contents)):
            if starts:
                heading.paragraph_format.page_break_before = True
    number_nodes = fill_contents(docx, contents_heading, contents)
    entry = contents_heading._p.getnext()
    for index in range(len(contents)):
        if f"c{index}" in print_breaks:
            breaks.append(entry)
        entry = entry.getnext()
    _break_before(breaks)
    space_after_lists(docx.element.body, document.brand)
    # The contents' first entry follows the PDF's marker opening its TOC element, as a section's heading does.
    first_entry = contents_heading._p.getnext()
    match_pdf_spacing(docx.element.body, docx.styles.element, table_after=round(document.brand.fonts.body_size * TABLE_GAP * 20),
                      section_headings=draft.section_headings + [first_entry])
    cover_bands(docx, document.brand)
    cover_starts_below_band(docx.element.body)
    chapter_sections(docx, draft.chapters, document.full_title, CONTENTS_TITLE, document.brand,
                     by_section=chapters_with_sections(section.level for section in document.sections))
    return docx, contents, number_nodes


def _break_before(elements: list) -> None:
    """A page break before each paragraph, or before a table's first row."""
    for first in elements:
        if first.tag == qn("w:tbl"):
            first = first.find(f"{qn('w:tr')}/{qn('w:tc')}/{qn('w:p')}")
        set_property(first.get_or_add_pPr(), "w:pageBreakBefore")


def _save(docx, path: Path, document: Document) -> None:
    buffer = io.BytesIO()
    docx.save(buffer)
    path.write_bytes(buffer.getvalue())
    d = document.date
    normalise_zip(path, date_time=(d.year, d.month, d.day, 0, 0, 0))


def _template_in_memory(document: Document) -> io.BytesIO:
    """The default template, made as tools/make_docx_template.py makes the file: for a package installed
    without the repository's templates folder."""
    from assembler.writers.docx.template import report_template

    buffer = io.BytesIO()
    report_template(document.brand, document.language, document.partnership).save(buffer)
    buffer.seek(0)
    return buffer
