"""The flowables behind TagTree: tagged subclasses, group markers, tables, lists and the TOC.

Use them through ``TagTree`` (tagging.py); nothing here is meant to be called directly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table
from reportlab.platypus.tableofcontents import TableOfContents

from assembler.writers.pdf.structure import ARTIFACT, ElementSpec, Recorder


# --------------------------------------------------------------------------- any flowable

class _TaggedMixin:
    """Mixed in front of a flowable's own class: draws it inside marked content."""

    _tag_tree: Recorder
    _tag_spec: ElementSpec | None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tree, spec = self._tag_tree, getattr(self, "_tag_spec", None)
        if spec is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        if spec.role == ARTIFACT:
            tree.begin_artifact(canvas)
        else:
            node = tree.node_for(canvas, spec)
            node.link_texts.update(spec.link_texts)
            if spec.role == "Figure":
                node.bboxes.append(_page_box(canvas, self, x, y, _sW))
            tree.begin_content(canvas, node)
        try:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        finally:
            tree.end_marked(canvas)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A paragraph's lines depend on the width alone, and reportlab wraps a third of them again at the
        # width of the last wrap (to measure, keep together, split): the lines from then are still in place
        # unless a split found no room for them (it deletes them).
        paragraph = isinstance(self, Paragraph)
        if paragraph and availWidth == getattr(self, "_tag_wrapped_width", None) and hasattr(self, "blPara"):
            return self._tag_size
        size = super().wrap(availWidth, availHeight)  # type: ignore[misc]
        object.__setattr__(self, "_tag_size", size)  # Drawings vet attribute names in __setattr__
        if paragraph:
            self._tag_wrapped_width = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        spec = getattr(self, "_tag_spec", None)
        if spec is not None:
            for part in parts:
                if getattr(part, "_tag_spec", None) is None:  # a part of this element, not a nested one
                    _retag(self._tag_tree, part, spec)
        return parts


