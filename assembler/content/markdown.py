"""Markdown (CommonMark + pipe tables) to schema blocks.

The partnership writes its chapters and briefings in Markdown; this is the one
place that turns that text into the common block model.
"""

from __future__ import annotations

import re

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from assembler.schema import ChartRef, Heading, Image, ListBlock, ListItem, Paragraph, Quote, Run, Table, plain_text

CHART_SCHEME = "chart:"


class MissingAltText(ValueError):
    """A picture with no description: a screen-reader user would get nothing."""

    def __init__(self, src: str):
        super().__init__(src)
        self.src = src


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def parse_markdown(text: str) -> list:
    """Blocks for a Markdown text. Raw HTML is kept as plain text, never dropped."""
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, closing=None)
    return blocks


def _blocks(tokens: list[Token], i: int, closing: str | None):
    blocks = []
    while i < len(tokens):
        tok = tokens[i]
        if closing and tok.type == closing:
            return blocks, i + 1
        if tok.type == "heading_open":
            blocks.append(Heading(level=int(tok.tag[1]), text=_plain(tokens[i + 1])))
            i += 3
        elif tok.type == "paragraph_open":
            blocks.extend(_paragraph(tokens[i + 1]))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            block, i = _list(tokens, i)
            blocks.append(block)
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close")
            blocks.append(_quote(inner))
        elif tok.type == "table_open":
            block, i = _table(tokens, i)
            blocks.append(block)
        elif tok.type in ("fence", "code_block", "html_block"):
            if tok.content.strip():
                blocks.append(Paragraph(runs=[Run(text=tok.content.strip())]))
            i += 1
        else:
            i += 1
    return blocks, i


def _paragraph(inline: Token) -> list:
    """A paragraph; a paragraph that is only an image becomes an image or chart block."""
    children = inline.children or []
    visible = [c for c in children if not (c.type == "text" and not c.content.strip()) and c.type not in ("softbreak", "hardbreak")]
    if len(visible) == 1 and visible[0].type == "image":
        image = visible[0]
        src = image.attrGet("src") or ""
        title = image.attrGet("title") or None
        alt = image.content or ""
        if src.startswith(CHART_SCHEME):
            return [ChartRef(chart=src[len(CHART_SCHEME):], caption=title)]
        if not (alt or title):
            raise MissingAltText(src)
        return [Image(path=src, alt=alt or title, caption=title)]
    return [Paragraph(runs=_runs(children))]


def _runs(children: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = child.attrGet("href")
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline", "html_inline"):
            _append(runs, Run(text=child.content, bold=bold > 0, italic=italic > 0, link=link))
        elif kind in ("softbreak", "hardbreak"):
            _append(runs, Run(text=" ", bold=bold > 0, italic=italic > 0, link=link))
        elif kind == "image":
            _append(runs, Run(text=child.content, bold=bold > 0, italic=italic > 0, link=link))
    return runs


def _append(runs: list[Run], run: Run) -> None:
    """Merge with the previous run when the formatting is the same: fewer, longer runs."""
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].link) == (run.bold, run.italic, run.link):
        runs[-1] = runs[-1].model_copy(update={"text": runs[-1].text + run.text})
    else:
        runs.append(run)


def _plain(inline: Token) -> str:
    return "".join(c.content if c.type not in ("softbreak", "hardbreak") else " " for c in inline.children or [])


def _list(tokens: list[Token], i: int):
    ordered = tokens[i].type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    items: list[ListItem] = []
    i += 1
    while tokens[i].type != close:
        # list_item_open ... list_item_close
        inner, i = _blocks(tokens, i + 1, "list_item_close")
        runs: list[Run] = []
        children = None
        extra = []
        for block in inner:
            if isinstance(block, ListBlock) and children is None:
                children = block
            elif isinstance(block, Paragraph) and not runs:
                runs = block.runs
            else:
                extra.append(block)
        # Keep any further paragraphs of a loose item as part of the item's text.
        for block in extra:
            runs = runs + [Run(text=" " + plain_text([block]))]
        if not ordered:
            runs = strip_typed_bullet(runs)
        items.append(ListItem(runs=runs or [Run(text="")], children=children))
    return ListBlock(ordered=ordered, items=items), i + 1


TYPED_BULLET = re.compile(r"^\s*[♦•▪◦●■–-]\s+")


def strip_typed_bullet(runs: list[Run]) -> list[Run]:
    """A bullet character typed at the start of a bullet item ("- ♦ text", pasted from the web)
    would print as two bullets; the list already gives the item its mark."""
    if runs and TYPED_BULLET.match(runs[0].text):
        first = runs[0].model_copy(update={"text": TYPED_BULLET.sub("", runs[0].text, count=1)})
        return [first] + runs[1:] if first.text else runs[1:]
    return runs


def _quote(inner: list) -> Quote:
    runs: list[Run] = []
    attribution = None
    for block in inner:
        if isinstance(block, Paragraph):
            text = "".join(r.text for r in block.runs).strip()
            if text.startswith(("—", "–", "-- ")) and runs:
                attribution = text.lstrip("—–- ").strip()
                continue
            if runs:
                runs.append(Run(text=" "))
            runs.extend(block.runs)
    return Quote(runs=runs, attribution=attribution)


def _table(tokens: list[Token], i: int):
    header: list[list[str]] = []
    rows: list[list[str]] = []
    current: list[str] | None = None
    in_head = False
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
        elif tok.type == "tr_close":
            (header if in_head else rows).append(current or [])
        elif tok.type == "inline" and current is not None:
            current.append(_plain(tok).strip())
        i += 1
    return Table(header_rows=header, rows=rows), i + 1
