"""Blocks read from a Word briefing typeset as the partnership's Markdown is (`assembler.typography`).

A 7-minute briefing filled in Word is the partnership's own text, like a YAML briefing: its words get curly
quotes, dashes and an ellipsis, piece by piece (a run's neighbour tells an opening quote from a closing one),
while a link's address and a written-out web or e-mail address stay as typed.
"""

from __future__ import annotations

from assembler.schema import Block, Heading, ListBlock, ListItem, Paragraph, Quote, Run, Table
from assembler.typography import typeset_text


def typeset_runs(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    before = ""
    for run in runs:
        text = typeset_text(run.text, before)
        before = text[-1:] or before
        out.append(run.model_copy(update={"text": text}))
    return out


def typeset_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks with their words typeset; pictures, charts and anything else are kept as they are."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.model_copy(update={"text": typeset_text(block.text)}))
        elif isinstance(block, Paragraph):
            out.append(block.model_copy(update={"runs": typeset_runs(block.runs)}))
        elif isinstance(block, Quote):
            out.append(block.model_copy(update={
                "runs": typeset_runs(block.runs),
                "attribution": typeset_text(block.attribution) if block.attribution else block.attribution}))
        elif isinstance(block, ListBlock):
            out.append(_list(block))
        elif isinstance(block, Table):
            out.append(block.model_copy(update={
                "header_rows": [[typeset_text(cell) for cell in row] for row in block.header_rows],
                "rows": [[typeset_text(cell) for cell in row] for row in block.rows],
                "caption": typeset_text(block.caption) if block.caption else block.caption}))
        else:
            out.append(block)
    return out


def _list(block: ListBlock) -> ListBlock:
    return block.model_copy(update={"items": [
        ListItem(runs=typeset_runs(item.runs), children=_list(item.children) if item.children else None)
        for item in block.items]})