def _page_box(canvas: Canvas, flowable: Flowable, x: float, y: float, spare: float) -> tuple[float, ...]:
    """Where a flowable lands on the page (for a Figure's /BBox), as reportlab's drawOn aligns it."""
    width, height = getattr(flowable, "_tag_size", (getattr(flowable, "width", 0), getattr(flowable, "height", 0)))
    align = str(getattr(flowable, "hAlign", "LEFT")).upper()
    if spare > 0 and align in ("CENTER", "CENTRE"):
        x += spare / 2
    elif spare > 0 and align == "RIGHT":
        x += spare
    a, b, c, d, e, f = getattr(canvas, "_currentMatrix", (1, 0, 0, 1, 0, 0))
    corners = [(a * px + c * py + e, b * px + d * py + f) for px, py in
               ((x, y), (x + width, y), (x, y + height), (x + width, y + height))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


_TAGGED_CLASSES: dict[type, type] = {}


def _tagged_class(cls: type) -> type:
    if issubclass(cls, _TaggedMixin):
        return cls
    tagged = _TAGGED_CLASSES.get(cls)
    if tagged is None:
        tagged = _TAGGED_CLASSES[cls] = type(f"Tagged{cls.__name__}", (_TaggedMixin, cls), {})
    return tagged


def _retag(tree: Recorder, flowable: Flowable, spec: ElementSpec) -> Flowable:
    # object.__setattr__: reportlab Drawings validate attribute names in __setattr__.
    object.__setattr__(flowable, "_tag_tree", tree)
    object.__setattr__(flowable, "_tag_spec", spec)
    object.__setattr__(flowable, "__class__", _tagged_class(type(flowable)))
    return flowable


def tag_flowable(tree: Recorder, flowable: Flowable, spec: ElementSpec) -> Flowable:
    if getattr(flowable, "_tag_spec", None) is not None:
        raise ValueError(f"{type(flowable).__name__} is already tagged as {flowable._tag_spec.role}; "
                         "tag each flowable once")
    if isinstance(flowable, Spacer):
        return flowable  # draws nothing: an element for it would be empty
    spec.link_texts = link_texts(flowable)  # now: split parts lose the markup
    return _retag(tree, flowable, spec)


def is_tagged(flowable: Flowable) -> bool:
    return getattr(flowable, "_tag_spec", None) is not None


_LINK = re.compile(r"""<(a|link)\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</\1\s*>""", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def link_texts(flowable: Any) -> dict[str, str]:
    """href -> linked words of a Paragraph's ``<a href>`` links (for annotation /Contents).

    Read from the markup: after wrap() a Paragraph's frags no longer hold the words.
    """
    markup = getattr(flowable, "text", None)
    if not isinstance(flowable, Paragraph) or not isinstance(markup, str):
        return {}
    texts: dict[str, str] = {}
    for _, href, inner in _LINK.findall(markup):
        words = " ".join(html.unescape(_TAG.sub("", inner)).split())
        href = html.unescape(href)
        texts[href] = f"{texts[href]} {words}" if href in texts else words
    return texts


# --------------------------------------------------------------------------- groups

class GroupMarker(Flowable):
    """Zero-size flowable: opens (spec given) or closes (None) a grouping element when drawn."""

    _ZEROSIZE = True  # frames draw it even when no space is left

    def __init__(self, tree: Recorder, spec: ElementSpec | None) -> None:
        super().__init__()
        self.tree, self.spec = tree, spec
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self.spec is None:
            self.tree.end_group(canvas)
        else:
            self.tree.begin_group(canvas, self.spec)

    def draw(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"GroupMarker({self.spec.role if self.spec else 'close'})"


# --------------------------------------------------------------------------- tables

class TableTags:
    """The struct roles of one tagged table, shared by all its split parts."""

    def __init__(self, tree: Recorder, spec: ElementSpec, header_rows: int, header_columns: int,
                 row_role: str = "TR", cell_roles: bool = True) -> None:
        self.tree, self.spec = tree, spec
        self.header_rows, self.header_columns = header_rows, header_columns
        self.row_role, self.cell_roles = row_role, cell_roles
        self.row_specs: dict[int, ElementSpec] = {}
        self.cell_specs: dict[tuple[int, int], ElementSpec] = {}

    def row_spec(self, row: int) -> ElementSpec:
        if row not in self.row_specs:
            self.row_specs[row] = ElementSpec(self.row_role)
        return self.row_specs[row]

    def cell_spec(self, row: int, col: int, col_span: int = 1, row_span: int = 1) -> ElementSpec:
        key = (row, col)
        if key not in self.cell_specs:
            attributes: dict[str, str | int] = {"O": "Table"}
            if row < self.header_rows:
                role, attributes["Scope"] = "TH", "Column"
            elif col < self.header_columns:
                role, attributes["Scope"] = "TH", "Row"
            else:
                role = "TD"
            if col_span > 1:
                attributes["ColSpan"] = col_span
            if row_span > 1:
                attributes["RowSpan"] = row_span
            self.cell_specs[key] = ElementSpec(role, attributes=attributes if len(attributes) > 1 else None)
        return self.cell_specs[key]


# A short table is never split so that a row, or a header and one row, stands alone on a page: it moves
# whole to the next page instead. A longer one, one taller than a page, or one that follows a heading it is
# kept with at the top of a page (keep.py) splits where it must. The numbers are shared with the DOCX.
from assembler.writers.report_geometry import ITEMS_EACH_SIDE  # noqa: E402
from assembler.writers.table_widths import ROWS_EACH_SIDE, SHORT_TABLE_ROWS  # noqa: E402


SPLIT_TOLERANCE = 0.01  # points: the rows' own heights, summed, fit the height they are given


def fresh_frame_height(frame) -> float:
    """The height a frame offers when nothing is in it yet (inf when unknown: no limit is assumed)."""
    if frame is None or not hasattr(frame, "_height"):
        return float("inf")
    return frame._height - frame._topPadding - frame._bottomPadding


class TaggedTable(Table):
    """A Table whose cells are TH/TD marked content; repeated header rows are artifacts."""

    _tags: TableTags | None = None
    _origins: list[tuple[int, bool]] | None = None  # per row: (row in the original table, is a repeat)

    split_anyway = False  # set by KeepWithStart for a table kept with a heading at the top of a page

    def is_short(self, fresh_height: float) -> bool:
        """Few rows, not already split, and whole it fits on an empty page (call after wrap)."""
        return (self._nrows - _header_rows(self) <= SHORT_TABLE_ROWS and self._origins is None
                and sum(getattr(self, "_rowHeights", None) or [float("inf")]) <= fresh_height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self._split_tagged(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        at_top = getattr(frame, "_atTop", True)  # at the top of a page it must split
        if (len(parts) == 2 and not at_top and not self.split_anyway and self.is_short(fresh_frame_height(frame))
                and min(map(_own_rows, parts)) < ROWS_EACH_SIDE):
            return []
        if len(parts) == 2 and not self.split_anyway:
            parts = self._without_a_row_alone(parts, availWidth, at_top)
        return parts

    def _without_a_row_alone(self, parts: list[Flowable], availWidth: float, at_top: bool) -> list[Flowable]:
        """A long table's split leaves ROWS_EACH_SIDE rows on each side, as a paragraph's leaves two lines: the
        last row alone overleaf takes the one before it along; the first row alone at a page's foot goes over."""
        first, second = _own_rows(parts[0]), _own_rows(parts[1])
        if second < ROWS_EACH_SIDE and first - (ROWS_EACH_SIDE - second) >= ROWS_EACH_SIDE:
            keep = parts[0]._nrows - (ROWS_EACH_SIDE - second)  # rows (with the header) left on this page
            resplit = self._split_tagged(availWidth, sum(self._rowHeights[:keep]) + SPLIT_TOLERANCE)
            if len(resplit) == 2:
                return resplit
        opening = sum(self._rowHeights[:_header_rows(self) + ROWS_EACH_SIDE])  # its header and two rows
        if first < ROWS_EACH_SIDE and not at_top and opening <= fresh_frame_height(getattr(self, "_frame", None)):
            return []
        return parts

    def _split_tagged(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        origins = self._row_origins()
        if len(parts) == 2 and all(isinstance(p, TaggedTable) for p in parts):
            first, rest = parts
            repeat = min(_header_rows(self), rest._nrows)
            # Count the rest's own rows from the end: a row split inside (splitInRow) is in both parts.
            tail = origins[len(origins) - (rest._nrows - repeat):] if rest._nrows > repeat else []
            repeated = [(row, True) for row, _ in origins[:repeat]]
            first._tags, first._origins = self._tags, origins[: first._nrows]
            rest._tags, rest._origins = self._tags, repeated + tail
        else:
            for part in parts:
                if isinstance(part, TaggedTable):
                    part._tags, part._origins = self._tags, origins[: part._nrows]
        return parts

    def _row_origins(self) -> list[tuple[int, bool]]:
        return self._origins if self._origins is not None else [(r, False) for r in range(self._nrows)]


def _own_rows(part: Flowable) -> int:
    """Body rows of a part of a split table: neither its header nor the header repeated above it."""
    if not isinstance(part, TaggedTable):
        return ROWS_EACH_SIDE
    header = _header_rows(part)
    return sum(1 for row, repeated in part._row_origins() if not repeated and row >= header)


def _header_rows(table: Table) -> int:
    """How many rows repeat at the top of each page (reportlab takes a count or a sequence of rows)."""
    return table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows or ())


def _table_render_cb(table: TaggedTable, event: str, *args: Any) -> None:
    """reportlab's Table render callback: marks backgrounds, lines and each cell."""
    tags, canvas = table._tags, table.canv
    if tags is None:
        return
    tree = tags.tree
    if event in ("startBG", "startLines"):
        tree.begin_artifact(canvas)
    elif event in ("endBG", "endLines", "endCell"):
        tree.end_marked(canvas)
    elif event == "startCell":
        row_no, col_no, cellval = args[0], args[1], args[2]
        original_row, repeated = table._row_origins()[row_no]
        if repeated or (not tags.cell_roles and _is_blank(cellval)):
            tree.begin_artifact(canvas)
            return
        table_node = tree.node_for(canvas, tags.spec)
        row_node = tree.child_node(canvas, tags.row_spec(original_row), table_node)
        col_span, row_span = _spans(table, row_no, col_no)
        node = (tree.child_node(canvas, tags.cell_spec(original_row, col_no, col_span, row_span), row_node)
                if tags.cell_roles else row_node)
        for flowable in cellval if isinstance(cellval, (list, tuple)) else [cellval]:
            node.link_texts.update(link_texts(flowable))
        tree.begin_content(canvas, node)


def _spans(table: Table, row: int, col: int) -> tuple[int, int]:
    """(ColSpan, RowSpan) of the cell drawn at (row, col) of this part: tables must stay regular."""
    if not getattr(table, "_spanCmds", None):
        return 1, 1
    span = table._spanRanges.get((col, row))
    if not span:
        return 1, 1
    col0, row0, col1, row1 = span
    return col1 - col0 + 1, row1 - row0 + 1


def _is_blank(cellval: Any) -> bool:
    values = cellval if isinstance(cellval, (list, tuple)) else [cellval]
    return all(v is None or isinstance(v, Spacer) or (isinstance(v, str) and not v.strip()) for v in values)


def tagged_table(tree: Recorder, data: Sequence[Sequence[Any]], header_rows: int, header_columns: int,
                 **table_kwargs: Any) -> TaggedTable:
    if "repeatRows" in table_kwargs or "renderCB" in table_kwargs:
        raise ValueError("tree.table sets repeatRows (from header_rows) and renderCB itself")
    table = TaggedTable([list(row) for row in data], repeatRows=header_rows,
                        renderCB=_table_render_cb, **table_kwargs)
    table._tags = TableTags(tree, ElementSpec("Table"), header_rows, header_columns)
    return table


# --------------------------------------------------------------------------- table of contents

class _TaggedTOCMixin:
    """TableOfContents whose internal table is tagged TOC > TOCI (entries), blank rows artifacts."""

    _tag_tree: Recorder
    _tag_spec: ElementSpec

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)  # type: ignore[misc]
        table = self._table  # type: ignore[attr-defined]
        object.__setattr__(table, "__class__", TaggedTable)
        table._renderCB = _table_render_cb
        # One TableTags per wrap: entries are laid out afresh each multiBuild pass.
        table._tags = TableTags(self._tag_tree, self._tag_spec, 0, 0, row_role="TOCI", cell_roles=False)
        return size


def tagged_toc(tree: Recorder, toc: Flowable) -> Flowable:
    if not isinstance(toc, TableOfContents):
        raise TypeError(f"tree.toc expects a reportlab TableOfContents, not {type(toc).__name__}; "
                        "for a hand-made contents use tree.open('TOC') and tree.element(p, 'TOCI')")
    object.__setattr__(toc, "_tag_tree", tree)
    object.__setattr__(toc, "_tag_spec", ElementSpec("TOC"))
    cls = type(toc)
    tagged = _TAGGED_CLASSES.get(cls)
    if tagged is None:
        tagged = _TAGGED_CLASSES[cls] = type(f"TaggedTOC{cls.__name__}", (_TaggedTOCMixin, cls), {})
    object.__setattr__(toc, "__class__", tagged)
    return toc


# --------------------------------------------------------------------------- lists

def _wrap(flowable: Flowable, container: Flowable, availWidth: float, availHeight: float) -> tuple[float, float]:
    """wrapOn with the container's canvas when it has one (some flowables measure with it)."""
    canvas = getattr(container, "canv", None)
    if canvas is not None:
        return flowable.wrapOn(canvas, availWidth, availHeight)
    return flowable.wrap(availWidth, availHeight)


class _ListBody(Flowable):
    """A list item's body flowable, indented; the first part also draws the item's label."""

    def __init__(self, tree: Recorder, inner: Flowable, indent: float,
                 label: str | None, label_style: Any) -> None:
        super().__init__()
        self.tree, self.inner, self.indent = tree, inner, indent
        self.label, self.label_style = label, label_style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        w, h = _wrap(self.inner, self, availWidth - self.indent, availHeight)
        self.width, self.height = w + self.indent, h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        canvas = getattr(self, "canv", None)
        parts = (self.inner.splitOn(canvas, availWidth - self.indent, availHeight) if canvas is not None
                 else self.inner.split(availWidth - self.indent, availHeight))
        return [_ListBody(self.tree, part, self.indent, self.label if i == 0 else None, self.label_style)
                for i, part in enumerate(parts)]

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self) -> bool:
        return bool(self.__dict__.get("keepWithNext") or self.inner.getKeepWithNext())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self.label:
            self._draw_label(canvas, x, y)
        self.inner.drawOn(canvas, x + self.indent, y, max(0, _sW))

    def draw(self) -> None:
        pass

    def _draw_label(self, canvas: Canvas, x: float, y: float) -> None:
        style = self.label_style or getattr(self.inner, "style", None)
        font = getattr(style, "fontName", "Helvetica")
        size = getattr(style, "fontSize", 10)
        tree = self.tree
        tree.sync(canvas)
        label_node = tree.label_node()
        tree.begin_content(canvas, label_node)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(getattr(style, "textColor", None) or "black")
        label_width = stringWidth(self.label, font, size)
        baseline = y + self.height - size
        canvas.drawString(x + max(0.0, self.indent - label_width - size * 0.4), baseline, self.label)
        canvas.restoreState()
        tree.end_marked(canvas)


class TaggedList(Flowable):
    """L > LI > (Lbl, LBody): draws whole when it fits, otherwise splits into its parts."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = [_wrap(part, self, availWidth, availHeight) for part in self.parts]
        height = sum(h for _, h in self._sizes)
        height += sum(p.getSpaceBefore() for p in self.parts[1:]) + sum(p.getSpaceAfter() for p in self.parts[:-1])
        self.width, self.height = availWidth, height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self.parts)

    def getSpaceBefore(self) -> float:
        return self.parts[0].getSpaceBefore() if self.parts else 0

    def getSpaceAfter(self) -> float:
        return self.parts[-1].getSpaceAfter() if self.parts else 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        for i, (part, (_, h)) in enumerate(zip(self.parts, self._sizes)):
            if i:
                top -= part.getSpaceBefore()
            part.canv = canvas
            part.drawOn(canvas, x, top - h)
            top -= h + part.getSpaceAfter()

    def draw(self) -> None:
        pass


def tagged_list(tree: Recorder, items: Sequence[tuple[str, Flowable | Sequence[Flowable]]], *,
                indent: float, label_style: Any) -> TaggedList:
    parts: list[Flowable] = [GroupMarker(tree, ElementSpec("L"))]
    for label, body in items:
        flowables = [body] if isinstance(body, Flowable) else list(body)
        parts += [GroupMarker(tree, ElementSpec("LI")), GroupMarker(tree, ElementSpec("LBody"))]
        first = True
        for flowable in flowables:
            if isinstance(flowable, Spacer):
                parts.append(flowable)
                continue
            if not is_tagged(flowable) and not isinstance(flowable, (TaggedList, TaggedTable)):
                tag_flowable(tree, flowable, ElementSpec("P"))
            parts.append(_ListBody(tree, flowable, indent, label if first else None, label_style))
            first = False
        parts += [GroupMarker(tree, None), GroupMarker(tree, None)]
    parts.append(GroupMarker(tree, None))
    _keep_items_in_twos(parts)
    return TaggedList(parts)


def _keep_items_in_twos(parts: list[Flowable]) -> None:
    """A split list never leaves its first item alone at a page's foot nor its last alone overleaf: the first
    item keeps with the second, the one before the last with the last (through the tag markers between)."""
    starts = [index for index, part in enumerate(parts) if isinstance(part, _ListBody) and part.label is not None]
    if len(starts) < ITEMS_EACH_SIDE:
        return
    for first, following in {(starts[0], starts[1]), (starts[-2], starts[-1])}:
        for part in parts[first:following]:
            part.keepWithNext = 1


__all__ = ["GroupMarker", "TaggedList", "TaggedTable", "is_tagged", "link_texts", "tag_flowable",
           "tagged_list", "tagged_table", "tagged_toc", "Paragraph"]
