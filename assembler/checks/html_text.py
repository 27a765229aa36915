"""A web page's main text as a reader sees it: what nothing-lost reads from the web edition.

Only what is inside <main> counts (the header, navigation and footer repeat on every page). Block
elements and cells end a word; inline ones (strong, em, a, sup) do not, as on screen. A chart's SVG is
left out: its words are in the table beside it. Parsed by lxml (libxml2's HTML parser, in C): the
standard library's parser took a third of the web step's time on 300 agencies.
"""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "q", "s", "small", "span", "strong", "sub",
          "sup", "time", "u", "mark"}
SKIPPED = {"svg", "script", "style", "template"}


def html_main_text(html: str) -> str:
    root = lxml_html.fromstring(html)
    pieces: list[str] = []
    for main in root.iter("main"):
        _walk(main, pieces)
    return "".join(pieces)


def _walk(element, pieces: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None  # a comment or processing instruction: no text
    if tag is None or tag.rsplit("}", 1)[-1] in SKIPPED:
        return
    block = tag not in INLINE
    if block:
        pieces.append("\n")
    if element.text:
        pieces.append(element.text)
    for child in element:
        _walk(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    if block:
        pieces.append("\n")


def site_text(folder: Path, pages: list[str]) -> str:
    """The main text of `pages` (names in `folder`), one after another in the order given."""
    return "\n".join(html_main_text((folder / name).read_text(encoding="utf-8")) for name in pages)
