"""The brand, applied to a Word document's styles: one definition, read from report.yaml.

The committed template (tools/make_docx_template.py) holds the structure: the
styles exist, lists have numbering definitions, the page has a header and
footer. Colours, fonts, sizes and the language are (re)applied from
`Document.brand` on every build by `apply_brand`, so changing the brand in
report.yaml never needs a new template.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm

from assembler.brand import type_scale
from assembler.config import Brand
from assembler.writers.docx.ooxml import element, insert_in_order, set_property

# Style names the writer uses (Word's built-in names, so Word's navigation pane,
# contents and accessibility checker recognise them).
TITLE, SUBTITLE = "Title", "Subtitle"
COVER_PARTNERSHIP, COVER_DATE, COVER_LOGO = "Cover Partnership", "Cover Date", "Cover Logo"
NORMAL, CAPTION, QUOTE, QUOTE_SOURCE = "Normal", "Caption", "Quote", "Quote Attribution"
TABLE_TEXT, TABLE_HEADER_TEXT, TABLE_STYLE = "Table Text", "Table Header Text", "Brand Table"
TOC_HEADING = "TOC Heading"
HYPERLINK = "Hyperlink"
HEADER, FOOTER = "Header", "Footer"
FIGURE = "Figure"
MAX_HEADING = 6
LIST_LEVELS = 3


# The report's sections inside a chapter (the agencies, case studies): level-2 headings that look like
# Heading 2 but have a style of their own, so the contents can list them and not every Heading 2.
SECTION_HEADING = "Section Heading"
SECTION_LEVEL = 2


def heading_style(level: int) -> str:
    return f"Heading {max(1, min(level, MAX_HEADING))}"


def heading_level(style: str) -> int | None:
    if style == SECTION_HEADING:
        return SECTION_LEVEL
    return int(style.rsplit(" ", 1)[1]) if style.startswith("Heading ") and style[-1:].isdigit() else None


def list_style(ordered: bool, level: int) -> str:
    """List Bullet, List Bullet 2, List Bullet 3 (deeper items stay at 3)."""
    base = "List Number" if ordered else "List Bullet"
    level = max(1, min(level, LIST_LEVELS))
    return base if level == 1 else f"{base} {level}"


def toc_style(level: int) -> str:
    return f"TOC {level}"


# A4 with 25 mm margins leaves 160 mm for text: figures and tab stops are sized to it.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(25)
TEXT_WIDTH = Mm(160)  # PAGE_WIDTH - 2 * MARGIN
TEXT_WIDTH_TWIPS = int(TEXT_WIDTH.twips)
BULLET_NUM_ID, NUMBER_NUM_ID = 1, 2
BULLET_ABSTRACT_ID, NUMBER_ABSTRACT_ID = 0, 1


def paragraph_styles() -> list[tuple[str, str | None]]:
    """(style, based on) for every paragraph style the report needs beyond Word's defaults."""
    styles = [
        (COVER_PARTNERSHIP, NORMAL), (COVER_DATE, NORMAL), (COVER_LOGO, NORMAL), (TABLE_TEXT, NORMAL),
        (TABLE_HEADER_TEXT, TABLE_TEXT), (QUOTE_SOURCE, NORMAL), (FIGURE, NORMAL), (TOC_HEADING, NORMAL),
        ("TOC 1", NORMAL), ("TOC 2", NORMAL), (SECTION_HEADING, heading_style(SECTION_LEVEL)),
    ]
    styles += [(list_style(o, n), NORMAL) for o in (False, True) for n in range(1, LIST_LEVELS + 1)]
    return styles


def ensure_styles(document) -> None:
    """Create the styles python-docx's default template lacks (used when making the template)."""
    names = {s.name for s in document.styles}
    for name, based_on in paragraph_styles():
        if name not in names:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles[based_on]
    if HYPERLINK not in names:
        document.styles.add_style(HYPERLINK, WD_STYLE_TYPE.CHARACTER).base_style = document.styles["Default Paragraph Font"]
    if TABLE_STYLE not in names:
        document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE).base_style = document.styles["Normal Table"]
    for name, style in ((n, document.styles[n]) for n in (TOC_HEADING, "TOC 1", "TOC 2", HYPERLINK, TABLE_STYLE, CAPTION, QUOTE,
                                                          SECTION_HEADING)):
        style.hidden = False
        style.unhide_when_used = False
        style.quick_style = True


