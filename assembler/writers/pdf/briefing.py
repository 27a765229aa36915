"""A 7-minute briefing as one A4 PDF page: a header, then seven numbered boxes in a two-column grid.

The eighth cell of the grid holds the partnership's name and website, so the
grid is four even rows and the DOCX can copy it without merged cells.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus import Flowable, Image as ImageFlowable

from assembler.document.briefing import BriefingPlan
from assembler.writers.one_page_geometry import GAP
from assembler.writers.pdf.fit import fit_to_page
from assembler.writers.pdf.one_page import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    BadgeHeading,
    PageType,
    block_writer,
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
from assembler.schema import plain_text
from assembler.writers.pdf.tagging import TagTree

COLUMNS = 2
ROWS = 4


@dataclass
class BriefingLayout:
    """A briefing measured at one body size: what the DOCX copies when the PDF is done."""

    body_size: float
    t: PageType
    tree: TagTree
    header: list[Flowable]
    header_height: float
    logo_size: float
    meta: Flowable
    meta_height: float
    boxes: list[list[Flowable]]  # seven boxes then the brand tile
    column_width: float
    padding: float
    row_heights: list[float]
    available: float
    overflow: float
    leading: float
    words_per_line: float
    longest: tuple[str, int]
    section_words: list[int] = field(default_factory=list)
    box_heights: list[float] = field(default_factory=list)

    @property
    def lines_over(self) -> int:
        """Lines the boxes must lose: each row gives up its share of the overflow, and
        every box taller than its row's new height loses the difference (both boxes of a row can)."""
        if self.overflow <= 0:
            return 0
        total = sum(self.row_heights)
        lines = 0.0
        for row, height in enumerate(self.row_heights):
            target = height - self.overflow * height / total
            for box in self.box_heights[row * COLUMNS:(row + 1) * COLUMNS][: 7 - row * COLUMNS]:
                lines += max(0.0, box - target) / self.leading
        return math.ceil(lines)

    @property
    def grid_top(self) -> float:
        return PAGE_HEIGHT - self.header_height - self.meta_height


def layout_briefing(plan: BriefingPlan, size: float) -> BriefingLayout:
    t = page_type(plan.imprint.brand, size)
    palette = t.styles.palette
    tree = TagTree(lang=plan.imprint.language, title=plan.title)
    on_band = lambda style, name: with_colour(style, palette.header_text, name)  # noqa: E731
    header = [
        tree.element(para(plan.kicker, on_band(t.kicker, "BKicker"), t.styles), "P"),
        tree.element(para(plan.title, on_band(t.title, "BTitle"), t.styles), "H1"),
    ]
    meta = tree.element(para(plan.meta, with_colour(t.kicker, palette.primary, "BMeta"), t.styles), "P")
    logo_size = round(size * 4.2, 2)
    text_width = PAGE_WIDTH - 2 * MARGIN - logo_size - GAP
    header_height = MARGIN * 0.8 + max(stack_height(header, text_width), logo_size) + MARGIN * 0.6

    column_width = (PAGE_WIDTH - 2 * MARGIN - GAP * (COLUMNS - 1)) / COLUMNS
    padding = round(size * 0.8, 2)
    inner = column_width - 2 * padding
    blocks = block_writer(t, tree, plan.inputs, plan.charts, inner)
    boxes: list[list[Flowable]] = []
    for number, section in enumerate(plan.sections, start=1):
        badge = BadgeHeading(number, section.heading, t, fill=palette.secondary, number_colour=palette.header_text)
        badge.spaceAfter = round(size * 0.45, 2)
        boxes.append([tree.element(badge, "H2"), *blocks.flowables(section.blocks)])
    tile_style = with_colour(t.body, palette.header_text, "BTile")
    tile_lines = plan.tile
    boxes.append([
        tree.element(para(tile_lines[0], with_colour(t.box_heading, palette.header_text, "BTileHead"), t.styles), "P"),
        *(tree.element(para(line, tile_style, t.styles), "P") for line in tile_lines[1:]),
    ])

    heights = [stack_height(box, inner) + 2 * padding for box in boxes]
    row_heights = [max(heights[r * COLUMNS:(r + 1) * COLUMNS]) for r in range(ROWS)]
    footer_height = t.small.leading
    meta_height = GAP + measure(meta, PAGE_WIDTH - 2 * MARGIN) + GAP / 2
    available = PAGE_HEIGHT - header_height - meta_height - (MARGIN + footer_height + GAP / 2)
    used = sum(row_heights) + GAP * (ROWS - 1)
    overflow = used - available
    if overflow < 0:  # share the spare space out so the boxes fill the page
        row_heights = [h - overflow / ROWS for h in row_heights]

    section_words = [words(s.heading + " " + plain_text(s.blocks)) for s in plan.sections]
    lines = max(1, line_count([f for box in boxes[:7] for f in box]))
    longest_index = max(range(len(section_words)), key=lambda i: section_words[i])
    return BriefingLayout(
        body_size=size, t=t, tree=tree, header=header, header_height=header_height, logo_size=logo_size, meta=meta, meta_height=meta_height,
        boxes=boxes, column_width=column_width, padding=padding, row_heights=row_heights, available=available,
        overflow=overflow, leading=t.leading, words_per_line=sum(section_words) / lines,
        longest=(f"section {longest_index + 1} '{plan.sections[longest_index].heading}'", section_words[longest_index]),
        section_words=section_words, box_heights=heights,
    )


