"""Schema blocks to tagged reportlab flowables: the one place content becomes PDF.

Every flowable goes through the TagTree (``tree.element``/``list``/``table``),
so what is drawn is also in the PDF's logical structure. The annual report and
the one-pagers both lay out their blocks here: the one-pagers in the `Compact`
look (their own tighter type, plain bullets, headings in bold body type, a
table as its rows of text), so a block kind is added once for every publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image as PdfImage, KeepTogether, Paragraph as PdfParagraph
from reportlab.platypus import TableStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from assembler.document.charts import ChartData
from assembler.document import introduces_next, numeric_columns
from assembler.writers.pictures import picture_size_mm
from assembler.writers.report_geometry import FIGURE_WITH_HEADING
from assembler.writers.table_widths import CELL_PADDING, column_widths as shared_column_widths
from assembler.schema import ChartRef, Heading, Image, ListBlock, Notes, Paragraph, Quote, Table, plain_text
from assembler.writers.pdf.chart import chart_drawing, chart_height
from assembler.writers.pdf.markup import needs_no_fallback, paragraph, runs_markup, text_markup
from assembler.writers.pdf.page import FRAME_WIDTH
from assembler.writers.pdf.styles import Styles
from assembler.writers.pdf.tagging import TagTree

BULLETS = ("•", "–", "▪")
NOTES_TITLE = "Notes"  # the line above a section's footnotes and endnotes, as in the DOCX


@dataclass(frozen=True)
class Compact:
    """The one-pagers' look: body and list type of their own (tighter leading, less space) and one indent
    for every list; a box has no room for the report's table grid, so a table is set as its rows."""

    body: ParagraphStyle
    list_item: ParagraphStyle
    list_indent: float