def apply_brand(document, brand: Brand, language: str) -> None:
    """Colours, fonts, sizes, spacing and language of every report style, from the brand."""
    c = brand.colours
    scale = type_scale(brand)
    body, heading = brand.fonts.body, brand.fonts.heading
    hex_ = lambda colour: colour.lstrip("#").upper()  # noqa: E731 - Word wants bare hex

    _defaults(document, body, scale.body, hex_(c.text), language)
    styles = document.styles

    def para(name, **kw):
        _style(styles[name], language=language, **kw)

    para(NORMAL, font=body, size=scale.body, color=hex_(c.text), after=8, line=1.15)
    # The cover's title block is one band of the primary colour: shading and borders of the same
    # colour on consecutive paragraphs join into a single box, without a drawing or a text box.
    band = dict(band=hex_(c.primary), color=hex_(c.header_text), indent_left=6, indent_right=6)
    para(COVER_PARTNERSHIP, font=heading, size=scale.body * 1.45, bold=True, before=6, after=24, **band)
    para(TITLE, font=heading, size=scale.body * 3.2, bold=True, before=0, after=12, line=1.0, keep_next=True, **band)
    para(SUBTITLE, font=heading, size=scale.body * 1.8, italic=False, before=0, after=6, **band)
    para(COVER_DATE, font=body, size=scale.body * 1.1, color=hex_(c.text), before=24, after=0)
    para(COVER_LOGO, after=150)
    for level, name in [(n, heading_style(n)) for n in range(1, MAX_HEADING + 1)] + [(SECTION_LEVEL, SECTION_HEADING)]:
        para(name, font=heading, size=scale.heading(level), bold=True, italic=False,
             color=hex_(c.primary if level <= 2 else c.secondary),
             before=0 if level == 1 else (18 if level == 2 else 12), after=18 if level == 1 else 6,
             keep_next=True, page_break_before=level == 1, outline=level - 1, line=1.0)
    para(TOC_HEADING, font=heading, size=scale.heading(1), bold=True, color=hex_(c.primary), after=12,
         keep_next=True, page_break_before=True, line=1.0)
    para("TOC 1", font=body, size=scale.body, bold=True, color=hex_(c.text), before=5, after=1, tab_right=True)
    para("TOC 2", font=body, size=scale.body, color=hex_(c.text), after=1, indent_left=5, tab_right=True)
    para(CAPTION, font=body, size=scale.small, italic=True, bold=False, color=hex_(c.text), before=4, after=14)
    para(FIGURE, after=0, keep_next=True, line=1.0)
    para(QUOTE, font=body, size=scale.body, italic=True, color=hex_(c.text), before=6, after=4, indent_left=8,
         border_left=hex_(c.accent))
    para(QUOTE_SOURCE, font=body, size=scale.small, color=hex_(c.text), after=12, indent_left=8)
    para(TABLE_TEXT, font=body, size=scale.small, color=hex_(c.text), before=2, after=2, line=1.0)
    para(TABLE_HEADER_TEXT, font=body, size=scale.small, bold=True, color=hex_(c.header_text), before=2, after=2,
         keep_next=True, line=1.0)
    para(HEADER, font=body, size=scale.small, color=hex_(c.text), after=0, border_bottom=hex_(c.secondary))
    para(FOOTER, font=body, size=scale.small, color=hex_(c.text), after=0, tab_right=True)
    for ordered in (False, True):
        for level in range(1, LIST_LEVELS + 1):
            para(list_style(ordered, level), font=body, size=scale.body, color=hex_(c.text), after=4,
                 num_id=NUMBER_NUM_ID if ordered else BULLET_NUM_ID, ilvl=level - 1)
    _style(styles[HYPERLINK], color=hex_(c.primary), underline=True)
    _table_style(styles[TABLE_STYLE], hex_(c.primary), hex_(c.header_text), hex_(c.secondary))


def _defaults(document, font: str, size: float, color: str, language: str) -> None:
    """docDefaults: the language and font every run falls back to, including East Asian and complex script."""
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, font)
    set_property(rpr, "w:sz", val=str(round(size * 2)))
    set_property(rpr, "w:szCs", val=str(round(size * 2)))
    set_property(rpr, "w:lang", val=language, eastAsia=language, bidi=language)


