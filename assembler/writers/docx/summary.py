"""The one-page summary in Word, copied band by band from the PDF's measured layout."""

from __future__ import annotations

from pathlib import Path

from docx.oxml import OxmlElement
from docx.shared import Pt

from assembler.document.summary import BODY_LABEL, FIGURES_LABEL, TILE_HEADERS, TILES_LABEL, SummaryContent, title_text
from assembler.writers.docx.one_page import (
    set_style,
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
from assembler.writers.one_page_geometry import COLUMN_GAP, GAP, MARGIN, PAGE_WIDTH, tile_padding

TOP_MARGIN = MARGIN * 0.8
BOTTOM_MARGIN = 14.0


def write_summary_docx(content: SummaryContent, layout, path: Path) -> None:
    """`layout` is the PDF's measured one (writers/pdf/summary.SummaryLayout): its sizes and heights are copied."""
    t, size = layout.t, layout.body_size
    c = content.imprint.brand.colours
    font = content.imprint.brand.fonts.heading
    width = PAGE_WIDTH - 2 * MARGIN
    document = new_page_document(content.imprint, f"{content.short_name} {title_text(content)}", TOP_MARGIN, MARGIN, BOTTOM_MARGIN)

    # Header: logo beside the partnership's name and the title.
    logo_cell = layout.logo_size + 2 * GAP if layout.logo_size else 0  # Word sets the picture a little in from the cell edge
    widths = [logo_cell, width - logo_cell] if logo_cell else [width]
    header = fixed_table(document, widths, [layout.header_height - TOP_MARGIN], padding=0, description=title_text(content))
    cells = header.rows[0].cells
    if logo_cell:
        picture = cells[0].paragraphs[0].add_run().add_picture(str(content.logo), width=Pt(layout.logo_size), height=Pt(layout.logo_size))
        picture._inline.docPr.set("descr", content.logo_alt)
    text_cell = cells[-1]
    text_cell.vertical_alignment = 1  # centre, as in the PDF
    used = [False]
    p = cell_paragraph(text_cell, used)
    set_exact_spacing(p, size, t.kicker.leading, after=t.kicker.spaceAfter)
    add_run(p, content.partnership, size, c.secondary, bold=True, font=font)
    p = cell_paragraph(text_cell, used)
    heading_paragraph(p, 1)
    set_exact_spacing(p, t.title.fontSize, t.title.leading)
    add_run(p, title_text(content), t.title.fontSize, c.primary, bold=True, font=font)
    _bottom_rule(header.rows[0].cells, c.secondary)

    if layout.figures:
        _label(document, layout, FIGURES_LABEL.format(period=content.period), c.primary, font)
        count = len(layout.figures)
        figures = fixed_table(document, [width / count] * count, [layout.figures_height], padding=tile_padding(t.size),
                              description=f"Key figures for {content.period}")
        number_size = round(size * 2.3, 2)
        for cell, figure in zip(figures.rows[0].cells, content.figures):
            shade(cell, c.primary)
            cell_borders(cell, c.background, GAP / 2, sides=("left", "right"))
            used = [False]
            p = cell_paragraph(cell, used)
            set_exact_spacing(p, number_size, round(number_size * 1.1, 2), after=round(size * 0.2, 2))
            add_run(p, figure.value, number_size, c.header_text, bold=True, font=font)
            p = cell_paragraph(cell, used)
            set_exact_spacing(p, size, t.body.leading)
            add_run(p, figure.label, size, c.header_text)

    _label(document, layout, BODY_LABEL, c.primary, font)
    half = width / 2
    left = layout.column_width + COLUMN_GAP
    body = fixed_table(document, [left, width - left], [layout.body_height], padding=0, description=BODY_LABEL)
    cells = body.rows[0].cells
    _right_padding(cells[0], COLUMN_GAP)
    groups = [content.blocks[:layout.split], content.blocks[layout.split:]]
    for cell, blocks in zip(cells, groups):
        used = [False]
        for number, block in enumerate(blocks):
            p = cell_paragraph(cell, used)
            heading_paragraph(p, 2)
            set_exact_spacing(p, t.box_heading.fontSize, t.box_heading.leading, before=round(size * 0.7, 2) if number else 0,
                              after=round(size * 0.3, 2))
            add_run(p, block.heading, t.box_heading.fontSize, c.secondary, bold=True, font=font)
            for bullet in block.bullets:
                p = cell_paragraph(cell, used)
                set_style(p, "List Bullet")
                set_exact_spacing(p, size, t.body.leading, after=t.list_item.spaceAfter)
                fmt = p.paragraph_format
                fmt.left_indent, fmt.first_line_indent = Pt(t.bullet_indent), Pt(-t.bullet_indent)
                add_run(p, bullet, size, c.text)

    if layout.tile_rows:
        _label(document, layout, TILES_LABEL, c.primary, font)
        heights = layout.tile_row_heights or [t.kicker.leading + size * 0.7] * (len(layout.tile_rows) + 1)
        tiles = fixed_table(document, [half, half], heights, padding=tile_padding(t.size), description=TILES_LABEL,
                            vertical_padding=round(size * 0.35, 2), header_row=True)
        _header_row(tiles.rows[0])
        fills = [tint_hex(c.primary, 0.08), tint_hex(c.secondary, 0.10)]
        for r, row in enumerate(tiles.rows):
            texts = TILE_HEADERS if r == 0 else layout.tile_rows[r - 1]
            for column, (cell, text) in enumerate(zip(row.cells, texts)):
                shade(cell, c.primary if r == 0 else fills[column])
                cell_borders(cell, c.background, 1)
                cell.vertical_alignment = 1
                p = cell.paragraphs[0]
                set_exact_spacing(p, size, t.kicker.leading)
                if text:
                    add_run(p, text, size, c.header_text if r == 0 else c.primary, bold=True)

    p = document.add_paragraph()
    set_exact_spacing(p, size, t.kicker.leading, before=GAP)
    add_run(p, content.full_report, size, c.primary, bold=True)
    p = document.add_paragraph()
    set_exact_spacing(p, t.small.fontSize, t.small.leading, before=GAP / 2)
    add_run(p, content.footer, t.small.fontSize, c.text)
    save(document, path, content.imprint)


def _label(document, layout, text: str, colour: str, font: str) -> None:
    """A band's heading; also what keeps Word from joining the tables above and below it."""
    t = layout.t
    p = document.add_paragraph()
    heading_paragraph(p, 2)
    set_exact_spacing(p, t.box_heading.fontSize, layout.label_height - GAP * 1.5, before=GAP, after=GAP / 2)
    add_run(p, text, t.box_heading.fontSize, colour, bold=True, font=font)


def _header_row(row) -> None:
    """Mark the first row as the table's header, repeated and read as column headings."""
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _right_padding(cell, points: float) -> None:
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    right = OxmlElement("w:right")
    right.set(qn("w:w"), str(int(points * 20)))
    right.set(qn("w:type"), "dxa")
    margins.append(right)
    tcpr.append(margins)


def _bottom_rule(cells, colour: str) -> None:
    from docx.oxml.ns import qn

    for cell in cells:
        tcpr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "16")
        bottom.set(qn("w:space"), "0")
        bottom.set(qn("w:color"), colour.lstrip("#").upper())
        borders.append(bottom)
        tcpr.append(borders)
