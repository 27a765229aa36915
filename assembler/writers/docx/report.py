"""The annual report as a Word document, from the document model and the brand.

    write_docx_report(document, path)

Cover (docxtpl fills the template's placeholders), contents (a TOC field Word
refreshes on open, pre-filled with the headings), then every section: level-1
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
from pathlib import Path

from assembler.deterministic_zip import normalise_zip
from assembler.document import Document
from assembler.print_edition import for_print
from assembler.word_templates import REPORT_TEMPLATE
from assembler.writers.docx.blocks import BlockWriter, add_blocks, space_after_tables
from assembler.writers.docx.contents import add_contents_entry_field, add_contents_heading, fill_contents
from assembler.writers.docx.cover import render_cover
from assembler.writers.docx.settings import set_core_properties, set_theme_language, update_fields_on_open
from assembler.writers.docx.styles import apply_brand

CONTENTS_LEVELS = 2  # as in the PDF: chapters and the sections inside them (the agencies)


def write_docx_report(document: Document, path: Path, template: Path = REPORT_TEMPLATE) -> None:
    document = for_print(document)  # links carry their address: the Word report is printed for board papers
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
    apply_brand(docx, document.brand, document.language)
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

    contents_heading = add_contents_heading(docx)
    writer = BlockWriter(docx, document.brand, document.inputs, document.charts)
    contents = []  # the PDF's contents: chapters and agency sections, not the chapters' own sub-headings
    for section in document.sections:
        heading = writer.heading(docx, section.title, section.level)
        if section.level <= CONTENTS_LEVELS:
            contents.append(writer.outline[-1])
            if section.level > 1:
                add_contents_entry_field(heading, section.title, section.level)
        add_blocks(docx, section.blocks, writer)
    fill_contents(docx, contents_heading, contents)
    space_after_tables(docx.element.body)

    buffer = io.BytesIO()
    docx.save(buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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