def _fonts(rpr, font: str) -> None:
    # Theme attributes would override the named font, so the element is replaced whole.
    insert_in_order(rpr, element("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font))


def _style(style, *, font=None, size=None, bold=None, italic=None, color=None, underline=None, language=None,
           before=None, after=None, line=None, keep_next=None, page_break_before=None, outline=None,
           indent_left=None, indent_right=None, border_bottom=None, border_left=None, band=None, tab_right=False,
           num_id=None, ilvl=None) -> None:
    el = style.element
    rpr = el.get_or_add_rPr()
    if font:
        _fonts(rpr, font)
    for tag, value in (("w:b", bold), ("w:bCs", bold), ("w:i", italic), ("w:iCs", italic)):
        if value is not None:
            set_property(rpr, tag, val="1" if value else "0")
    if color:
        set_property(rpr, "w:color", val=color)
    if size:
        set_property(rpr, "w:sz", val=str(round(size * 2)))
        set_property(rpr, "w:szCs", val=str(round(size * 2)))
    if underline:
        set_property(rpr, "w:u", val="single")
    if language:
        set_property(rpr, "w:lang", val=language, eastAsia=language, bidi=language)
    if style.type == WD_STYLE_TYPE.CHARACTER:
        return
    ppr = el.get_or_add_pPr()
    if keep_next is not None:
        set_property(ppr, "w:keepNext", val="1" if keep_next else "0")
    if page_break_before is not None:
        set_property(ppr, "w:pageBreakBefore", val="1" if page_break_before else "0")
    if num_id is not None:
        num_pr = element("w:numPr")
        num_pr.append(element("w:ilvl", val=str(ilvl or 0)))
        num_pr.append(element("w:numId", val=str(num_id)))
        insert_in_order(ppr, num_pr)
    if band:
        borders = element("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            borders.append(element(f"w:{side}", val="single", sz="4", space="14", color=band))
        insert_in_order(ppr, borders)
        insert_in_order(ppr, element("w:shd", val="clear", color="auto", fill=band))
    elif border_bottom or border_left:
        borders = element("w:pBdr")
        if border_left:
            borders.append(element("w:left", val="single", sz="18", space="8", color=border_left))
        if border_bottom:
            borders.append(element("w:bottom", val="single", sz="8", space="4", color=border_bottom))
        insert_in_order(ppr, borders)
    if tab_right:
        tabs = element("w:tabs")
        tabs.append(element("w:tab", val="right", leader="dot" if style.name.startswith("TOC") else "none",
                            pos=str(TEXT_WIDTH_TWIPS)))
        insert_in_order(ppr, tabs)
    if any(v is not None for v in (before, after, line)):
        spacing = element("w:spacing")
        if before is not None:
            spacing.set(qn("w:before"), str(round(before * 20)))
        if after is not None:
            spacing.set(qn("w:after"), str(round(after * 20)))
        if line is not None:
            spacing.set(qn("w:line"), str(round(line * 240)))
            spacing.set(qn("w:lineRule"), "auto")
        insert_in_order(ppr, spacing)
    if indent_left is not None or indent_right is not None:
        ind = element("w:ind", left=str(int(Mm(indent_left or 0).twips)))
        if indent_right is not None:
            ind.set(qn("w:right"), str(int(Mm(indent_right).twips)))
        insert_in_order(ppr, ind)
    if outline is not None:
        set_property(ppr, "w:outlineLvl", val=str(outline))


def _table_style(style, fill: str, header_text: str, rule: str) -> None:
    """Light grid, brand-coloured bold header row: the look of every table."""
    el = style.element
    for child in el.findall(qn("w:tblPr")) + el.findall(qn("w:tblStylePr")):
        el.remove(child)
    tbl_pr = element("w:tblPr")
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{side}", val="single", sz="4", space="0", color=rule if side in ("top", "bottom", "insideH") else "BFBFBF"))
    tbl_pr.append(borders)
    margins = element("w:tblCellMar")
    for side, width in (("top", 40), ("left", 100), ("bottom", 40), ("right", 100)):
        margins.append(element(f"w:{side}", w=str(width), type="dxa"))
    tbl_pr.append(margins)
    el.append(tbl_pr)
    header = element("w:tblStylePr", type="firstRow")
    rpr = element("w:rPr")
    rpr.append(element("w:b", val="1"))
    rpr.append(element("w:color", val=header_text))
    header.append(rpr)
    header.append(element("w:tblPr"))
    tr_pr = element("w:trPr")
    tr_pr.append(element("w:tblHeader"))
    header.append(tr_pr)
    tc_pr = element("w:tcPr")
    tc_pr.append(element("w:shd", val="clear", color="auto", fill=fill))
    header.append(tc_pr)
    el.append(header)
