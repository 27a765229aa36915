"""The one-pagers' compact look for the DOCX block renderer (blocks.add_blocks): the PDF's sizes, copied.

A one-pager's boxes are table cells whose heights the PDF has measured, so every paragraph here has
exact line spacing and direct formatting (the page's document has none of the report's styles), and
lists carry their printed labels and the PDF's indent rather than Word numbering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from assembler.schema import ListBlock, Run
from assembler.writers.docx.one_page import add_run, add_runs, cell_paragraph, set_exact_spacing, set_style


@dataclass
class Compact:
    """The type of one box, at the body size the PDF settled on."""

    size: float
    leading: float
    space_after: float
    text_colour: str
    link_colour: str
    list_indent: float
    used: list[bool] = field(default_factory=lambda: [False])  # the cell's own first paragraph is taken

    def paragraph(self, cell: _Cell, exact: bool = True, after: float | None = None) -> Paragraph:
        p = cell_paragraph(cell, self.used)
        if exact:
            set_exact_spacing(p, self.size, self.leading, after=self.space_after if after is None else after)
        else:  # a picture's line grows to hold it
            p.paragraph_format.space_after = Pt(self.space_after if after is None else after)
        return p


def runs_paragraph(cell: _Cell, runs: list[Run], look: Compact) -> None:
    add_runs(look.paragraph(cell), runs, look.size, look.text_colour, look.link_colour)


def text_paragraph(cell: _Cell, text: str, look: Compact, bold: bool = False) -> None:
    add_run(look.paragraph(cell), text, look.size, look.text_colour, bold=bold)


def add_list(cell: _Cell, block: ListBlock, look: Compact, depth: int = 0) -> None:
    size, indent = look.size, look.list_indent
    for number, item in enumerate(block.items, start=1):
        p = cell_paragraph(cell, look.used)
        set_style(p, "List Number" if block.ordered else "List Bullet")
        if block.ordered:  # printed numbers restart in every list, as in the PDF
            set_style(p, "Normal")
            add_run(p, f"{number}.\t", size, look.text_colour)
        set_exact_spacing(p, size, look.leading, after=round(size * 0.2, 2))
        fmt = p.paragraph_format
        fmt.left_indent = Pt(indent * (depth + 1))
        fmt.first_line_indent = Pt(-indent)
        fmt.tab_stops.add_tab_stop(Pt(indent * (depth + 1)))
        add_runs(p, item.runs, size, look.text_colour, look.link_colour)
        if item.children:
            add_list(cell, item.children, look, depth + 1)
    p.paragraph_format.space_after = Pt(look.space_after)
