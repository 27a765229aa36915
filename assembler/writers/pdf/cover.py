"""The cover: logo, partnership, title, period and publication date, under the brand's colour band."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image as PdfImage, Paragraph as PdfParagraph, Spacer

from assembler.document import Document
from assembler.errors import InputError
from assembler.writers.pdf.markup import text_markup
from assembler.writers.pdf.styles import Styles
from assembler.writers.pdf.tagging import TagTree

LOGO_HEIGHT = 38 * mm


def publication_date(document: Document) -> str:
    """'31 July 2024': the fixed date from report.yaml, never today's."""
    return f"{document.date.day} {document.date:%B %Y}"


def cover_flowables(document: Document, styles: Styles, tree: TagTree) -> list[Flowable]:
    def para(text: str, style, role: str = "P") -> Flowable:
        return tree.element(PdfParagraph(text_markup(text, styles), style), role)

    story: list[Flowable] = [tree.open("Div", title="Cover"), Spacer(0, 10 * mm)]
    logo = document.logo
    if logo is not None:
        try:
            width, height = ImageReader(str(logo)).getSize()
        except OSError:
            raise InputError(str(logo), "the logo cannot be read", "put a PNG logo there, or correct brand.logo in report.yaml", field="brand.logo", code="logo_unreadable") from None
        image = PdfImage(str(logo), width=LOGO_HEIGHT * width / height, height=LOGO_HEIGHT, hAlign="LEFT")
        story += [tree.element(image, "Figure", alt=document.brand.logo_alt), Spacer(0, 14 * mm)]
    story += [
        para(document.partnership, styles.cover_subtitle),
        para(document.title, styles.cover_title),
        para(document.period, styles.cover_subtitle),
        Spacer(0, 12 * mm),
        para(f"Published {publication_date(document)}", styles.cover_meta),
        tree.close(),
    ]
    return story
