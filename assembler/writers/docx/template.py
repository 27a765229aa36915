"""The annual report's Word template, made in code: what templates/docx/report.docx holds.

tools/make_docx_template.py saves it there for designers to restyle in Word.
An installed package has no templates folder, so the writer then makes the
same template in memory (write_docx_report).

The template holds structure: the styles (Title, Heading 1-6, List Bullet/Number
1-3 with real numbering definitions, Caption, Quote, TOC, a branded table
style), an A4 page with margins, the running header and the footer with
"Page X of Y" fields, and a cover whose `{{ partnership }}`, `{{ title }}`,
`{{ period }}`, `{{ date }}` and `{{ logo }}` placeholders docxtpl fills at
build time.
"""

from __future__ import annotations

from datetime import date

from docx.enum.section import WD_ORIENT

from assembler.word_templates import drop_unused_parts, drop_unused_table_styles
from assembler.writers.docx import styles as S
from assembler.writers.docx.numbering import define_numbering
from assembler.writers.docx.ooxml import field_runs, tab_run, text_run
from assembler.writers.docx.settings import set_core_properties, set_theme_language, update_fields_on_open

TEMPLATE_DATE = date(2024, 1, 1)
KEPT_TABLE_STYLES = {"Normal Table", "Table Grid", S.TABLE_STYLE}

# The cover, top to bottom: (style, docxtpl placeholder). docxtpl needs each
# placeholder inside one run, which is why they are written as whole runs here.
COVER = (
    (S.COVER_LOGO, "{{ logo }}"),
    (S.COVER_PARTNERSHIP, "{{ partnership }}"),
    (S.TITLE, "{{ title }}"),
    (S.SUBTITLE, "{{ period }}"),
    (S.COVER_DATE, "Published {{ date }}"),
)


def report_template(brand, language: str, author: str):
    """The template as a python-docx Document, branded (so that it looks right when opened in Word; the
    writer applies the brand again on every build, so a brand change needs no new template)."""
    from docx import Document

    document = Document()
    drop_unused_parts(document)
    _page_setup(document)
    S.ensure_styles(document)
    drop_unused_table_styles(document, KEPT_TABLE_STYLES)
    define_numbering(document, brand.fonts.body)
    S.apply_brand(document, brand, language)
    _cover(document)
    _header_footer(document)
    update_fields_on_open(document)
    set_theme_language(document, language)
    set_core_properties(document, title="Annual report template", author=author,
                        subject="Template for the annual report", language=language, when=TEMPLATE_DATE)
    return document


def _page_setup(document) -> None:
    from assembler.writers.docx.report_layout import page_setup

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    page_setup(section)  # the PDF's page and margins (the writer sets them again on every build)
    section.different_first_page_header_footer = True  # the cover has no running header or footer


def _cover(document) -> None:
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    for style, placeholder in COVER:
        document.add_paragraph(placeholder, style=style)


def _header_footer(document) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.style = document.styles[S.HEADER]
    header.add_run("{{ header_title }}")
    footer = section.footer.paragraphs[0]
    footer.style = document.styles[S.FOOTER]
    p = footer._p
    for run in [text_run("{{ footer }}"), tab_run(), text_run("Page "), *field_runs("PAGE", "1"),
                text_run(" of "), *field_runs("NUMPAGES", "1")]:
        p.append(run)