class BlockWriter:
    """Lays out blocks for one frame width; keeps the tree and styles in one place."""

    def __init__(self, styles: Styles, tree: TagTree, inputs: Path, charts: dict[str, ChartData], width: float,
                 compact: Compact | None = None):
        self.styles = styles
        self.tree = tree
        self.inputs = inputs
        self.charts = charts
        self.width = width
        self.compact = compact
        self.body = compact.body if compact else styles.body
        self.list_item = compact.list_item if compact else styles.list_item

    # -- the few helpers every flowable is created through --------------------------------
    def para(self, markup: str, style, role: str = "P") -> Flowable:
        return self.tree.element(paragraph(markup, style), role)

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        return self.tree.element(flowable, "Figure", alt=alt)

    def caption(self, text: str) -> Flowable:
        return self.para(text_markup(text, self.styles), self.styles.caption, "Caption")

    # -- blocks ---------------------------------------------------------------------------
    def flowables(self, blocks: Sequence) -> list[Flowable]:
        story: list[Flowable] = []
        self.block_starts = {}  # id of each block's first flowable -> the block's index (a page break's name)
        heading_at, since = None, 0  # where the last heading's flowables start, and paragraphs since it
        for index, (block, following) in enumerate(zip(blocks, [*blocks[1:], None])):
            made = self.block(block)
            if made:
                self.block_starts[id(made[0])] = index
            if made and introduces_next(block, following):
                made[-1].keepWithNext = 1
            if isinstance(block, Heading) and not self.compact:
                heading_at, since = len(story), 0
            elif isinstance(block, (ChartRef, Image)) and heading_at is not None and since <= FIGURE_WITH_HEADING:
                # A figure stays with its heading: a chart that would open a page under no heading takes its
                # heading and the few lines introducing it along (a group taller than a page still splits).
                for kept in story[heading_at:]:
                    kept.keepWithNext = 1
                heading_at = None
            elif isinstance(block, Paragraph):
                since += 1
            else:
                heading_at = None
            story.extend(made)
        return story

    def block(self, block) -> list[Flowable]:
        if isinstance(block, Heading):
            if self.compact:
                return [self.para(f"<b>{text_markup(block.text, self.styles)}</b>", self.body)]
            return [self.heading(block.text, block.level)]
        if isinstance(block, Paragraph):
            return [self.para(runs_markup(block.runs, self.styles), self.body)]
        if isinstance(block, ListBlock):
            if self.compact:
                return [self.compact_list(block)]
            return [self.list(block, depth=0), Gap(self.styles.body_size * 0.5)]
        if isinstance(block, Table):
            if self.compact:
                return [self.para(text_markup(line, self.styles), self.body) for line in plain_text([block]).splitlines()]
            return self.table(block)
        if isinstance(block, Image):
            return self.image(block)
        if isinstance(block, Quote):
            return self.quote(block)
        if isinstance(block, ChartRef):
            return self.chart(block)
        if isinstance(block, Notes):
            return self.notes(block)
        raise TypeError(f"no PDF layout for block {type(block).__name__}")

    def heading(self, text: str, level: int) -> Flowable:
        return self.para(text_markup(text, self.styles), self.styles.heading(level), f"H{min(max(level, 1), 6)}")

    def list(self, block: ListBlock, depth: int) -> Flowable:
        items = []
        for number, item in enumerate(block.items, start=1):
            label = _number_label(number, depth) if block.ordered else BULLETS[depth % len(BULLETS)]
            body: list[Flowable] = [paragraph(runs_markup(item.runs, self.styles), self.styles.list_item)]
            if item.children:
                body.append(self.list(item.children, depth + 1))
            items.append((label, body))
        indent = self.styles.body_size * (2.0 if block.ordered else 1.4)
        return self.tree.list(items, indent=indent, label_style=self.styles.list_item)

    def compact_list(self, block: ListBlock) -> Flowable:
        """One bullet, numbers '1.' at every depth, one indent: a box is narrow."""
        items = []
        for number, item in enumerate(block.items, start=1):
            label = f"{number}." if block.ordered else BULLETS[0]
            body: list[Flowable] = [paragraph(runs_markup(item.runs, self.styles), self.list_item)]
            if item.children:
                body.append(self.compact_list(item.children))
            items.append((label, body))
        flowable = self.tree.list(items, indent=self.compact.list_indent, label_style=self.body)
        flowable.list_items = items  # for counting the lines once wrapped (one_page.line_count)
        return flowable

    def notes(self, block: Notes) -> list[Flowable]:
        """'Notes', then a list (L > LI > Lbl, LBody) whose labels are the notes' numbers: what the marks refer to."""
        title = self.para(f"<b>{text_markup(NOTES_TITLE, self.styles)}</b>", self.body)
        title.keepWithNext = 1
        items = [(f"{number}.", [PdfParagraph(runs_markup(item.runs, self.styles), self.list_item)])
                 for number, item in enumerate(block.items, start=1)]
        indent = self.compact.list_indent if self.compact else self.styles.body_size * 2.0
        notes = self.tree.list(items, indent=indent, label_style=self.list_item)
        return [title, notes] if self.compact else [title, notes, Gap(self.styles.body_size * 0.5)]

    def table(self, block: Table) -> list[Flowable]:
        s = self.styles
        columns = max((len(row) for row in block.header_rows + block.rows), default=0)
        if not columns:  # a table with no cells at all prints only its caption
            return [self.caption(block.caption)] if block.caption else []
        widths = column_widths(block.header_rows + block.rows, columns, self.width, s)
        numeric = numeric_columns(block.rows, columns)
        header = [[self.cell(text, s.header_cell, width, right) for text, width, right in zip(_pad(row, columns), widths, numeric)]
                  for row in block.header_rows]
        body = [[self.cell(text, s.cell, width, right) for text, width, right in zip(_pad(row, columns), widths, numeric)]
                for row in block.rows]
        n_header = len(header)
        commands = [
            # Plain-string cells are set like the Paragraph cells (and not in reportlab's default Helvetica).
            ("FONT", (0, 0), (-1, -1), s.fonts.regular, s.cell.fontSize, s.cell.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), s.palette.text),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING * 0.7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, s.palette.rule),
            *[("ALIGN", (c, 0), (c, -1), "RIGHT") for c, right in enumerate(numeric) if right],  # figures line up
        ]
        if n_header:
            commands += [
                ("FONT", (0, 0), (-1, n_header - 1), s.fonts.bold, s.header_cell.fontSize, s.header_cell.leading),
                ("TEXTCOLOR", (0, 0), (-1, n_header - 1), s.palette.header_text),
                ("BACKGROUND", (0, 0), (-1, n_header - 1), s.palette.primary),
                ("ROWBACKGROUNDS", (0, n_header), (-1, -1), [s.palette.background, s.palette.zebra]),
            ]
        else:
            commands.append(("ROWBACKGROUNDS", (0, 0), (-1, -1), [s.palette.background, s.palette.zebra]))
        table = self.tree.table(header + body, header_rows=n_header, colWidths=widths, style=TableStyle(commands), hAlign="LEFT",
                                splitInRow=1)  # a cell longer than a page may continue on the next
        story: list[Flowable] = []
        if block.caption:
            caption = self.caption(block.caption)
            caption.keepWithNext = 1
            story.append(caption)
        story.append(_spaced(table, after=s.body_size * 0.8))
        return story

    def cell(self, text: str, style, width: float, right: bool = False) -> str | Flowable:
        """A plain string when the text fits on one line in the brand font (much faster to lay out; the table
        aligns it), else a wrapping Paragraph."""
        fits = stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING - 1
        if fits and "\n" not in text and needs_no_fallback(text):
            return text
        return paragraph(text_markup(text, self.styles), _right_aligned(style) if right else style)

    def image(self, block: Image) -> list[Flowable]:
        path = Path(block.path) if Path(block.path).is_absolute() else self.inputs / block.path
        width, height = picture_size_mm(block, path, self.width / mm)
        picture = PdfImage(str(path), width=width * mm, height=height * mm, hAlign="LEFT")
        return self._with_caption(self.figure(picture, block.alt), block.caption)

    def chart(self, block: ChartRef) -> list[Flowable]:
        chart = self.charts.get(block.chart)
        if chart is None:  # assemble reports unknown charts first; this guards writers called directly
            raise KeyError(f"chart '{block.chart}' is not defined (defined: {', '.join(sorted(self.charts)) or 'none'})")
        drawing = chart_drawing(chart, self.styles.brand, self.width, chart_height(chart))
        drawing.hAlign = "LEFT"
        return self._with_caption(self.figure(drawing, chart.alt_text), block.caption or chart.title)

    def quote(self, block: Quote) -> list[Flowable]:
        """One shaded paragraph: the attribution shares the quote's box, on a line of its own."""
        s = self.styles
        markup = runs_markup(block.runs, s)
        if self.compact:  # in the body type, set off by italics alone: a box has no room for the shaded panel
            attribution = f"<br/>– {text_markup(block.attribution, s)}" if block.attribution else ""
            return [self.para(f"<i>{markup}</i>{attribution}", self.body)]
        if block.attribution:
            attribution = text_markup(block.attribution, s)
            markup += f'<br/><font name="{s.fonts.regular}" size="{s.attribution.fontSize}" color="{s.brand.colours.text}">– {attribution}</font>'
        return [self.para(markup, s.quote, "BlockQuote")]

    def _with_caption(self, figure: Flowable, caption: str | None) -> list[Flowable]:
        if self.compact:  # drawn in a box of its own size: nothing to keep together, no space to spare
            return [figure, self.caption(caption)] if caption else [figure]
        size = self.styles.body_size
        parts = [_spaced(figure, before=size * 0.3, after=0 if caption else size * 0.9)]
        if caption:
            parts.append(self.caption(caption))
        return [KeepTogether(parts)]


