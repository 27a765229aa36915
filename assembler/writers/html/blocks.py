"""The document model's blocks as HTML: what the DOCX and PDF writers lay out, as semantic markup.

Headings are placed under the page's h1 without skipping a level; tables get a caption and header cells
with a scope; pictures are copied into the site (never linked from elsewhere); charts are inline SVG with
their data as a table beside them.
"""

from __future__ import annotations

from html import escape

from assembler.document.charts import ChartData
from assembler.document.report import MAX_HEADING_LEVEL, numeric_columns
from assembler.schema import Block, ChartRef, Heading, Image, ListBlock, Notes, Paragraph, Quote, Run, Table
from assembler.writers.html.chart import chart_figure
from assembler.writers.html.pictures import Pictures

NOTES_TITLE = "Notes"  # as in the DOCX and PDF
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def text(value: str) -> str:
    return escape(value, quote=False)


def attr(value: str) -> str:
    return escape(value, quote=True)


def link_target(link: str) -> str | None:
    """An e-mail address becomes a mailto: link; a link in any other scheme than the web's or mail's
    (javascript:, file:) is not made a link at all: its words are printed, nothing runs or loads."""
    if "@" in link and ":" not in link:
        return f"mailto:{link}"
    return link if link.strip().lower().startswith(SAFE_SCHEMES) else None


class BlockWriter:
    """Blocks of one page. `base` is the level of the section the blocks belong to in the document:
    its own heading is the page's h1 (or an h2 on a page that holds several sections)."""

    def __init__(self, charts: dict[str, ChartData], pictures: Pictures, chart_colour: str):
        self.charts = charts
        self.pictures = pictures
        self.chart_colour = chart_colour
        self.notes_seen = 0  # Notes blocks on this page so far: a mark refers to the next one
        self.tables = 0
        self.charts_drawn = 0

    def blocks(self, blocks: list[Block], top: int = 2, context: str = "") -> str:
        """`top`: the HTML level of the highest heading in `blocks`; `context`: what a table with no caption
        of its own is captioned after (the nearest heading above it)."""
        lowest = min((b.level for b in blocks if isinstance(b, Heading)), default=1)
        previous = top - 1
        parts = []
        for block in blocks:
            if isinstance(block, Heading):
                level = min(MAX_HEADING_LEVEL, top + block.level - lowest, previous + 1)
                previous = level
                context = block.text
                parts.append(f"<h{level} dir=\"auto\">{text(block.text)}</h{level}>")
            else:
                parts.append(self.block(block, context))
        return "\n".join(p for p in parts if p)

    def block(self, block: Block, context: str) -> str:
        if isinstance(block, Paragraph):
            return f"<p dir=\"auto\">{self.runs(block.runs)}</p>"
        if isinstance(block, ListBlock):
            return self.list(block)
        if isinstance(block, Table):
            return self.table(block, context)
        if isinstance(block, Image):
            return self.image(block)
        if isinstance(block, Quote):
            cite = f"\n<footer>{text(block.attribution)}</footer>" if block.attribution else ""
            return f"<blockquote>\n<p dir=\"auto\">{self.runs(block.runs)}</p>{cite}\n</blockquote>"
        if isinstance(block, ChartRef):
            return self.chart(block)
        if isinstance(block, Notes):
            return self.notes(block)
        raise TypeError(f"no HTML for block {type(block).__name__}")

    def runs(self, runs: list[Run]) -> str:
        parts = []
        for run in runs:
            html = text(run.text)
            if run.bold:
                html = f"<strong>{html}</strong>"
            if run.italic:
                html = f"<em>{html}</em>"
            if run.note:
                html = f"<sup><a href=\"#note-{self.notes_seen + 1}-{run.note}\">{html}</a></sup>"
            elif run.link and link_target(run.link):
                html = f"<a href=\"{attr(link_target(run.link))}\">{html}</a>"
            parts.append(html)
        return "".join(parts)

    def list(self, block: ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        items = []
        for item in block.items:
            children = "\n" + self.list(item.children) if item.children else ""
            items.append(f"<li dir=\"auto\">{self.runs(item.runs)}{children}</li>")
        return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"

    def notes(self, block: Notes) -> str:
        self.notes_seen += 1
        items = "\n".join(f"<li id=\"note-{self.notes_seen}-{n}\" dir=\"auto\">{self.runs(item.runs)}</li>"
                          for n, item in enumerate(block.items, start=1))
        return f"<p class=\"notes-title\"><strong>{NOTES_TITLE}</strong></p>\n<ol class=\"notes\">\n{items}\n</ol>"

    def table(self, block: Table, context: str) -> str:
        columns = max((len(row) for row in block.header_rows + block.rows), default=0)
        if not columns:
            return f"<p>{text(block.caption)}</p>" if block.caption else ""
        self.tables += 1
        numeric = numeric_columns(block.rows, columns)
        caption = block.caption or (f"Table {self.tables}: {context}" if context else f"Table {self.tables}")

        def cells(row: list[str], header: bool) -> str:
            row = row + [""] * (columns - len(row))
            out = []
            for index, (value, right) in enumerate(zip(row, numeric)):
                css = " class=\"number\"" if right else " class=\"unbroken\"" if _one_short_word(value) else ""
                if header:
                    out.append(f"<th scope=\"col\"{css}>{text(value)}</th>")
                elif index == 0 and not block.header_rows:  # no header row: the first column names each row
                    out.append(f"<th scope=\"row\"{css}>{text(value)}</th>")
                else:
                    out.append(f"<td{css}>{text(value)}</td>")
            return "<tr>" + "".join(out) + "</tr>"

        head = ("<thead>\n" + "\n".join(cells(r, True) for r in block.header_rows) + "\n</thead>\n") if block.header_rows else ""
        body = "<tbody>\n" + "\n".join(cells(r, False) for r in block.rows) + "\n</tbody>"
        # A table wider than a phone scrolls inside its own region, never the page, and never breaks a number or
        # a word to fit (WCAG 1.4.10 lets a data table scroll); the region takes the keyboard's focus to scroll.
        return (f"<div class=\"table-scroll\" role=\"region\" aria-label=\"{attr(caption)}\" tabindex=\"0\">\n"
                f"<table>\n<caption>{text(caption)}</caption>\n{head}{body}\n</table>\n</div>")

    def image(self, block: Image) -> str:
        source, width, height = self.pictures.place(block)
        img = f"<img src=\"{attr(source)}\" alt=\"{attr(block.alt)}\" width=\"{width}\" height=\"{height}\">"
        if block.caption:
            return f"<figure>\n{img}\n<figcaption dir=\"auto\">{text(block.caption)}</figcaption>\n</figure>"
        return f"<p class=\"picture\">{img}</p>"

    def chart(self, block: ChartRef) -> str:
        data = self.charts.get(block.chart)
        if data is None:  # the build stops on an unknown chart before any writer runs
            raise KeyError(f"chart '{block.chart}' is not defined")
        self.charts_drawn += 1
        return chart_figure(data, block.caption, f"chart-{self.charts_drawn}", self.chart_colour)


UNBROKEN_UP_TO = 24  # characters: a period ('2023-24'), a date, a code; longer is left to wrap at its hyphens


def _one_short_word(value: str) -> bool:
    """A cell of one short word, such as '2023-24': kept on one line (a browser would break it at the hyphen)."""
    value = value.strip()
    return bool(value) and len(value) <= UNBROKEN_UP_TO and not any(char.isspace() for char in value)
