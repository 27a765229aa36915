"""Plain text typed into a spreadsheet cell or an e-mail body, as blocks: paragraphs and bullet lists."""

from __future__ import annotations

import re

from assembler.readers.subheadings import promote_subheadings
from assembler.schema import Block, ListBlock, ListItem, Paragraph, Run

_BULLET = re.compile(r"^\s*(?:[-•*–·▪o]\s+)(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)])\s+(?P<text>.+)$")


def text_to_blocks(text: str | None) -> list[Block]:
    """Each line a paragraph, except runs of '- ', '• ' or '1. ' lines, which become a list."""
    blocks: list[Block] = []
    current: ListBlock | None = None
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            current = None
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        item = bullet or numbered
        if item:
            ordered = bool(numbered)
            if current is None or current.ordered != ordered:
                current = ListBlock(ordered=ordered, items=[])
                blocks.append(current)
            current.items.append(ListItem(runs=[Run(text=item["text"].strip())]))
            continue
        current = None
        blocks.append(Paragraph(runs=[Run(text=line.strip())]))
    return blocks


def section_text_blocks(text: str | None) -> tuple[list[Block], list[str]]:
    """An agency's section (or case study) typed as text: its blocks, with the short lines typed as
    sub-headings read as headings by the rule the Word reader uses (readers/subheadings.py); and those lines."""
    return promote_subheadings(text_to_blocks(text))
