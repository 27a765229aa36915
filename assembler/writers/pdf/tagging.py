"""Tagged PDF (PDF/UA-1) for the reportlab writers: record the logical structure while laying out.

One ``TagTree`` per PDF build. Writers wrap what they put in the story; the tree
notes a structure element for each piece and, at draw time, encloses what the
piece draws in marked content (``/P <</MCID n>> BDC ... EMC``). After
``doc.build`` the writer calls ``tree.finish(path)``, which adds the structure
tree and the document-level settings with pikepdf.

Public API (everything a writer needs)::

    tree = TagTree(lang="en-GB", title="Annual report 2024-25")
    story = [
        tree.open("Sect", title="Introduction"),      # grouping element; draws nothing
        tree.element(Paragraph(...), "H1"),          # any flowable -> one struct element
        tree.element(Paragraph(...), "P"),           # split across pages: still one P
        tree.element(chart_drawing, "Figure", alt="Bar chart: ..."),
        tree.element(Paragraph('see <a href="https://...">the plan</a>'), "P"),  # -> P > Link + OBJR
        tree.list([("•", Paragraph(...)), ("2.", [Paragraph(...), ...])]),
        tree.table(data, header_rows=1, colWidths=[...], style=[...]),
        tree.toc(toc_flowable)  or  tree.open("TOC") / tree.element(p, "TOCI") / tree.close()
        tree.close(),
    ]
    def on_page(canvas, doc):
        with tree.artifact(canvas):                   # headers, footers, rules, page numbers
            canvas.drawString(...)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=...)
    tree.finish(path)                                 # rewrites path in place, deterministically

Rules for writers:
- Everything that draws page content must be inside ``tree.element``/``tree.table``/
  ``tree.list`` or ``tree.artifact``; untagged content is a PDF/UA failure.
- Spacers, page breaks and ``open``/``close`` markers draw nothing and need no tag.
- ``open``/``close`` must balance; ``Document`` is the implicit root.
- Roles are standard PDF structure types (Sect, Div, H1..H6, P, L, LI, Lbl, LBody,
  Table, TR, TH, TD, Figure, Caption, Link, TOC, TOCI, Note, BlockQuote, Quote, Span).
- ``alt`` is required for ``Figure``; ``title`` is an optional /T on the element;
  ``lang`` overrides the document language for that element.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, ListItem, Table

Cell = Any  # str, Paragraph, Flowable or list of flowables: whatever reportlab's Table accepts


class TagTree:
    """The logical structure of one PDF, recorded while reportlab lays it out."""

    def __init__(self, lang: str, title: str) -> None:
        self.lang = lang
        self.title = title

    def element(self, flowable: Flowable, role: str, *, alt: str | None = None,
                title: str | None = None, lang: str | None = None) -> Flowable:
        """Wrap ``flowable`` so what it draws becomes one struct element of ``role``.

        The element goes under the group open when the flowable is drawn. A flowable
        that splits over pages stays one element with marked content on each page.
        Links (``<a href>``) drawn by a Paragraph become ``Link`` children tied to
        their annotations.
        """
        return flowable

    def open(self, role: str, title: str | None = None, *, lang: str | None = None) -> Flowable:
        """A zero-size flowable that opens a grouping element (Sect, Div, L, TOC...)."""
        return _Marker()

    def close(self) -> Flowable:
        """A zero-size flowable that closes the innermost open group."""
        return _Marker()

    def table(self, data: Sequence[Sequence[Cell]], header_rows: int = 1, *,
              header_columns: int = 0, **table_kwargs: Any) -> Table:
        """A reportlab Table tagged Table/TR/TH/TD, one marked-content sequence per cell.

        ``header_rows`` rows are TH with /Scope /Column and are repeated on later
        pages (repeated copies are artifacts); ``header_columns`` leading cells of
        each body row are TH with /Scope /Row. ``table_kwargs`` go to Table
        (colWidths, rowHeights, style, hAlign...); ``repeatRows`` is set for you.
        """
        return Table([list(row) for row in data], repeatRows=header_rows, **table_kwargs)

    def list(self, items: Sequence[tuple[str, Flowable | Sequence[Flowable]]], *,
             indent: float = 14.0, label_style: Any = None) -> Flowable:
        """A list tagged L > LI > (Lbl, LBody). ``items`` are (label, body) pairs."""
        return ListFlowable([ListItem(list(b) if isinstance(b, Sequence) else [b], value=lbl)
                             for lbl, b in items], bulletType="bullet")

    def toc(self, toc: Flowable) -> Flowable:
        """Tag a reportlab TableOfContents: TOC with one TOCI (and Link) per entry."""
        return toc

    @contextlib.contextmanager
    def artifact(self, canvas: Canvas) -> Iterator[Canvas]:
        """Mark what is drawn inside the block as /Artifact (headers, footers, rules)."""
        yield canvas

    def finish(self, pdf_path: Path) -> None:
        """After doc.build: add the structure tree and document settings to ``pdf_path``."""


class _Marker(Flowable):
    """Zero-size flowable; draws nothing."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass
