"""The document as it is printed (the PDF and the Word report), not as it is read on screen.

A reader of the printed papers cannot click a link, so every link carries its
address: the short address in brackets after the link's words ("our training
pages (wirralsafeguarding.co.uk/training)"). Brackets read better than notes
at the end of a section for the short addresses reports link to, and keep
the address beside the words it explains. Words that already are the address
('www.nspcc.org.uk') get nothing more. A web edition lays out the document
as `build_document` made it and keeps the links as links.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from assembler.document.report import Document
from assembler.schema import Block, ListBlock, ListItem, NoteItem, Notes, Paragraph, Quote, Run


def for_print(document: Document) -> Document:
    """A copy of the document with every link's address printed after its words."""
    sections = [dataclasses.replace(section, blocks=_blocks(section.blocks)) for section in document.sections]
    return dataclasses.replace(document, sections=sections)


def short_address(target: str) -> str:
    """The address as a reader types it: no scheme, no 'www.', no closing slash; an e-mail address as itself."""
    target = target.strip()
    if target.casefold().startswith("mailto:"):
        return target[len("mailto:"):].split("?", 1)[0]
    if "://" not in target:
        return target  # an e-mail address written as itself
    parts = urlsplit(target)
    host = (parts.hostname or "").removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return host + rest


def _blocks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            block = block.model_copy(update={"runs": with_addresses(block.runs)})
        elif isinstance(block, Quote):
            block = block.model_copy(update={"runs": with_addresses(block.runs)})
        elif isinstance(block, ListBlock):
            block = _list(block)
        elif isinstance(block, Notes):
            block = Notes(items=[NoteItem(runs=with_addresses(item.runs)) for item in block.items])
        out.append(block)
    return out


def _list(block: ListBlock) -> ListBlock:
    return block.model_copy(update={"items": [
        ListItem(runs=with_addresses(item.runs), children=_list(item.children) if item.children else None)
        for item in block.items]})


def with_addresses(runs: list[Run]) -> list[Run]:
    """The runs with ' (address)' after each link (one link may be several runs: bold and plain words)."""
    if not any(run.link for run in runs):
        return runs
    out: list[Run] = []
    for index, run in enumerate(runs):
        out.append(run)
        following = runs[index + 1] if index + 1 < len(runs) else None
        if not run.link or (following is not None and following.link == run.link):
            continue
        words = "".join(r.text for r in _link_runs(runs, index))
        address = short_address(run.link)
        if _names(words, address):
            continue
        out.append(Run(text=" (", bold=run.bold, italic=run.italic))
        out.append(Run(text=address, bold=run.bold, italic=run.italic, link=run.link))
        out.append(Run(text=")", bold=run.bold, italic=run.italic))
    return out


def _link_runs(runs: list[Run], last: int) -> list[Run]:
    first = last
    while first > 0 and runs[first - 1].link == runs[last].link:
        first -= 1
    return runs[first:last + 1]


def _names(words: str, address: str) -> bool:
    """Whether the link's words already print its address ('www.barnardos.org.uk/' for barnardos.org.uk)."""
    def bare(text: str) -> str:
        text = text.strip().casefold()
        for prefix in ("https://", "http://", "mailto:", "www."):
            text = text.removeprefix(prefix)
        return text.rstrip("/.")

    return bool(bare(words)) and bare(address) in bare(words)


__all__ = ["for_print", "short_address", "with_addresses"]
