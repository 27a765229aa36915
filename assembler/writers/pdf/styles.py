"""Paragraph styles and colours for every PDF the assembler writes, derived from the brand.

The annual report and the one-pagers share these, so a brand change in
report.yaml changes every PDF the same way. Nothing here hard-codes a colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from assembler.brand import HEADING_SCALE, hex_to_rgb
from assembler.writers.pdf.fonts import register_pdf_fonts
from assembler.writers.report_geometry import LEADING, half_points, leading
from assembler.writers.table_widths import cell_font_size
from assembler.config import Brand



def colour(hex_colour: str) -> Color:
    r, g, b = hex_to_rgb(hex_colour)
    return Color(r / 255, g / 255, b / 255)


def mix(hex_colour: str, share: float, background: str = "#FFFFFF") -> Color:
    """A tint: `share` of the colour over the background (for zebra rows and quote fills)."""
    fg, bg = hex_to_rgb(hex_colour), hex_to_rgb(background)
    return Color(*((share * f + (1 - share) * b) / 255 for f, b in zip(fg, bg)))


@dataclass(frozen=True)
class Palette:
    primary: Color
    secondary: Color
    accent: Color
    text: Color
    background: Color
    header_text: Color
    rule: Color
    zebra: Color
    quote_fill: Color
    chart: tuple[Color, ...]


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: str
    fallback_bold: str


@dataclass(frozen=True)
class Styles:
    """Everything a writer needs to set text in the brand."""

    brand: Brand
    body_size: float
    palette: Palette
    fonts: Fonts
    body: ParagraphStyle
    headings: dict[int, ParagraphStyle]
    list_item: ParagraphStyle
    quote: ParagraphStyle
    attribution: ParagraphStyle
    caption: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle
    contents_title: ParagraphStyle
    contents: dict[int, ParagraphStyle]
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_meta: ParagraphStyle
    running: ParagraphStyle  # header and footer text

    def heading(self, level: int) -> ParagraphStyle:
        return self.headings[min(max(level, 1), max(self.headings))]


def make_styles(brand: Brand, body_size: float) -> Styles:
    """Styles for a body size: the report uses the brand's size, a one-pager may set smaller."""
    names = register_pdf_fonts()
    fonts = Fonts(**{role: names[role] for role in ("regular", "bold", "italic", "bold_italic", "fallback", "fallback_bold")})
    c = brand.colours
    palette = Palette(
        primary=colour(c.primary),
        secondary=colour(c.secondary),
        accent=colour(c.accent),
        text=colour(c.text),
        background=colour(c.background),
        header_text=colour(c.header_text),
        rule=mix(c.secondary, 0.45, c.background),
        zebra=mix(c.primary, 0.06, c.background),
        quote_fill=mix(c.secondary, 0.08, c.background),
        chart=tuple(colour(h) for h in c.chart),
    )
    size = body_size
    small = round(size * 0.82, 1)
    body = ParagraphStyle(
        "Body", fontName=fonts.regular, fontSize=size, leading=round(size * LEADING, 1),
        textColor=palette.text, alignment=TA_LEFT, spaceAfter=size * 0.6,
        allowWidows=0, allowOrphans=0,  # never one line of a paragraph alone at the top or foot of a page
        spaceShrinkage=0,  # reportlab would squeeze a line's spaces by 5% to fit a word; Word never does
    )
    headings = {level: _heading_style(level, size, fonts, palette) for level in HEADING_SCALE}
    list_item = ParagraphStyle("ListItem", parent=body, spaceAfter=size * 0.25)
    quote = ParagraphStyle(
        "Quote", parent=body, fontName=fonts.italic, fontSize=half_points(size * 1.05), leading=leading(half_points(size * 1.05)),
        textColor=palette.primary, leftIndent=size, rightIndent=size, backColor=palette.quote_fill, borderPadding=size * 0.8,
        spaceBefore=size * 1.4, spaceAfter=size * 1.6,  # room for the shaded box around the text
    )
    attribution = ParagraphStyle(
        "Attribution", parent=body, fontSize=small, leading=small * LEADING, textColor=palette.text,
        leftIndent=size, rightIndent=size, backColor=palette.quote_fill, borderPadding=size * 0.6, spaceAfter=0,
    )
    caption = ParagraphStyle(
        "Caption", parent=body, fontName=fonts.italic, fontSize=small, leading=round(small * LEADING, 1),
        textColor=palette.text, spaceBefore=size * 0.2, spaceAfter=size * 0.9,
    )
    cell_size = cell_font_size(size)
    cell = ParagraphStyle("Cell", parent=body, fontSize=cell_size, leading=round(cell_size * 1.25, 1), spaceAfter=0)
    header_cell = ParagraphStyle("HeaderCell", parent=cell, fontName=fonts.bold, textColor=palette.header_text)
    contents_title = ParagraphStyle("ContentsTitle", parent=headings[1])
    contents = {
        1: ParagraphStyle("Contents1", parent=body, fontName=fonts.bold, textColor=palette.primary, spaceBefore=size * 0.5, spaceAfter=size * 0.15, rightIndent=28),
        2: ParagraphStyle("Contents2", parent=body, fontSize=half_points(size * 0.95), leftIndent=size * 1.6, spaceAfter=size * 0.1, rightIndent=28),
    }
    cover_title = ParagraphStyle(
        "CoverTitle", parent=body, fontName=fonts.bold, fontSize=size * 3.4, leading=size * 3.9, textColor=palette.primary, spaceAfter=size,
    )
    cover_subtitle = ParagraphStyle(
        "CoverSubtitle", parent=body, fontName=fonts.bold, fontSize=size * 1.7, leading=size * 2.2, textColor=palette.secondary, spaceAfter=size * 0.6,
    )
    cover_meta = ParagraphStyle("CoverMeta", parent=body, fontSize=size * 1.1, leading=size * 1.6, spaceAfter=size * 0.3)
    running = ParagraphStyle("Running", parent=body, fontSize=small, leading=small * 1.2, textColor=palette.text)
    return Styles(
        brand=brand, body_size=size, palette=palette, fonts=fonts, body=body, headings=headings, list_item=list_item,
        quote=quote, attribution=attribution, caption=caption, cell=cell, header_cell=header_cell,
        contents_title=contents_title, contents=contents, cover_title=cover_title, cover_subtitle=cover_subtitle,
        cover_meta=cover_meta, running=running,
    )


def _heading_style(level: int, body_size: float, fonts: Fonts, palette: Palette) -> ParagraphStyle:
    """H1/H2 in the primary colour, H3 in the secondary, deeper levels in the text colour; all bold."""
    size = half_points(body_size * HEADING_SCALE[level])  # as Word sets it
    text_colour = palette.primary if level <= 2 else palette.secondary if level == 3 else palette.text
    return ParagraphStyle(
        f"Heading{level}", fontName=fonts.bold, fontSize=size, leading=round(size * 1.2, 1), textColor=text_colour,
        spaceBefore=body_size * (1.6 if level <= 2 else 1.1), spaceAfter=body_size * (0.7 if level <= 2 else 0.4),
        keepWithNext=1,  # a heading never ends a page alone
        spaceShrinkage=0,  # as the body: Word never squeezes spaces
    )
