"""Shared pieces of the one-page DOCX files: a page like the PDF's, fixed table cells, exact line heights.

The PDF decides the layout (sizes, row heights); these helpers copy it into
Word so that the document prints on one page too: fixed table layout, exact
row heights and exact line spacing, so Word has nothing left to stretch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure, ST_TwipsMeasure
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from assembler.document.imprint import Imprint
from assembler.deterministic_zip import normalise_zip
from assembler.writers.one_page_geometry import LEADING
from assembler.schema import Run
from assembler.word_templates import plain_document
from assembler.writers.docx.ooxml import element, insert_in_order, set_property
from assembler.writers.docx.settings import set_core_properties

A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297


def new_page_document(imprint: Imprint, title: str, top: float, side: float, bottom: float):
    """An A4 document with the brand's font and language, margins in points."""
    document = plain_document()  # a quarter of python-docx's default to open, save and check
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Pt(top), Pt(bottom)
    section.left_margin = section.right_margin = Pt(side)
    section.header_distance = section.footer_distance = Pt(0)
    normal = document.styles["Normal"]
    normal.font.name = imprint.brand.fonts.body
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), imprint.brand.fonts.body)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), imprint.language)
    rpr.append(language)
    normal.font.color.rgb = _rgb(imprint.brand.colours.text)
    # Every property is set, so nothing from the template (its title, its dates) reaches the one-pager.
    set_core_properties(document, title=title, author=imprint.name, subject=title,
                        language=imprint.language, when=imprint.publication_date)
    return document


# Schema order of the properties these helpers add to; Word rejects a file whose order is wrong.
_ORDER = {
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
              "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"],
}


def _tidy(document) -> None:
    for tag, order in _ORDER.items():
        for props in document.element.body.iter(qn(f"w:{tag}")):
            children = list(props)
            children.sort(key=lambda e: order.index(e.tag.split("}")[1]) if e.tag.split("}")[1] in order else len(order))
            for child in children:
                props.append(child)


def save(document, path: Path, imprint: Imprint) -> None:
    _tidy(document)
    document.save(str(path))
    d = imprint.publication_date
    normalise_zip(path, (d.year, d.month, d.day, 0, 0, 0))


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def set_exact_spacing(paragraph: Paragraph, size: float, leading: float | None = None, before: float = 0, after: float = 0) -> None:
    # Written as XML: python-docx's paragraph_format setters rescan pPr's children for each property.
    ppr = paragraph._p.get_or_add_pPr()
    set_property(ppr, "w:widowControl", val="0")
    spacing = element("w:spacing", lineRule="exact")
    for name, points in (("line", leading or round(size * LEADING, 2)), ("before", before), ("after", after)):
        spacing.set(qn(f"w:{name}"), ST_TwipsMeasure.convert_to_xml(Pt(points)))
    insert_in_order(ppr, spacing)


def add_run(paragraph: Paragraph, text: str, size: float, colour: str, bold: bool = False, italic: bool = False, font: str | None = None):
    if any(c in text for c in "\t\n\r"):
        run = paragraph.add_run(text)  # python-docx turns these into w:tab and w:br
        r = run._r
    else:
        r = paragraph._p.add_r()
        if text:
            r.add_t(text)
        run = DocxRun(r, paragraph)
    # The properties as XML, in schema order: python-docx's font setters rescan rPr for each one.
    rpr = element("w:rPr")
    if font:
        rpr.append(element("w:rFonts", ascii=font, hAnsi=font))
    rpr.append(element("w:b") if bold else element("w:b", val="0"))
    rpr.append(element("w:i") if italic else element("w:i", val="0"))
    rpr.append(element("w:color", val=colour.lstrip("#").upper()))
    rpr.append(element("w:sz", val=ST_HpsMeasure.convert_to_xml(Pt(size))))
    r.insert(0, rpr)
    return run


def add_runs(paragraph: Paragraph, runs: Sequence[Run], size: float, colour: str, link_colour: str) -> None:
    for run in runs:
        if run.link:
            add_hyperlink(paragraph, run.text, run.link, size, link_colour, bold=run.bold, italic=run.italic)
        else:
            add_run(paragraph, run.text, size, colour, bold=run.bold, italic=run.italic)


def add_hyperlink(paragraph: Paragraph, text: str, target: str, size: float, colour: str, bold: bool = False, italic: bool = False) -> None:
    if "@" in target and ":" not in target:
        target = f"mailto:{target}"
    rel = paragraph.part.relate_to(target, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = add_run(paragraph, text, size, colour, bold=bold, italic=italic)
    run.font.underline = True
    link.append(run._r)
    paragraph._p.append(link)


def tint_hex(hex_colour: str, share: float) -> str:
    """A tint of a brand colour over white, as Word's hex fill: the same tints the PDF uses."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(share * c + (1 - share) * 255):02X}" for c in channels)


def shade(cell: _Cell, hex_colour: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    tcpr.append(shd)


def cell_borders(cell: _Cell, hex_colour: str, points: float, sides: Sequence[str] = ("top", "left", "bottom", "right")) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(int(points * 8)))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), hex_colour.lstrip("#").upper())
        borders.append(edge)
    tcpr.append(borders)


def fixed_table(document, widths_pt: Sequence[float], heights_pt: Sequence[float], padding: float, description: str,
                vertical_padding: float | None = None, header_row: bool = False) -> Table:
    """A table Word cannot stretch: fixed layout, exact widths and heights, set padding, a description.

    Without `header_row` it is declared a layout table (Header Row option off and a
    description), which is how Word's checker and ours accept boxes set side by side.
    """
    table = document.add_table(rows=len(heights_pt), cols=len(widths_pt))
    table.autofit = False
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tblpr.append(look)
    flags = {"firstRow": header_row, "lastRow": False, "firstColumn": False, "lastColumn": False, "noHBand": True, "noVBand": True}
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    look.set(qn("w:val"), f"{(0x20 if header_row else 0) | 0x200 | 0x400:04X}")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        amount = padding if vertical_padding is None or side in ("left", "right") else vertical_padding
        edge.set(qn("w:w"), str(int(round(amount * 20))))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.append(margins)
    # The table's edge on the page margin, as in the PDF (Word and LibreOffice otherwise pull it left by the padding).
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(int(round(padding * 20))))
    indent.set(qn("w:type"), "dxa")
    tblpr.append(indent)
    # Word's Accessibility Checker reads this as the table's alternative text.
    caption = OxmlElement("w:tblDescription")
    caption.set(qn("w:val"), description)
    tblpr.append(caption)
    for column, width in zip(table.columns, widths_pt):
        column.width = Pt(width)
    for row, height in zip(table.rows, heights_pt):
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        _cant_split(row)
        for cell, width in zip(row.cells, widths_pt):
            cell.width = Pt(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def cell_paragraph(cell: _Cell, used: list[bool]) -> Paragraph:
    """The cell's own empty first paragraph the first time, a new one after."""
    if not used[0]:
        used[0] = True
        return cell.paragraphs[0]
    return cell.add_paragraph()


def set_style(p: Paragraph, name: str) -> None:
    """Set a built-in style by its id ('List Bullet' is 'ListBullet' in python-docx's default template):
    python-docx's name setter rescans every style in the document on each call."""
    p._p.style = name.replace(" ", "")


def heading_paragraph(p: Paragraph, level: int) -> None:
    """Give a paragraph a heading style (for navigation and screen readers) without the style's look."""
    set_style(p, f"Heading {level}")
    p.paragraph_format.keep_with_next = False