class Gap(Flowable):
    """Vertical space that, unlike a Spacer, vanishes at the top of a page (it is all 'space before')."""

    def __init__(self, height: float):
        super().__init__()
        self.spaceBefore = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def _spaced(flowable: Flowable, before: float = 0, after: float = 0) -> Flowable:
    """Space as part of the flowable (not a Spacer), so none is left at the top of a new page."""
    # Through __dict__: reportlab's Drawing refuses attributes it does not know, though Flowable reads these.
    flowable.__dict__.update(spaceBefore=before, spaceAfter=after)
    return flowable


def block_flowables(blocks, styles: Styles, tree: TagTree, inputs: Path, charts: dict, width: float = FRAME_WIDTH) -> list[Flowable]:
    """Flowables for a list of blocks, at `width` (the report's frame width unless a one-pager says otherwise)."""
    return BlockWriter(styles, tree, inputs, charts, width).flowables(blocks)


def column_widths(rows: list[list[str]], columns: int, total: float, styles: Styles) -> list[float]:
    """The shared widths (writers/table_widths.py), so the DOCX's rows wrap where these do."""
    return shared_column_widths(rows, columns, total, styles.cell.fontSize, CELL_PADDING)


def _pad(row: list[str], columns: int) -> list[str]:
    return list(row) + [""] * (columns - len(row))


def _number_label(number: int, depth: int) -> str:
    if depth % 2 == 1:
        return f"{chr(ord('a') + (number - 1) % 26)}."
    return f"{number}."


@cache
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}Right", parent=style, alignment=TA_RIGHT)
