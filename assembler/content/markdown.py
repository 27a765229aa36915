"""Markdown (CommonMark + pipe tables) to schema blocks.

The partnership writes its chapters and briefings in Markdown; this is the one
place that turns that text into the common block model.

Text is typeset here as the agencies' is by the firewall (`assembler.typography`: curly quotes, dashes, an
ellipsis), piece by piece: only the words, never inline code or a code block, a link's address, a web or
e-mail address written out, or a `{{ figure }}` left unfilled.
"""

from __future__ import annotations

import re

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from assembler.typography import typeset_text
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


def parse_markdown(text: str, typeset: bool = True) -> list:
    """Blocks for a Markdown text, its words typeset unless `typeset` is False (a sample agency return made
    from Markdown keeps the straight quotes the agency typed). Raw HTML is kept as plain text, never dropped."""
    tokens = _parser().parse(text)
    blocks, _ = _Parse(typeset).blocks(tokens, 0, closing=None)
    return blocks


class _Parse:
    """One Markdown text's walk; `typeset` says whether its words are typeset."""

    def __init__(self, typeset: bool):
        self.typeset = typeset

    def words(self, text: str, before: str = "") -> str:
        return typeset_text(text, before) if self.typeset else text

    def blocks(self, tokens: list[Token], i: int, closing: str | None):
        blocks = []
        while i < len(tokens):
            tok = tokens[i]
            if closing and tok.type == closing:
                return blocks, i + 1
            if tok.type == "heading_open":
                blocks.append(Heading(level=int(tok.tag[1]), text=self.plain(tokens[i + 1])))
                i += 3
            elif tok.type == "paragraph_open":
                blocks.extend(self.paragraph(tokens[i + 1]))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                block, i = self.list(tokens, i)
                blocks.append(block)
            elif tok.type == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                blocks.append(_quote(inner))
            elif tok.type == "table_open":
                block, i = self.table(tokens, i)
                blocks.append(block)
            elif tok.type in ("fence", "code_block", "html_block"):
                if tok.content.strip():  # code as typed: never typeset
                    blocks.append(Paragraph(runs=[Run(text=tok.content.strip())]))
                i += 1
            else:
                i += 1
        return blocks, i

    def paragraph(self, inline: Token) -> list:
        """A paragraph; a paragraph that is only an image becomes an image or chart block."""
        children = inline.children or []
        visible = [c for c in children if not (c.type == "text" and not c.content.strip()) and c.type not in ("softbreak", "hardbreak")]
        if len(visible) == 1 and visible[0].type == "image":
            image = visible[0]
            src = image.attrGet("src") or ""
            title = self.words(image.attrGet("title") or "") or None
            alt = self.words(image.content or "")
            if src.startswith(CHART_SCHEME):
                return [ChartRef(chart=src[len(CHART_SCHEME):], caption=title)]
            if not (alt or title):
                raise MissingAltText(src)
            return [Image(path=src, alt=alt or title, caption=title)]
        return [Paragraph(runs=self.runs(children))]

    def runs(self, children: list[Token]) -> list[Run]:
        runs: list[Run] = []
        bold = italic = 0
        link: str | None = None
        before = ""  # the last character so far, so a quote opening a bold run is told from one closing it
        for child in children:
            kind = child.type
            text = None
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
            elif kind in ("text", "image"):
                text = self.words(child.content, before)
            elif kind in ("code_inline", "html_inline"):
                text = child.content  # code and markup as typed
            elif kind in ("softbreak", "hardbreak"):
                text = " "
            if text is not None:
                _append(runs, Run(text=text, bold=bold > 0, italic=italic > 0, link=link))
                before = text[-1:] or before
        return runs

    def plain(self, inline: Token) -> str:
        """A heading's or a table cell's text: its words typeset, inline code as typed."""
        out: list[str] = []
        for child in inline.children or []:
            if child.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif child.type in ("text", "image"):
                out.append(self.words(child.content, out[-1][-1:] if out and out[-1] else ""))
            else:
                out.append(child.content)
        return "".join(out)

    def list(self, tokens: list[Token], i: int):
        ordered = tokens[i].type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[ListItem] = []
        i += 1
        while tokens[i].type != close:
            # list_item_open ... list_item_close
            inner, i = self.blocks(tokens, i + 1, "list_item_close")
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

    def table(self, tokens: list[Token], i: int):
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
                current.append(self.plain(tok).strip())
            i += 1
        return Table(header_rows=header, rows=rows), i + 1


def _append(runs: list[Run], run: Run) -> None:
    """Merge with the previous run when the formatting is the same: fewer, longer runs."""
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].link) == (run.bold, run.italic, run.link):
        runs[-1] = runs[-1].model_copy(update={"text": runs[-1].text + run.text})
    else:
        runs.append(run)


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
