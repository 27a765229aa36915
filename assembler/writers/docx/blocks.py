"""Content blocks (assembler.schema.blocks) written into a python-docx container.

`add_blocks(container, blocks, writer)` is the one entry point: the annual
report uses it for every section, and the one-pagers for every box in the
compact look (compact.py: the PDF's sizes copied into table cells). The
container is a python-docx Document or a table cell; `BlockWriter` carries
what blocks need beyond themselves (charts, images folder, brand, numbering)
and keeps the heading outline so levels never skip and the contents can be
filled in afterwards.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.shared import Emu, Mm, Pt

from assembler.document.charts import ChartData
from assembler.config import Brand
from assembler.document import introduces_next, numeric_columns
from assembler.writers.chart_geometry import chart_height
from assembler.writers.pictures import picture_size_mm
from assembler.writers.report_geometry import FIGURE_WITH_HEADING, ITEMS_EACH_SIDE
from assembler.writers.table_widths import cell_font_size, column_widths, rows_kept_with_next
from assembler.errors import InputError
from assembler.schema import ChartRef, Heading, Image, ListBlock, ListItem, Notes, Paragraph, Quote, Run, Table, plain_text
from assembler.writers.docx import styles as S
from assembler.writers.docx import compact as C
from assembler.writers.docx.chart import TEXT_SHARE, chart_height_px, chart_png
from assembler.writers.docx.numbering import DEEPEST_LEVEL, Numbering
from assembler.writers.docx.ooxml import add_bookmark, element, insert_in_order, set_property
from assembler.writers.docx.scripts import script_properties, segments, starts_right_to_left

SECTION_PROPERTIES = qn("w:sectPr")


def add_text_run(paragraph, text: str):
    """add_text_run(paragraph, text), without python-docx's character-by-character scan for tabs and breaks
    when there are none (most runs): a third of the DOCX writer's time on a long report. A hyphen inside a
    word ('multi-agency', '2023-24') is Word's non-breaking hyphen: the PDF never breaks a line there, and
    LibreOffice and Word would, so the two would wrap the line differently."""
    if any(ch in text for ch in "\t\n\r"):
        return paragraph.add_run(text)
    run = paragraph.add_run()
    pieces = WORD_HYPHEN.split(text) if "-" in text else [text]
    for index, piece in enumerate(pieces):
        if index:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            if piece != piece.strip():
                t.set(XML_SPACE, "preserve")
            run._r.append(t)
    return run


WORD_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_script_text(paragraph, text: str, font: str) -> None:
    """Plain text as runs carrying the font and direction hints of its scripts (writers/docx/scripts.py)."""
    if text.isascii():
        add_text_run(paragraph, text)
        return
    for script, piece in segments(text):
        run = add_text_run(paragraph, piece)
        hints = script_properties(script, font, False, False)
        if hints:
            properties = element("w:rPr")
            properties.extend(hints)
            run._r.insert(0, properties)
    if starts_right_to_left(text):
        insert_in_order(paragraph._p.get_or_add_pPr(), element("w:bidi"))


def _styled_p(style_id: str):
    """A new w:p in a paragraph style, built as XML (python-docx's style setter rescans every style)."""
    p = element("w:p")
    properties = element("w:pPr")
    properties.append(element("w:pStyle", val=style_id))
    p.append(properties)
    return p


def _owner(container):
    """The block container proper: a Document holds its body; a table cell is its own."""
    return getattr(container, "_body", container)


def _append_block(owner, block):
    """Add a paragraph or table at the end, before the body's section properties, in constant time.

    python-docx searches all the body's children for the sectPr on every insert,
    which is quadratic in a long report; lxml finds the last child directly.
    """
    parent = owner._element
    try:
        last = parent[-1]
    except IndexError:
        last = None
    if last is not None and last.tag == SECTION_PROPERTIES:
        last.addprevious(block)
    else:
        parent.append(block)
    return block

NOTES_TITLE = "Notes"  # the line above a section's footnotes and endnotes
CHART_DPI = 300
CHART_TEXT_PT = 8.5  # as the PDF's charts
CONTENTS_DEPTH = 2  # headings 1-2 are bookmarked for the contents


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    text: str
    bookmark: str


@dataclass
class BlockWriter:
    """What writing blocks needs from outside them, and the outline written so far."""

    document: object  # python-docx Document: numbering, relationships and pictures live on its part
    brand: Brand
    inputs: Path
    charts: dict[str, ChartData] = field(default_factory=dict)
    outline: list[OutlineEntry] = field(default_factory=list)
    last_level: int = 0
    numbering: Numbering | None = None
    compact: C.Compact | None = None  # a one-pager's box: its look, else the report's styles
    width: int = S.TEXT_WIDTH  # EMU: the text column, or the box

    _styles: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.numbering is None and self.compact is None:  # a box's lists print their labels
            self.numbering = Numbering(self.document)

    def style(self, name: str):
        """Style objects by name, looked up once: python-docx searches every style on each lookup."""
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def paragraph(self, container, style_name: str, text: str = ""):
        """A new paragraph at the end of `container` (the document body or a table cell).

        Built directly rather than with python-docx's add_paragraph, which looks
        for the section properties among all the body's children on every call
        (quadratic in a 1,000-page report) and rescans every style to set one.
        """
        owner = _owner(container)
        paragraph = DocxParagraph(_append_block(owner, _styled_p(self.style(style_name).style_id)), owner)
        if text:
            add_script_text(paragraph, text, self.brand.fonts.body)
        return paragraph

    def heading(self, container, text: str, level: int, style: str | None = None):
        """A heading one level below the previous one at most: a screen reader's outline has no gaps.
        `style`: a heading style of the same level other than Heading N (the report's Section Heading)."""
        level = max(1, min(level, self.last_level + 1, S.MAX_HEADING))
        self.last_level = level
        paragraph = self.paragraph(container, style if style and S.heading_level(style) == level else S.heading_style(level))
        add_script_text(paragraph, text, self.brand.fonts.heading)
        if level <= CONTENTS_DEPTH:
            bookmark = f"_Toc{len(self.outline) + 1:08d}"
            add_bookmark(paragraph, bookmark, len(self.outline) + 1)
            self.outline.append(OutlineEntry(level, text, bookmark))
        return paragraph


def prepare_document(document, brand: Brand, language: str) -> None:
    """Make any python-docx Document ready for `add_blocks`: the report's styles, lists and brand.

    The annual report's template already has them; a one-page writer starting from
    another template calls this first. Existing list definitions are kept unless they
    are not the report's own (then the report's two lists replace them).
    """
    from assembler.writers.docx.numbering import define_numbering, has_report_numbering

    S.ensure_styles(document)
    if not has_report_numbering(document):
        define_numbering(document, brand.fonts.body)
    S.apply_brand(document, brand, language)


def _tail(owner):
    """The last block in the container, before the body's section properties (None: empty)."""
    parent = owner._element
    # Not len(parent): lxml counts the children one by one, and this is asked before every block (quadratic).
    last = next(parent.iterchildren(reversed=True), None)
    return last.getprevious() if last is not None and last.tag == SECTION_PROPERTIES else last


def add_blocks(container, blocks: list, writer: BlockWriter, starts: list | None = None) -> None:
    """Each block into `container`; `starts`, if given, gets each block's first element (None: it wrote none)."""
    look = writer.compact
    # A figure stays with its heading, as in the PDF: a chart that would open a page under no heading takes its
    # heading and the few paragraphs introducing it along (the heading and those paragraphs keep with the next).
    since_heading: list | None = None
    owner = _owner(container)
    for block, following in zip(blocks, [*blocks[1:], None]):
        if starts is not None:
            tail = _tail(owner)
            starts.append(tail)  # replaced below by the block's first element
        if isinstance(block, (ChartRef, Image)) and since_heading is not None and len(since_heading) <= FIGURE_WITH_HEADING + 1:
            for kept in since_heading:
                kept.paragraph_format.keep_with_next = True
        if not isinstance(block, (Heading, Paragraph)) or look:
            since_heading = None
        if isinstance(block, Heading):
            if look:
                C.text_paragraph(container, block.text, look, bold=True)
            else:
                since_heading = [writer.heading(container, block.text, block.level)]
        elif isinstance(block, Paragraph):
            if look:
                C.runs_paragraph(container, block.runs, look)
            elif "".join(r.text for r in block.runs).strip():  # an empty paragraph is never used as spacing
                paragraph = writer.paragraph(container, S.NORMAL)
                if introduces_next(block, following):
                    paragraph.paragraph_format.keep_with_next = True
                add_runs(paragraph, block.runs, writer)
                if since_heading is not None:
                    since_heading.append(paragraph)
        elif isinstance(block, ListBlock):
            if look:
                C.add_list(container, block, look)
            else:
                add_list(container, block, writer, depth=1)
        elif isinstance(block, Table):
            if look:  # a box has no room for a grid: the rows as lines, every cell kept
                for line in plain_text([block]).splitlines():
                    C.text_paragraph(container, line, look)
            else:
                add_table(container, block, writer)
        elif isinstance(block, Image):
            add_image(container, block, writer)
        elif isinstance(block, ChartRef):
            add_chart(container, block, writer)
        elif isinstance(block, Quote):
            if look:
                C.runs_paragraph(container, [r.model_copy(update={"italic": True}) for r in block.runs], look)
                if block.attribution:
                    C.text_paragraph(container, f"\u2013 {block.attribution}", look)
            else:
                add_runs(writer.paragraph(container, S.QUOTE), block.runs, writer)
                if block.attribution:
                    writer.paragraph(container, S.QUOTE_SOURCE, f"\u2013 {block.attribution}")  # the PDF's dash
        elif isinstance(block, Notes):
            add_notes(container, block, writer)
        else:  # pragma: no cover - the schema's Block union is closed
            raise TypeError(f"no DOCX layout for block {type(block).__name__}")
        if starts is not None:
            before, after = starts[-1], _tail(owner)
            starts[-1] = None if after is before else before.getnext() if before is not None else owner._element[0]


def add_runs(paragraph, runs: list[Run], writer: BlockWriter) -> None:
    """Bold, italic, real hyperlinks (w:hyperlink with an external relationship), and the font and
    direction hints other scripts need (writers/docx/scripts.py: one w:r per script)."""
    for run in runs:
        if not run.text:
            continue
        for script, text in segments(run.text):
            docx_run = add_text_run(paragraph, text)
            hints = script_properties(script, writer.brand.fonts.body, run.bold, run.italic)
            if run.bold or run.italic or run.note or hints:  # as XML: python-docx's setters rescan the run's properties for each
                properties = element("w:rPr")
                properties.extend(element(tag) for tag, on in (("w:b", run.bold), ("w:i", run.italic)) if on)
                for hint in hints:
                    insert_in_order(properties, hint)
                if run.note:  # a note's mark, '[1]', raised as Word raises its own
                    insert_in_order(properties, element("w:vertAlign", val="superscript"))
                docx_run._r.insert(0, properties)
            if run.link:
                _make_link(paragraph, docx_run, run.link, writer)
    if not all(run.text.isascii() for run in runs) and starts_right_to_left("".join(run.text for run in runs)):
        insert_in_order(paragraph._p.get_or_add_pPr(), element("w:bidi"))


def add_notes(container, block: Notes, writer: BlockWriter) -> None:
    """A section's footnotes and endnotes at its end: 'Notes', then a numbered list (note N is item N).

    Printed in the text rather than as Word footnotes: the same in Word and in the PDF, and deterministic.
    """
    notes = ListBlock(ordered=True, items=[ListItem(runs=item.runs) for item in block.items])
    if writer.compact:
        C.text_paragraph(container, NOTES_TITLE, writer.compact, bold=True)
        C.add_list(container, notes, writer.compact)
        return
    title = writer.paragraph(container, S.NORMAL)
    title.paragraph_format.keep_with_next = True
    add_runs(title, [Run(text=NOTES_TITLE, bold=True)], writer)
    add_list(container, notes, writer, depth=1)


def link_target(link: str) -> str:
    if "@" in link and ":" not in link:
        return f"mailto:{link}"
    return link


def _make_link(paragraph, docx_run, link: str, writer: BlockWriter) -> None:
    r_id = writer.document.part.relate_to(link_target(link), RT.HYPERLINK, is_external=True)
    hyperlink = element("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    hyperlink.set(qn("w:history"), "1")
    r = docx_run._r
    r.addprevious(hyperlink)
    hyperlink.append(r)
    insert_in_order(r.get_or_add_rPr(), element("w:rStyle", val=writer.style(S.HYPERLINK).style_id))


def add_list(container, block: ListBlock, writer: BlockWriter, depth: int) -> list:
    """Each item a paragraph in List Bullet/Number N, numbered by a real w:numPr at its depth; the paragraphs
    made. As in the PDF (tagged_flowables._keep_items_in_twos), the first item keeps with the second and the
    one before the last with the last, so a page never ends on a list's first item or starts on its last."""
    num_id = writer.numbering.new_list(block.ordered)
    ilvl = min(depth - 1, DEEPEST_LEVEL)
    made: list[list] = []  # per item: its paragraph and its sub-list's
    for item in block.items:
        paragraph = writer.paragraph(container, S.list_style(block.ordered, depth))
        num_pr = element("w:numPr")
        num_pr.append(element("w:ilvl", val=str(ilvl)))
        num_pr.append(element("w:numId", val=str(num_id)))
        insert_in_order(paragraph._p.get_or_add_pPr(), num_pr)
        add_runs(paragraph, item.runs, writer)
        made.append([paragraph] + (add_list(container, item.children, writer, depth + 1) if item.children else []))
    if len(made) >= ITEMS_EACH_SIDE:
        for index in {0, len(made) - 2}:
            for kept in made[index]:
                kept.paragraph_format.keep_with_next = True
    return [paragraph for item in made for paragraph in item]


def add_table(container, block: Table, writer: BlockWriter) -> None:
    """A grid with no merged cells; the header row repeats on every page (w:tblHeader)."""
    header_rows = block.header_rows or block.rows[:1]  # a table read with no header still gets one
    body_rows = block.rows if block.header_rows else block.rows[1:]
    rows = header_rows + body_rows
    columns = max(len(r) for r in rows)
    if block.caption:
        caption = writer.paragraph(container, S.CAPTION, block.caption)
        caption.paragraph_format.keep_with_next = True
    owner = _owner(container)
    tbl = _append_block(owner, CT_Tbl.new_tbl(0, columns, writer.width))
    tbl_pr = tbl.tblPr
    tbl_pr.style = writer.style(S.TABLE_STYLE).style_id  # by id: the name setter rescans every style
    set_property(tbl_pr, "w:tblW", w="5000", type="pct")
    set_property(tbl_pr, "w:tblLayout", type="fixed")  # the PDF's widths, not widths fitted to the text
    set_property(tbl_pr, "w:tblLook", val="0420", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")
    if block.caption:
        set_property(tbl_pr, "w:tblCaption", val=block.caption[:255])
    widths = [str(int(width.twips)) for width in _column_widths(rows, columns, Emu(writer.width), writer.brand.fonts.body_size)]
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), width)
    fill = writer.brand.colours.primary.lstrip("#")
    numeric = numeric_columns(body_rows, columns)
    header_style = writer.style(S.TABLE_HEADER_TEXT).style_id
    text_style = writer.style(S.TABLE_TEXT).style_id
    # Where the PDF would not split the table, its rows keep with the next (writers/table_widths.py).
    kept = rows_kept_with_next(len(header_rows), len(body_rows), after_kept=_keeps_with_next(tbl.getprevious()))
    # Rows are built as XML in one go: python-docx's row and cell accessors rescan the table on every call.
    for r, cells in enumerate(rows):
        is_header = r < len(header_rows)
        tr = element("w:tr")
        tr_pr = element("w:trPr")
        tr_pr.append(element("w:cantSplit"))
        if is_header:
            tr_pr.append(element("w:tblHeader"))
        tr.append(tr_pr)
        for c in range(columns):
            tc = element("w:tc")
            tc_pr = element("w:tcPr")
            tc_pr.append(element("w:tcW", type="dxa", w=widths[c]))
            if is_header:
                # Direct shading as well as the table style: LibreOffice ignores conditional table styles.
                tc_pr.append(element("w:shd", val="clear", color="auto", fill=fill))
            tc.append(tc_pr)
            p = _styled_p(header_style if is_header else text_style)
            if kept[r] and not is_header:  # the header's style keeps it with the next row
                insert_in_order(p[0], element("w:keepNext"))
            if numeric[c]:
                p[0].append(element("w:jc", val="right"))  # figures line up by their last digit
            tc.append(p)
            tr.append(tc)
            text = cells[c] if c < len(cells) else ""
            if text:
                add_script_text(DocxParagraph(p, owner), text, writer.brand.fonts.body)
        tbl.append(tr)


def _keeps_with_next(paragraph) -> bool:
    """A paragraph set to keep with what follows: a heading (by its style), a caption or an introduction."""
    if paragraph is None or paragraph.tag != qn("w:p"):
        return False
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        return False
    keep = ppr.find(qn("w:keepNext"))
    if keep is not None:
        return keep.get(qn("w:val"), "1") not in ("0", "false")
    style = ppr.find(qn("w:pStyle"))
    return style is not None and S.heading_level(_style_name(style.get(qn("w:val")))) is not None


def _style_name(style_id: str) -> str:
    """A heading style's name from its id ('Heading2' -> 'Heading 2', 'SectionHeading' -> 'Section Heading')."""
    return S.SECTION_HEADING if style_id == S.SECTION_HEADING.replace(" ", "") else style_id.replace("Heading", "Heading ")


def _column_widths(rows: list[list[str]], columns: int, text_width: Emu, body_size: float) -> list[Emu]:
    """The PDF's widths (writers/table_widths.py), in the same body font, so rows wrap as the PDF's do; the
    last column takes the rounding, so the columns fill the text width exactly."""
    points = column_widths(rows, columns, Emu(text_width).pt, cell_font_size(body_size))
    widths = [Emu(int(Pt(w))) for w in points]
    return widths[:-1] + [Emu(int(text_width) - sum(widths[:-1]))]


def _resolve_image(path: str, inputs: Path) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else inputs / candidate


def add_image(container, block: Image, writer: BlockWriter) -> None:
    source = _resolve_image(block.path, writer.inputs)
    if not source.is_file():
        raise InputError(str(source), "the picture file is missing", "put the picture beside the text that uses it, or correct its path", field="image", code="picture_missing")
    width_mm, _ = picture_size_mm(block, source, Emu(writer.width).mm)
    picture = _picture(container, str(source), Emu(int(Mm(width_mm))), writer, alt=block.alt, title=block.caption or block.alt)
    if block.caption:
        _caption(container, block.caption, writer)
    elif not writer.compact:  # the Figure style keeps a picture with its caption; with none, as the PDF, with nothing
        picture.paragraph_format.keep_with_next = False


def add_chart(container, block: ChartRef, writer: BlockWriter) -> None:
    chart = writer.charts.get(block.chart)
    if chart is None:
        raise InputError("report.yaml", f"the chart '{block.chart}' is not defined", "define it under charts: in report.yaml", field=f"charts.{block.chart}", code="unknown_chart")
    width_px = round(Emu(writer.width).inches * CHART_DPI)
    # Words at least CHART_TEXT_PT however narrow the chart (a one-pager's box); the report's column is wide enough.
    share = max(TEXT_SHARE, CHART_TEXT_PT / Emu(writer.width).pt)
    if writer.compact:
        height_px, height = chart_height_px(chart, width_px, share), None
    else:  # the report: as tall as the PDF's drawing, so the two paginate alike
        height = Emu(int(Pt(chart_height(chart))))
        height_px = round(width_px * height / writer.width)
    png = chart_png(chart, writer.brand, width_px, height_px, dpi=CHART_DPI, text_share=share)
    _picture(container, io.BytesIO(png), Emu(writer.width), writer, alt=chart.alt_text, title=chart.title, height=height)
    _caption(container, block.caption or chart.title, writer)


def _caption(container, text: str, writer: BlockWriter) -> None:
    if writer.compact:
        C.text_paragraph(container, text, writer.compact)
    else:
        writer.paragraph(container, S.CAPTION, text)


def _picture(container, source, width, writer: BlockWriter, *, alt: str, title: str, height=None):
    """An inline picture with alternative text (wp:docPr descr) and a title."""
    if writer.compact:
        paragraph = writer.compact.paragraph(container, exact=False, after=0)
    else:
        paragraph = writer.paragraph(container, S.FIGURE)
    run = paragraph.add_run()
    run.add_picture(source, width=width, height=height)
    set_alt_text(run._r, alt, title)
    return paragraph


def set_alt_text(run_element, alt: str, title: str) -> None:
    for doc_pr in run_element.iter(qn("wp:docPr")):
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)
    for c_nv_pr in run_element.iter(qn("pic:cNvPr")):
        c_nv_pr.set("descr", alt)