def fit_briefing(plan: BriefingPlan) -> BriefingLayout:
    """The briefing laid out at the largest body size at which it fits its page: what every writer copies."""
    return fit_to_page(lambda size: layout_briefing(plan, size), plan.imprint.brand.fonts.body_size, plan.source,
                       f"briefing '{plan.title}'")


def write_briefing_pdf(plan: BriefingPlan, layout: BriefingLayout, path: Path) -> None:
    t, tree = layout.t, layout.tree
    palette = t.styles.palette
    imprint = plan.imprint
    c = new_canvas(path, plan.document_title, imprint.language, t.styles.fonts.regular)
    with tree.artifact(c):
        c.setFillColor(palette.primary)
        c.rect(0, PAGE_HEIGHT - layout.header_height, PAGE_WIDTH, layout.header_height, stroke=0, fill=1)
    text_width = PAGE_WIDTH - 2 * MARGIN - layout.logo_size - GAP
    draw_stack(c, layout.header, MARGIN, PAGE_HEIGHT - MARGIN * 0.8, text_width)
    if imprint.logo:
        with tree.artifact(c):  # a white mount so the logo's own edge shows on the band
            c.setFillColor(palette.background)
            c.roundRect(PAGE_WIDTH - MARGIN - layout.logo_size - 2, PAGE_HEIGHT - MARGIN * 0.8 - layout.logo_size - 2,
                        layout.logo_size + 4, layout.logo_size + 4, 6, stroke=0, fill=1)
        logo = ImageFlowable(str(imprint.logo), width=layout.logo_size, height=layout.logo_size)
        tree.element(logo, "Figure", alt=imprint.logo_alt).drawOn(
            c, PAGE_WIDTH - MARGIN - layout.logo_size, PAGE_HEIGHT - MARGIN * 0.8 - layout.logo_size)

    draw_stack(c, [layout.meta], MARGIN, PAGE_HEIGHT - layout.header_height - GAP, PAGE_WIDTH - 2 * MARGIN)
    top = layout.grid_top
    for row, height in enumerate(layout.row_heights):
        for column in range(2):
            index = row * 2 + column
            x = MARGIN + column * (layout.column_width + GAP)
            is_tile = index == 7
            with tree.artifact(c):
                c.setFillColor(palette.primary if is_tile else tint(imprint.brand.colours.primary, 0.06))
                c.setStrokeColor(palette.primary if is_tile else tint(imprint.brand.colours.secondary, 0.55))
                c.roundRect(x, top - height, layout.column_width, height, 6, stroke=1, fill=1)
            inner_width = layout.column_width - 2 * layout.padding
            # Each of the seven boxes is one Sect holding its H2 and its text.
            box = nullcontext() if is_tile else tree.group(c, "Sect", title=plan.sections[index].heading)
            with box:
                draw_stack(c, layout.boxes[index], x + layout.padding, top - layout.padding, inner_width)
        top -= height + GAP
    with tree.artifact(c):
        c.setFillColor(palette.text)
        c.setFont(t.styles.fonts.regular, t.small.fontSize)
        c.drawString(MARGIN, MARGIN - 2, plan.footer)
        if imprint.website:
            c.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 2, imprint.website)
    c.showPage()
    c.save()
    tree.finish(path)
