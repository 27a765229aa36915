"""A web page's main text as a reader sees it: what nothing-lost reads from the web edition.

Only what is inside <main> counts (the header, navigation and footer repeat on every page). Block
elements and cells end a word; inline ones (strong, em, a, sup) do not, as on screen. A chart's SVG is
left out: its words are in the table beside it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "q", "s", "small", "span", "strong", "sub",
          "sup", "time", "u", "mark"}
SKIPPED = {"svg", "script", "style", "template"}


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_main = 0
        self.skipping = 0
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth_main += 1
        elif tag in SKIPPED:
            self.skipping += 1
        if tag not in INLINE and self.depth_main:
            self.pieces.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_main -= 1
        elif tag in SKIPPED and self.skipping:
            self.skipping -= 1
        if tag not in INLINE and self.depth_main:
            self.pieces.append("\n")

    def handle_data(self, data):
        if self.depth_main and not self.skipping:
            self.pieces.append(data)


def html_main_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces)


def site_text(folder: Path, pages: list[str]) -> str:
    """The main text of `pages` (names in `folder`), one after another in the order given."""
    return "\n".join(html_main_text((folder / name).read_text(encoding="utf-8")) for name in pages)
