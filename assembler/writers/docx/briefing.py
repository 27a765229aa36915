"""A 7-minute briefing in Word, copied from the PDF's measured layout so it prints on one page too."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from assembler.document.briefing import BriefingPlan
from assembler.writers.docx.blocks import BlockWriter, add_blocks
from assembler.writers.docx.compact import Compact
from assembler.writers.one_page_geometry import GAP, MARGIN, PAGE_WIDTH
from assembler.writers.docx.one_page import (
    add_run,
    cell_borders,
    cell_paragraph,
    fixed_table,
    heading_paragraph,
    new_page_document,
    save,
    set_exact_spacing,
    shade,
    tint_hex,
)

TOP_MARGIN = 14.0  # the PDF's band runs to the top edge; Word keeps a small margin and the band starts there
BOTTOM_MARGIN = 14.0
BOX_TINT = 0.06


def write_briefing_docx(plan: BriefingPlan, layout, path: Path) -> None:
    """`layout` is the PDF's measured one (writers/pdf/briefing.BriefingLayout): its sizes and heights are copied."""
    t = layout.t
    size = layout.body_size
    imprint = plan.imprint
    c = imprint.brand.colours
    font = imprint.brand.fonts.heading
    document = new_page_document(imprint, plan.document_title, TOP_MARGIN, MARGIN, BOTTOM_MARGIN)
    width = PAGE_WIDTH - 2 * MARGIN

    # Header band: kicker and title beside the logo.
    logo_cell = layout.logo_size + 16
    header = fixed_table(document, [width - logo_cell, logo_cell], [layout.header_height - TOP_MARGIN], padding=8,
                         description=plan.document_title)
    text_cell, image_cell = header.rows[0].cells
    for cell in (text_cell, image_cell):
        shade(cell, c.primary)
    used = [False]
    p = cell_paragraph(text_cell, used)
    set_exact_spacing(p, size, t.kicker.leading, after=t.kicker.spaceAfter)
    add_run(p, plan.kicker, size, c.header_text, bold=True)
    p = cell_paragraph(text_cell, used)
    heading_paragraph(p, 1)
    set_exact_spacing(p, t.title.fontSize, t.title.leading)
    add_run(p, plan.title, t.title.fontSize, c.header_text, bold=True, font=font)
    if imprint.logo:
        p = image_cell.paragraphs[0]
        p.paragraph_format.alignment = 2  # right
        picture = p.add_run().add_picture(str(imprint.logo), width=Pt(layout.logo_size), height=Pt(layout.logo_size))
        picture._inline.docPr.set("descr", imprint.logo_alt)

    # Date and audience: also what keeps the two tables apart, so Word cannot join them.
    p = document.add_paragraph()
    set_exact_spacing(p, size, t.kicker.leading, before=GAP, after=GAP / 2)
    add_run(p, plan.meta, size, c.primary, bold=True)

    # The grid: four rows of two boxes. White borders on the inner edges only stand in for the
    # PDF's gaps, so each box keeps the PDF's height and width inside them.
    last = len(layout.row_heights) - 1
    heights = [h + GAP / 2 * ((i > 0) + (i < last)) for i, h in enumerate(layout.row_heights)]
    grid = fixed_table(document, [width / 2, width / 2], heights, padding=layout.padding,
                       description=f"The seven parts of the briefing '{plan.title}', in order, two to a row")
    box_width = Pt(layout.column_width - 2 * layout.padding)
    cells = [cell for row in grid.rows for cell in row.cells]
    for index, cell in enumerate(cells):
        row, column = divmod(index, 2)
        inner = [side for side, on in (("top", row > 0), ("bottom", row < last), ("left", column == 1), ("right", column == 0)) if on]
        cell_borders(cell, c.background, GAP / 2, sides=inner)
        used = [False]
        if index == 7:
            shade(cell, c.primary)
            lines = plan.tile
            p = cell_paragraph(cell, used)
            set_exact_spacing(p, t.box_heading.fontSize, t.box_heading.leading)
            add_run(p, lines[0], t.box_heading.fontSize, c.header_text, bold=True, font=font)
            for line in lines[1:]:
                p = cell_paragraph(cell, used)
                set_exact_spacing(p, size, t.body.leading, after=t.body.spaceAfter)
                add_run(p, line, size, c.header_text)
            continue
        shade(cell, tint_hex(c.primary, BOX_TINT))
        section = plan.sections[index]
        p = cell_paragraph(cell, used)
        heading_paragraph(p, 2)
        badge = round(size * 2.1, 2)
        set_exact_spacing(p, t.box_heading.fontSize, badge, after=round(size * 0.45, 2))
        # The PDF's white-on-teal circle; in Word a bold teal number keeps the contrast checkable.
        add_run(p, f"{index + 1}", round(size * 1.25, 2), c.secondary, bold=True, font=font)
        add_run(p, "  " + section.heading, t.box_heading.fontSize, c.primary, bold=True, font=font)
        look = Compact(size, t.body.leading, t.body.spaceAfter, c.text, c.primary, t.bullet_indent, used)
        add_blocks(cell, section.blocks, BlockWriter(document, imprint.brand, plan.inputs, plan.charts, compact=look, width=box_width))

    p = document.add_paragraph()
    set_exact_spacing(p, t.small.fontSize, t.small.leading, before=GAP / 2)
    tail = f" · {imprint.website}" if imprint.website else ""
    add_run(p, plan.footer + tail, t.small.fontSize, c.text)
    save(document, path, imprint)
