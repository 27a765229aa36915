"""The Word report laid out like the PDF: the same page, margins, type sizes, leading, spacing and keep rules.

The PDF (writers/pdf/page.py and styles.py, on writers/report_geometry.py) is the design; this applies its
numbers to the DOCX's styles, so the two lay out within a page of each other
and the contents' page numbers agree. Only the annual report calls it: the
one-pagers keep their own, tighter styles (styles.apply_brand).

Line spacing is "at least" the PDF's leading: Word's single spacing for
Arial/Liberation Sans is 1.15 of the size, the PDF's 1.35, and "at least"
still lets a taller picture or script open the line up.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from assembler.brand import HEADING_SCALE
from assembler.config import Brand
from assembler.writers.docx import styles as S
from assembler.writers.table_widths import CELL_PADDING, cell_font_size
from assembler.writers.docx.ooxml import element, insert_in_order, set_property
from assembler.writers.report_geometry import (BOTTOM_MARGIN, FOOTER_Y, HEADER_Y, LEFT_MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RIGHT_MARGIN,
                                               TOP_MARGIN, LEADING, half_points, leading)

# The PDF's page, in points (A4).
TEXT_WIDTH = Emu(int(Pt(PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN)))
TEXT_WIDTH_TWIPS = int(TEXT_WIDTH.twips)
RUNNING_SIZE = 0.82  # the header and footer, as the PDF's "small"
LIST_GAP = 0.75  # space below a list, in body sizes: its last item's 0.25 and the PDF's half-line gap after the list
ROW_RULE_EIGHTHS = 3  # the rule under each table row, in eighths of a point (the PDF's 0.4 pt, near enough)
TABLE_GAP = 0.8  # space below a table, in body sizes, as the PDF leaves it


def page_setup(section) -> None:
    """Margins and header/footer positions of the PDF's body pages (header baseline 15 mm from the top, footer
    baseline 12 mm from the bottom: Word measures to the text's top and bottom, about 3 mm less)."""
    section.page_width, section.page_height = S.PAGE_WIDTH, S.PAGE_HEIGHT
    section.left_margin, section.right_margin = Emu(int(Pt(LEFT_MARGIN))), Emu(int(Pt(RIGHT_MARGIN)))
    section.top_margin, section.bottom_margin = Emu(int(Pt(TOP_MARGIN))), Emu(int(Pt(BOTTOM_MARGIN)))
    section.header_distance = Emu(int(Pt(PAGE_HEIGHT - HEADER_Y)) - int(Mm(3)))
    section.footer_distance = Emu(int(Pt(FOOTER_Y)) - int(Mm(1.5)))


