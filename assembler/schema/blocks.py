"""The rich-text model every reader produces and every writer consumes.

Deliberately small (a cut-down Pandoc AST): enough to carry what agencies write
in Word (headings, bullets, bold, links, tables, pictures) without carrying
their formatting accidents.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Base for every schema model: unknown keys are mistakes, not data."""

    model_config = ConfigDict(extra="forbid")


class Run(Model):
    """A stretch of text with one set of inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = Field(default=None, description="Target URL or e-mail address when the run is a link.")
    note: int | None = Field(default=None, ge=1, description="The run is the reference to note N of the Notes block that "
                             "ends its block list; its text is the mark as printed, e.g. '[1]'.")


class Heading(Model):
    kind: Literal["heading"] = "heading"
    level: int = Field(ge=1, le=6, description="1 is the highest level inside the block list that holds it.")
    text: str


class Paragraph(Model):
    kind: Literal["paragraph"] = "paragraph"
    runs: list[Run]


class ListItem(Model):
    runs: list[Run]
    children: ListBlock | None = Field(default=None, description="A nested list under this item.")


class ListBlock(Model):
    kind: Literal["list"] = "list"
    ordered: bool = False
    items: list[ListItem]


class Table(Model):
    kind: Literal["table"] = "table"
    header_rows: list[list[str]] = Field(default_factory=list, description="Rows repeated at the top of each page.")
    rows: list[list[str]]
    caption: str | None = None


class Image(Model):
    kind: Literal["image"] = "image"
    path: str = Field(description="Image file, relative to the inputs folder or absolute.")
    alt: str = Field(min_length=1, description="Alternative text: what a screen-reader user hears instead.")
    caption: str | None = None
    width_mm: float | None = None


class Quote(Model):
    kind: Literal["quote"] = "quote"
    runs: list[Run]
    attribution: str | None = None


class NoteItem(Model):
    runs: list[Run]


class Notes(Model):
    """The footnotes and endnotes of one section, printed as numbered notes at its end."""

    kind: Literal["notes"] = "notes"
    items: list[NoteItem] = Field(description="Note N is items[N-1]: numbered from 1 in the order the text refers to them.")


class ChartRef(Model):
    kind: Literal["chart"] = "chart"
    chart: str = Field(description="Id of a chart defined in report.yaml under `charts`.")
    caption: str | None = None


Block = Annotated[
    Union[Heading, Paragraph, ListBlock, Table, Image, Quote, ChartRef, Notes],
    Field(discriminator="kind"),
]

ListItem.model_rebuild()


def runs_text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def block_runs(block: Block):
    """The runs of text a block holds (a paragraph's, a quote's, a list's at every depth), in reading order."""
    if isinstance(block, (Paragraph, Quote)):
        yield from block.runs
    elif isinstance(block, ListBlock):
        for item in block.items:
            yield from item.runs
            if item.children:
                yield from block_runs(item.children)


def plain_text(blocks: list[Block]) -> str:
    """Blocks as plain text, one block per paragraph: for word counts, checks and the JSON export."""
    return "\n".join(_block_lines(blocks))


def _block_lines(blocks: list[Block]):
    for block in blocks:
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, (Paragraph, Quote)):
            yield runs_text(block.runs)
            if isinstance(block, Quote) and block.attribution:
                yield block.attribution
        elif isinstance(block, ListBlock):
            yield from _list_lines(block)
        elif isinstance(block, Table):
            for row in block.header_rows + block.rows:
                yield " | ".join(row)
            if block.caption:
                yield block.caption
        elif isinstance(block, Image):
            if block.caption:
                yield block.caption
        elif isinstance(block, ChartRef):
            if block.caption:
                yield block.caption
        elif isinstance(block, Notes):
            for item in block.items:
                yield runs_text(item.runs)


def _list_lines(block: ListBlock):
    for item in block.items:
        yield runs_text(item.runs)
        if item.children:
            yield from _list_lines(item.children)
