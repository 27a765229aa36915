"""Shared pieces of the one-page PDFs: type at a given size, the block renderer's compact look, measuring, drawing.

One-pagers are drawn on a single canvas at positions this package computes,
not flowed by a DocTemplate: the layout must be known exactly before anything
is drawn, so it can be measured, shrunk and handed to the DOCX writer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from assembler.document.charts import ChartData
from assembler.writers.one_page_geometry import LEADING, MARGIN, PAGE_HEIGHT, PAGE_WIDTH  # noqa: F401  (handed on)
from assembler.writers.pdf.blocks import BlockWriter, Compact
from assembler.writers.pdf.markup import paragraph, text_markup
from assembler.writers.pdf.styles import Styles, make_styles, mix
from assembler.writers.pdf.tagging import TagTree



@dataclass(frozen=True)
class PageType:
    """Every style a one-pager uses, at one body size."""

    size: float
    styles: Styles
    body: ParagraphStyle
    list_item: ParagraphStyle
    box_heading: ParagraphStyle
    title: ParagraphStyle
    kicker: ParagraphStyle  # the small line above a title
    meta: ParagraphStyle
    small: ParagraphStyle

    @property
    def leading(self) -> float:
        return self.body.leading

    @property
    def bullet_indent(self) -> float:
        return round(self.size * 1.2, 2)


def page_type(brand, size: float) -> PageType:
    styles = make_styles(brand, size)
    fonts, palette = styles.fonts, styles.palette
    lead = round(size * LEADING, 2)
    body = ParagraphStyle("OneBody", parent=styles.body, fontSize=size, leading=lead, spaceBefore=0, spaceAfter=round(size * 0.35, 2))
    list_item = ParagraphStyle("OneListItem", parent=body, spaceAfter=round(size * 0.2, 2))
    heading_size = round(size * 1.15, 2)
    box_heading = ParagraphStyle(
        "OneBoxHeading", parent=body, fontName=fonts.bold, fontSize=heading_size, leading=round(heading_size * 1.15, 2),
        textColor=palette.primary, spaceAfter=0,
    )
    title_size = round(size * 2.0, 2)
    title = ParagraphStyle("OneTitle", parent=body, fontName=fonts.bold, fontSize=title_size, leading=round(title_size * 1.12, 2), spaceAfter=0)
    kicker = ParagraphStyle("OneKicker", parent=body, fontName=fonts.bold, fontSize=size, leading=lead, spaceAfter=round(size * 0.15, 2))
    meta = ParagraphStyle("OneMeta", parent=body, spaceAfter=0)
    small_size = round(size * 0.85, 2)
    small = ParagraphStyle("OneSmall", parent=body, fontSize=small_size, leading=round(small_size * 1.2, 2), spaceAfter=0)
    return PageType(size=size, styles=styles, body=body, list_item=list_item, box_heading=box_heading, title=title, kicker=kicker, meta=meta, small=small)


def with_colour(style: ParagraphStyle, colour_: Color, name: str) -> ParagraphStyle:
    return ParagraphStyle(name, parent=style, textColor=colour_)


def tint(hex_colour: str, share: float, background: str = "#FFFFFF") -> Color:
    return mix(hex_colour, share, background)


def para(text: str, style: ParagraphStyle, styles: Styles) -> Paragraph:
    """A paragraph of plain text (escaped, with glyph fallback)."""
    return paragraph(text_markup(text, styles), style)


def block_writer(t: PageType, tree: TagTree, inputs: Path, charts: dict[str, ChartData], width: float) -> BlockWriter:
    """The report's block renderer in the one-pagers' compact look, for a box `width` wide."""
    return BlockWriter(t.styles, tree, inputs, charts, width, Compact(t.body, t.list_item, t.bullet_indent))


class BadgeHeading(Flowable):
    """A numbered circle and the heading beside it; the number is part of the heading's text."""

    def __init__(self, number: int, heading: str, t: PageType, fill: Color, number_colour: Color):
        super().__init__()
        self.number = number
        self.t = t
        self.fill = fill
        self.number_colour = number_colour
        self.diameter = round(t.size * 2.1, 2)
        self.gap = round(t.size * 0.6, 2)
        self.paragraph = para(heading, t.box_heading, t.styles)

    def wrap(self, available_width: float, available_height: float):
        _, text_height = self.paragraph.wrap(available_width - self.diameter - self.gap, available_height)
        self.width, self.height = available_width, max(self.diameter, text_height)
        self.text_height = text_height
        return self.width, self.height

    def draw(self) -> None:
        c, r = self.canv, self.diameter / 2
        top = self.height
        c.saveState()
        c.setFillColor(self.fill)
        c.circle(r, top - r, r, stroke=0, fill=1)
        c.setFillColor(self.number_colour)
        size = round(self.t.size * 1.25, 2)
        c.setFont(self.t.styles.fonts.bold, size)
        c.drawCentredString(r, top - r - size * 0.36, str(self.number))
        c.restoreState()
        self.paragraph.drawOn(c, self.diameter + self.gap, top - r - self.text_height / 2 if self.text_height < self.diameter else 0)


@lru_cache(maxsize=1)
def _scratch_canvas() -> Canvas:
    """Some flowables (lists) need a canvas just to measure; this one is never saved."""
    return Canvas(io.BytesIO(), pagesize=A4)


def measure(f: Flowable, width: float) -> float:
    _, h = f.wrapOn(_scratch_canvas(), width, PAGE_HEIGHT)
    return h


def stack_height(flowables: Sequence[Flowable], width: float) -> float:
    """Height of flowables stacked top to bottom, as drawn by draw_stack (space after each but the last)."""
    total = 0.0
    for i, f in enumerate(flowables):
        h = measure(f, width)
        total += h + (_space_after(f) if i < len(flowables) - 1 else 0)
    return total


def draw_stack(canvas: Canvas, flowables: Sequence[Flowable], x: float, top: float, width: float) -> float:
    """Draw flowables downward from `top`; returns the y where they end."""
    y = top
    for i, f in enumerate(flowables):
        _, h = f.wrapOn(canvas, width, PAGE_HEIGHT)
        y -= h
        f.drawOn(canvas, x, y)
        if i < len(flowables) - 1:
            y -= _space_after(f)
    return y


def _space_after(f: Flowable) -> float:
    return float(f.getSpaceAfter()) if hasattr(f, "getSpaceAfter") else 0.0


def line_count(flowables: Sequence[Flowable]) -> int:
    """Lines of text in paragraphs that have been wrapped."""
    count = 0
    for f in flowables:
        items = getattr(f, "list_items", None)
        if items is not None:
            count += line_count([x for _, body in items for x in body])
            continue
        if isinstance(f, BadgeHeading):
            f = f.paragraph
        lines = getattr(getattr(f, "blPara", None), "lines", None)
        count += len(lines) if lines else 1
    return count


def words(text: str) -> int:
    return len(text.split())


def new_canvas(path: Path, title: str, lang: str, font: str) -> Canvas:
    # initialFontName: else reportlab starts the page in Helvetica, which it does not embed (a print shop's
    # preflight and stricter PDF/UA checkers report it, though no glyph is drawn in it)
    canvas = Canvas(str(path), pagesize=A4, invariant=1, lang=lang, initialFontName=font)
    canvas.setTitle(title)
    canvas.setCreator("assembler")
    canvas.setAuthor("")
    return canvas

