"""The one-page summary as an A4 PDF: header, key figures, the chapters' bullets in two columns, tiles.

Bands from the top: logo and title; a row of key figures; the headed blocks of
bullets balanced over two columns; a table of case studies and resources; the
line saying where the full report is. Only the bullets' band grows or shrinks,
so that is what the fitting rule measures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable, Image as ImageFlowable
from reportlab.lib.styles import ParagraphStyle

from assembler.writers.pdf.fit import fit_to_page
from assembler.writers.pdf.one_page import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PageType,
    draw_stack,
    line_count,
    measure,
    new_canvas,
    page_type,
    para,
    stack_height,
    tint,
    with_colour,
    words,
)
from assembler.document.summary import BODY_LABEL, FIGURES_LABEL, TILE_HEADERS, TILES_LABEL, SummaryContent, title_text
from assembler.writers.one_page_geometry import COLUMN_GAP, GAP, tile_padding
from assembler.writers.pdf.tagging import TagTree



@dataclass
class SummaryLayout:
    body_size: float
    t: PageType
    tree: TagTree
    header: list[Flowable]
    header_height: float
    logo_size: float
    labels: dict[str, Flowable]
    label_height: float
    figures: list[list[Flowable]]
    figures_height: float
    columns: list[list[list[Flowable]]]  # two columns of blocks, each block a list of flowables
    split: int  # blocks[:split] go in the left column
    column_width: float
    body_height: float  # the space the bullets' band gets (measured height plus any spare)
    tiles: Flowable
    tile_rows: list[list[str]]
    tile_row_heights: list[float]
    tiles_height: float
    closing: list[Flowable]
    closing_height: float
    overflow: float
    leading: float
    words_per_line: float
    longest: tuple[str, int]

    @property
    def lines_over(self) -> int:
        """Both balanced columns must shrink by the overflow, so each loses that many lines."""
        if self.overflow <= 0:
            return 0
        columns = sum(1 for column in self.columns if column)
        return math.ceil(self.overflow / self.leading) * columns


def layout_summary(content: SummaryContent, size: float) -> SummaryLayout:
    t = page_type(content.imprint.brand, size)
    palette = t.styles.palette
    tree = TagTree(lang=content.imprint.language, title=f"{content.short_name} {title_text(content)}")
    width = PAGE_WIDTH - 2 * MARGIN

    header = [
        tree.element(para(content.partnership, with_colour(t.kicker, palette.secondary, "SKicker"), t.styles), "P"),
        tree.element(para(title_text(content), with_colour(t.title, palette.primary, "STitle"), t.styles), "H1"),
    ]
    logo_size = round(size * 5.0, 2) if content.logo else 0.0
    text_x = logo_size + GAP if logo_size else 0
    header_height = MARGIN * 0.8 + max(stack_height(header, width - text_x), logo_size) + GAP / 2

    label_style = with_colour(t.box_heading, palette.primary, "SLabel")
    labels = {
        key: tree.element(para(text, label_style, t.styles), "H2")
        for key, text in (("figures", FIGURES_LABEL.format(period=content.period)), ("body", BODY_LABEL), ("tiles", TILES_LABEL))
    }
    label_height = GAP + measure(labels["body"], width) + GAP / 2

    figures, figures_height = _figures(content, t, tree, width)
    blocks = _blocks(content, t, tree)
    column_width = (width - COLUMN_GAP) / 2
    block_heights = [stack_height(block, column_width) for block in blocks]
    block_gap = round(size * 0.7, 2)
    split, body_used = _balance(block_heights, block_gap)
    tiles, tile_rows = _tiles(content, t, tree, width)
    tiles_height = measure(tiles, width) if tiles is not None else 0.0
    closing = [tree.element(para(content.full_report, with_colour(t.kicker, palette.primary, "SClosing"), t.styles), "P")]
    closing_height = GAP + stack_height(closing, width) + t.small.leading + GAP / 2

    fixed = (header_height + (label_height + figures_height) * bool(figures) + label_height
             + (label_height + tiles_height) * bool(tile_rows) + closing_height + MARGIN)
    available = PAGE_HEIGHT - fixed
    overflow = body_used - available
    body_words = [words(b.heading + " " + " ".join(b.bullets)) for b in content.blocks]
    lines = max(1, line_count([f for block in blocks for f in block]))
    longest = max(range(len(body_words)), key=lambda i: body_words[i])
    return SummaryLayout(
        body_size=size, t=t, tree=tree, header=header, header_height=header_height, logo_size=logo_size,
        labels=labels, label_height=label_height, figures=figures, figures_height=figures_height,
        columns=[blocks[:split], blocks[split:]], split=split, column_width=column_width,
        body_height=max(body_used, available), tiles=tiles, tile_rows=tile_rows,
        tile_row_heights=list(getattr(tiles, "_rowHeights", [])), tiles_height=tiles_height,
        closing=closing, closing_height=closing_height, overflow=overflow, leading=t.leading,
        words_per_line=sum(body_words) / lines,
        longest=(f"the block '{content.blocks[longest].heading}' (summary_bullets in {content.blocks[longest].source})", body_words[longest]),
    )


def _figures(content: SummaryContent, t: PageType, tree: TagTree, width: float) -> tuple[list[list[Flowable]], float]:
    if not content.figures:
        return [], 0.0
    palette = t.styles.palette
    number_size = round(t.size * 2.3, 2)
    number_style = ParagraphStyle("SFigure", parent=t.title, fontSize=number_size, leading=round(number_size * 1.1, 2),
                                  textColor=palette.header_text, spaceAfter=round(t.size * 0.2, 2))
    label_style = with_colour(t.body, palette.header_text, "SFigureLabel")
    tiles = [
        [tree.element(para(figure.value, number_style, t.styles), "P"), tree.element(para(figure.label, label_style, t.styles), "P")]
        for figure in content.figures
    ]
    tile_width = _figure_tile_width(len(content.figures), width)
    height = max(stack_height(tile, tile_width - 2 * tile_padding(t.size)) for tile in tiles) + 2 * tile_padding(t.size)
    return tiles, height


def _figure_tile_width(count: int, width: float) -> float:
    return (width - GAP * (count - 1)) / count



def _blocks(content: SummaryContent, t: PageType, tree: TagTree) -> list[list[Flowable]]:
    palette = t.styles.palette
    heading_style = ParagraphStyle("SBlockHeading", parent=t.box_heading, textColor=palette.secondary, spaceAfter=round(t.size * 0.3, 2))
    blocks = []
    for block in content.blocks:
        items = [("•", [para(bullet, t.list_item, t.styles)]) for bullet in block.bullets]
        bullets = tree.list(items, indent=t.bullet_indent, label_style=t.body)
        bullets.list_items = items
        blocks.append([tree.open("Sect", title=block.heading), tree.element(para(block.heading, heading_style, t.styles), "H3"), bullets, tree.close()])
    return blocks


def _balance(heights: list[float], gap: float) -> tuple[int, float]:
    """Where to split the blocks (in order) so the taller column is as short as it can be."""
    if len(heights) == 1:
        return 1, heights[0]

    def column(part: list[float]) -> float:
        return sum(part) + gap * max(0, len(part) - 1)

    best = min(range(1, len(heights)), key=lambda k: (max(column(heights[:k]), column(heights[k:])), k))
    return best, max(column(heights[:best]), column(heights[best:]))


def _tiles(content: SummaryContent, t: PageType, tree: TagTree, width: float):
    if not (content.case_studies or content.resources):
        return None, []
    palette = t.styles.palette
    rows = [[a, b] for a, b in _zip_longest(content.case_studies, content.resources)]
    header_style = with_colour(t.kicker, palette.header_text, "STileHead")
    cell_style = with_colour(t.kicker, palette.primary, "STile")
    data = [[para(h, header_style, t.styles) for h in TILE_HEADERS]] + [[para(cell, cell_style, t.styles) for cell in row] for row in rows]
    table = tree.table(
        data, header_rows=1, colWidths=[width / 2, width / 2],
        style=[
            ("FONTNAME", (0, 0), (-1, -1), t.styles.fonts.regular),  # else each cell sets Helvetica, never embedded
            ("BACKGROUND", (0, 0), (-1, 0), palette.primary),
            ("BACKGROUND", (0, 1), (0, -1), _brand_tint(t, "primary", 0.08)),
            ("BACKGROUND", (1, 1), (1, -1), _brand_tint(t, "secondary", 0.10)),
            ("LINEBELOW", (0, 0), (-1, -1), 2, palette.background),
            ("LINEAFTER", (0, 0), (0, -1), 4, palette.background),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), tile_padding(t.size)),
            ("RIGHTPADDING", (0, 0), (-1, -1), tile_padding(t.size)),
            ("TOPPADDING", (0, 0), (-1, -1), round(t.size * 0.35, 2)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), round(t.size * 0.35, 2)),
        ],
    )
    return table, rows


def _brand_tint(t: PageType, role: str, share: float):
    return tint(getattr(t.styles.brand.colours, role), share)


def _zip_longest(a: list[str], b: list[str]):
    for i in range(max(len(a), len(b))):
        yield (a[i] if i < len(a) else "", b[i] if i < len(b) else "")


def fit_summary(content: SummaryContent) -> SummaryLayout:
    """The summary laid out at the largest body size at which it fits its page: what every writer copies."""
    return fit_to_page(lambda size: layout_summary(content, size), content.imprint.brand.fonts.body_size, content.source,
                       "one-page summary")


def write_summary_pdf(content: SummaryContent, layout: SummaryLayout, path: Path) -> None:
    t, tree = layout.t, layout.tree
    palette = t.styles.palette
    width = PAGE_WIDTH - 2 * MARGIN
    c = new_canvas(path, f"{content.short_name} {title_text(content)}", content.imprint.language,
                   t.styles.fonts.regular)
    top = PAGE_HEIGHT - MARGIN * 0.8
    if content.logo:
        logo = ImageFlowable(str(content.logo), width=layout.logo_size, height=layout.logo_size)
        tree.element(logo, "Figure", alt=content.logo_alt).drawOn(c, MARGIN, top - layout.logo_size)
    text_x = layout.logo_size + GAP if layout.logo_size else 0
    text_height = stack_height(layout.header, width - text_x)
    draw_stack(c, layout.header, MARGIN + text_x, top - max(0, (layout.logo_size - text_height) / 2), width - text_x)
    y = PAGE_HEIGHT - layout.header_height
    with tree.artifact(c):
        c.setStrokeColor(palette.secondary)
        c.setLineWidth(2)
        c.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)

    if layout.figures:
        y = _label(c, layout, "figures", y)
        tile_width = _figure_tile_width(len(layout.figures), width)
        pad = tile_padding(t.size)
        for i, tile in enumerate(layout.figures):
            x = MARGIN + i * (tile_width + GAP)
            with tree.artifact(c):
                c.setFillColor(palette.primary)
                c.roundRect(x, y - layout.figures_height, tile_width, layout.figures_height, 6, stroke=0, fill=1)
            draw_stack(c, tile, x + pad, y - pad, tile_width - 2 * pad)
        y -= layout.figures_height

    y = _label(c, layout, "body", y)
    for column, blocks in enumerate(layout.columns):
        x = MARGIN + column * (layout.column_width + COLUMN_GAP)
        block_top = y
        for number, block in enumerate(blocks):
            if number:  # a short bar in the accent colour between blocks
                with tree.artifact(c):
                    c.setFillColor(palette.accent)
                    c.rect(x, block_top + 3, 28, 2.5, stroke=0, fill=1)
            bottom = draw_stack(c, block, x, block_top, layout.column_width)
            block_top = bottom - round(t.size * 0.7, 2)
    y -= layout.body_height

    if layout.tile_rows:
        y = _label(c, layout, "tiles", y)
        layout.tiles.wrapOn(c, width, layout.tiles_height)
        layout.tiles.drawOn(c, MARGIN, y - layout.tiles_height)
        y -= layout.tiles_height
    draw_stack(c, layout.closing, MARGIN, y - GAP, width)
    with tree.artifact(c):
        c.setFillColor(palette.text)
        c.setFont(t.styles.fonts.regular, t.small.fontSize)
        c.drawString(MARGIN, MARGIN - 2, content.footer)
    c.showPage()
    c.save()
    tree.finish(path)


def _label(c, layout: SummaryLayout, key: str, y: float) -> float:
    draw_stack(c, [layout.labels[key]], MARGIN, y - GAP, PAGE_WIDTH - 2 * MARGIN)
    return y - layout.label_height