def apply_report_layout(document, brand: Brand) -> None:
    """The PDF's type and spacing on the report's styles (after styles.apply_brand has set fonts and colours)."""
    size = brand.fonts.body_size
    c = brand.colours
    hex_ = lambda colour: colour.lstrip("#").upper()  # noqa: E731
    styles = document.styles
    body_line = leading(size)  # every number below is the PDF style's, rounded as the PDF rounds it

    def spacing(name: str, before: float | None, after: float | None, line: float | None = None, **extra) -> None:
        ppr = styles[name].element.get_or_add_pPr()
        node = element("w:spacing")
        if before is not None:
            node.set(qn("w:before"), str(round(before * 20)))
        if after is not None:
            node.set(qn("w:after"), str(round(after * 20)))
        if line is not None:
            node.set(qn("w:line"), str(round(line * 20)))
            node.set(qn("w:lineRule"), "atLeast")
        insert_in_order(ppr, node)
        for tag, value in extra.items():
            set_property(ppr, f"w:{tag}", val=value)

    def run(name: str, *, size_pt: float | None = None, colour: str | None = None, italic: bool | None = None) -> None:
        rpr = styles[name].element.get_or_add_rPr()
        if size_pt:
            set_property(rpr, "w:sz", val=str(round(size_pt * 2)))
            set_property(rpr, "w:szCs", val=str(round(size_pt * 2)))
        if colour:
            set_property(rpr, "w:color", val=colour)
        if italic is not None:
            set_property(rpr, "w:i", val="1" if italic else "0")

    _cover(styles, size, c, hex_)
    # Body: the PDF's leading and paragraph gap; never one line of a paragraph alone at a page's top or foot.
    spacing(S.NORMAL, 0, size * 0.6, body_line, widowControl="1")
    for level, name in [(n, S.heading_style(n)) for n in range(1, S.MAX_HEADING + 1)] + [(S.SECTION_LEVEL, S.SECTION_HEADING)]:
        heading_size = half_points(size * HEADING_SCALE.get(level, 1.0))
        before = 0 if level == 1 else size * (1.6 if level <= 2 else 1.1)  # a chapter opens at the top of its page
        spacing(name, before, size * (0.7 if level <= 2 else 0.4), leading(heading_size, 1.2))
        colour = c.primary if level <= 2 else c.secondary if level == 3 else c.text
        run(name, size_pt=heading_size, colour=hex_(colour))
    spacing(S.TOC_HEADING, 0, size * 0.7, leading(half_points(size * HEADING_SCALE[1]), 1.2))
    run(S.TOC_HEADING, size_pt=half_points(size * HEADING_SCALE[1]), colour=hex_(c.primary))
    spacing("TOC 1", size * 0.5, size * 0.15, body_line)
    run("TOC 1", colour=hex_(c.primary))
    spacing("TOC 2", 0, size * 0.1, body_line)
    run("TOC 2", size_pt=half_points(size * 0.95))
    _indent(styles["TOC 2"], left=size * 1.6)
    for ordered in (False, True):
        for depth in range(1, S.LIST_LEVELS + 1):
            name = S.list_style(ordered, depth)
            spacing(name, 0, size * 0.25, body_line)
            for contextual in styles[name].element.get_or_add_pPr().findall(qn("w:contextualSpacing")):
                contextual.getparent().remove(contextual)  # the PDF spaces its items apart too
    small = round(size * 0.82, 1)
    spacing(S.CAPTION, size * 0.2, size * 0.9, leading(small))
    cell = cell_font_size(size)
    for name in (S.TABLE_TEXT, S.TABLE_HEADER_TEXT):
        spacing(name, 0, 0, leading(cell, 1.25))
        run(name, size_pt=cell)
    borders = styles[S.TABLE_STYLE].element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    if borders is not None:  # the PDF's table: a thin rule under every row, no vertical lines
        row_rule = _tint(c.secondary, 0.45, c.background)
        for side in borders:
            name = side.tag.rsplit("}", 1)[-1]
            if name in ("insideH", "bottom"):
                side.set(qn("w:val"), "single")
                side.set(qn("w:sz"), str(ROW_RULE_EIGHTHS))
                side.set(qn("w:color"), row_rule)
            else:
                side.set(qn("w:val"), "nil")
                for attribute in ("w:sz", "w:space", "w:color"):
                    side.attrib.pop(qn(attribute), None)
    margins = styles[S.TABLE_STYLE].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    if margins is not None:  # the PDF's cell padding: 2.8 pt above, 4 pt below and at the sides
        # LibreOffice adds a row's rule to its height, the PDF draws it over the padding: the rule comes off below.
        below = CELL_PADDING - ROW_RULE_EIGHTHS / 8
        for side, points in (("top", CELL_PADDING * 0.7), ("left", CELL_PADDING), ("bottom", below), ("right", CELL_PADDING)):
            node = margins.find(qn(f"w:{side}"))
            if node is not None:
                node.set(qn("w:w"), str(round(points * 20)))
    # The quote in a tinted box, in the primary colour, as the PDF sets it.
    spacing(S.QUOTE, size * 1.4, size * 0.4, leading(half_points(size * 1.05)))
    run(S.QUOTE, size_pt=half_points(size * 1.05), colour=hex_(c.primary), italic=True)
    spacing(S.QUOTE_SOURCE, 0, size * 1.6, small * LEADING)  # the PDF's attribution: its leading unrounded
    tint = _tint(c.secondary, 0.08, c.background)
    for name in (S.QUOTE, S.QUOTE_SOURCE):
        ppr = styles[name].element.get_or_add_pPr()
        for old in ppr.findall(qn("w:pBdr")):
            ppr.remove(old)
        insert_in_order(ppr, element("w:shd", val="clear", color="auto", fill=tint))
        _indent(styles[name], left=size, right=size)
    # Running header and footer: the PDF's small type, rules at the text's width, right tab at its edge.
    rule = _tint(c.secondary, 0.45, c.background)
    for name, side in ((S.HEADER, "bottom"), (S.FOOTER, "top")):
        ppr = styles[name].element.get_or_add_pPr()
        for old in ppr.findall(qn("w:pBdr")) + ppr.findall(qn("w:tabs")):
            ppr.remove(old)
        borders = element("w:pBdr")
        borders.append(element(f"w:{side}", val="single", sz="5", space="4", color=rule))
        insert_in_order(ppr, borders)
        tabs = element("w:tabs")
        tabs.append(element("w:tab", val="right", pos=str(TEXT_WIDTH_TWIPS)))
        insert_in_order(ppr, tabs)
        run(name, size_pt=small)
    for name in ("TOC 1", "TOC 2"):
        ppr = styles[name].element.get_or_add_pPr()
        for old in ppr.findall(qn("w:tabs")):
            ppr.remove(old)
        tabs = element("w:tabs")
        tabs.append(element("w:tab", val="right", leader="dot", pos=str(TEXT_WIDTH_TWIPS)))
        insert_in_order(ppr, tabs)


