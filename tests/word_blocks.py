"""A Word return from a tree of blocks, written with python-docx as Word writes them: for the fuzz and the
check-parity tests, which need returns with links, nested lists and tables in any combination.

A block is one of
    ("heading", level, text)
    ("paragraph", [run, ...])             run = (text, bold, italic, link or None)
    ("list", ordered, [item, ...])        item = ([run, ...], [child item, ...])
    ("table", [[cell text, ...], ...])    the first row is the header
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SECTION_HEADINGS = ("About our agency & what we do", "2023 Activity and What We Would Like to Celebrate",
                    "Our safeguarding priorities for 2024")


def word_return(path: Path, agency_name: str, sections: tuple[list, list, list]) -> Path:
    """The agency's name as the title, then each of the three sections under its heading."""
    document = docx.Document()
    document.add_paragraph(agency_name, style="Title")
    for heading, blocks in zip(SECTION_HEADINGS, sections):
        document.add_heading(heading, level=1)
        for block in blocks:
            _add_block(document, block)
    document.save(path)
    return path


def _add_block(document, block) -> None:
    kind = block[0]
    if kind == "heading":
        document.add_heading(block[2], level=block[1])
    elif kind == "paragraph":
        _add_runs(document, document.add_paragraph(), block[1])
    elif kind == "list":
        _add_items(document, block[1], block[2], level=1)
    elif kind == "table":
        rows = block[1]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for cells, values in zip(table.rows, rows):
            for cell, value in zip(cells.cells, values):
                cell.text = value
    else:
        raise ValueError(kind)


def _add_items(document, ordered: bool, items, level: int) -> None:
    style = ("List Number" if ordered else "List Bullet") + (f" {level}" if level > 1 else "")
    for runs, children in items:
        _add_runs(document, document.add_paragraph(style=style), runs)
        if children:
            _add_items(document, ordered, children, min(level + 1, 3))


def _add_runs(document, paragraph, runs) -> None:
    for text, bold, italic, link in runs:
        if link is None:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            continue
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), document.part.relate_to(link, RT.HYPERLINK, is_external=True))
        run = paragraph.add_run(text, style="Hyperlink" if "Hyperlink" in [s.name for s in document.styles] else None)
        run.bold, run.italic = bold, italic
        run._r.addprevious(hyperlink)
        hyperlink.append(run._r)
