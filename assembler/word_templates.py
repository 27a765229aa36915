"""The Word files the assembler's DOCX outputs start from, made by tools/make_docx_template.py."""

from __future__ import annotations

from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"
# The annual report's styles, cover, header and footer (docxtpl placeholders on the cover).
REPORT_TEMPLATE = TEMPLATE_DIR / "report.docx"
# python-docx's default template without its preview picture of a blank page, Word 2010's second copy of the
# styles and a hundred unused table styles: the one-pagers, the agencies' blank Word returns and the blank
# 7-minute briefing start here.
PLAIN_TEMPLATE = TEMPLATE_DIR / "plain.docx"
PLAIN_TABLE_STYLES = {"Normal Table", "Table Grid"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def plain_document():
    """A python-docx Document opened from PLAIN_TEMPLATE; where the file is missing (a package installed
    without the repository's templates folder), the same slim document made in memory."""
    from docx import Document

    return Document(str(PLAIN_TEMPLATE)) if PLAIN_TEMPLATE.is_file() else slim_default_document()


def slim_default_document():
    """python-docx's default template without the parts and table styles no writer uses: what
    PLAIN_TEMPLATE holds (tools/make_docx_template.py saves it there)."""
    from docx import Document

    document = Document()
    drop_unused_parts(document)
    drop_unused_table_styles(document, PLAIN_TABLE_STYLES)
    return document


def drop_unused_parts(document) -> None:
    """python-docx's default template carries a preview image of a blank page and Word 2010's second copy
    of the styles (stylesWithEffects), which no writer ever reaches: both removed."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package_rels = document.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[r_id]
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document.part.rels[r_id]
    settings = document.settings.element
    for node in settings.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}savePreviewPicture"):
        settings.remove(node)


def drop_unused_table_styles(document, keep: set[str]) -> None:
    """The default template's hundred-odd Office table styles: unused, and they slow every style lookup."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles.element
    for style in list(document.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            styles.remove(style.element)