def _indent(style, left: float = 0, right: float = 0) -> None:
    ppr = style.element.get_or_add_pPr()
    insert_in_order(ppr, element("w:ind", left=str(round(left * 20)), right=str(round(right * 20))))


def _tint(colour: str, share: float, background: str) -> str:
    """`share` of the colour over the background, as the PDF's tints (writers/pdf/styles.mix)."""
    fg = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    bg = [int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(share * f + (1 - share) * b):02X}" for f, b in zip(fg, bg))


def space_after_lists(body, brand: Brand) -> None:
    """The PDF's gap below a list: as space after its last item, the paragraph before one that is not in a list
    (never an empty paragraph): the item's own space and the PDF's half-line gap after a list."""
    size = brand.fonts.body_size
    gap = round(size * LIST_GAP * 20)
    paragraphs = list(body.iter(qn("w:p")))
    for paragraph, following in zip(paragraphs, paragraphs[1:] + [None]):
        if not _in_list(paragraph) or (following is not None and _in_list(following)):
            continue
        if paragraph.getparent() is not body:
            continue  # inside a table cell: the cell's padding is the gap
        ppr = paragraph.get_or_add_pPr()
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = insert_in_order(ppr, element("w:spacing"))
        spacing.set(qn("w:after"), str(gap))


def _in_list(paragraph) -> bool:
    ppr = paragraph.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:numPr")) is not None


COVER_TEXT_TOP_MM = 90.0  # the PDF's cover text starts 18 mm + 10 mm below its 62 mm band


def _cover(styles, size: float, c, hex_) -> None:
    """The PDF's cover type: partnership and period in the secondary colour, the title large in the primary,
    on the page (the bands are pictures behind, pages.cover_bands), not in a shaded box."""
    cover = (
        # style, size, leading, colour, bold, space before, space after (points)
        (S.COVER_LOGO, None, None, None, False, 0, 14 / 25.4 * 72),
        (S.COVER_PARTNERSHIP, size * 1.7, size * 2.2, c.secondary, True, 0, size * 0.6),
        (S.TITLE, size * 3.4, size * 3.9, c.primary, True, 0, size),
        (S.SUBTITLE, size * 1.7, size * 2.2, c.secondary, True, 0, size * 0.6),
        (S.COVER_DATE, size * 1.1, size * 1.6, c.text, False, 12 / 25.4 * 72, size * 0.3),
    )
    for name, font_size, leading, colour, bold, before, after in cover:
        style = styles[name]
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:pBdr")) + ppr.findall(qn("w:shd")) + ppr.findall(qn("w:ind")):
            ppr.remove(old)
        node = element("w:spacing", before=str(round(before * 20)), after=str(round(after * 20)))
        if leading:
            node.set(qn("w:line"), str(round(leading * 20)))
            node.set(qn("w:lineRule"), "atLeast")
        insert_in_order(ppr, node)
        rpr = style.element.get_or_add_rPr()
        if font_size:
            set_property(rpr, "w:sz", val=str(round(font_size * 2)))
            set_property(rpr, "w:szCs", val=str(round(font_size * 2)))
            set_property(rpr, "w:b", val="1" if bold else "0")
            set_property(rpr, "w:bCs", val="1" if bold else "0")
        if colour:
            set_property(rpr, "w:color", val=hex_(colour))


def cover_starts_below_band(body, top_margin_pt: float = TOP_MARGIN) -> None:
    """The cover's first paragraph (the logo, or the partnership's name without one) starts where the PDF's
    does, below the band."""
    first = body.find(qn("w:p"))
    if first is None:
        return
    ppr = first.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = insert_in_order(ppr, element("w:spacing"))
    spacing.set(qn("w:before"), str(round((COVER_TEXT_TOP_MM / 25.4 * 72 - top_margin_pt) * 20)))
