"""Right-to-left text in a PDF paragraph: lines broken in reading order, words drawn in visual order.

reportlab breaks a paragraph into lines in the order it is read, which is
right for every script. What differs is the drawing: on each line,
right-to-left words (Arabic, Hebrew, already shaped into visual order by
`shaping.py`) stand from right to left, and a paragraph that starts in a
right-to-left script is aligned right and reads from the right. The order is
the Unicode bidirectional algorithm's at the level of words, which is what
running text needs: each word is one direction, neutrals (numbers,
punctuation) take their neighbours' direction, or else the paragraph's.

Only the drawing changes: the lines keep reading order, so splitting a
paragraph over two pages works on the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from assembler.writers.pdf.shaping import RTL_CODES

RIGHT_TO_LEFT = {"R", "AL"}


def direction(text: str) -> str | None:
    """'R' or 'L' for the first strong character of `text`, None when it has none (numbers, punctuation)."""
    for char in text:
        if ord(char) in RTL_CODES:
            return "R"
        kind = unicodedata.bidirectional(char)
        if kind in RIGHT_TO_LEFT:
            return "R"
        if kind == "L":
            return "L"
    return None


# Where right-to-left letters are (Hebrew to Arabic Extended, their presentation forms, the historic
# right-to-left planes) and shaping.py's private codes: a regular expression scans a paragraph in C.
MAYBE_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff\U0010f000-\U0010ffff]")


def has_right_to_left(text: str) -> bool:
    """Whether a paragraph has a right-to-left letter (nearly always not: one scan, in C)."""
    if text.isascii():
        return False
    return any(direction(char) == "R" for char in MAYBE_RIGHT_TO_LEFT.findall(text))


def visual_order(directions: list[str | None], base: str) -> list[int]:
    """Indexes of words in drawing order, left to right, for their directions on one line."""
    resolved = _resolve_neutrals(directions, base)
    order = list(range(len(resolved)))
    if base == "R":
        order.reverse()
        resolved = resolved[::-1]
    keep = "L" if base == "R" else "R"  # runs of the other direction read the other way round
    out, run = [], []
    for index, word_direction in zip(order, resolved):
        if word_direction == keep:
            run.append(index)
            continue
        out += run[::-1]
        run = []
        out.append(index)
    return out + run[::-1]


def _resolve_neutrals(directions: list[str | None], base: str) -> list[str]:
    resolved = list(directions)
    for index, value in enumerate(directions):
        if value is None:
            before = next((d for d in reversed(directions[:index]) if d), base)
            after = next((d for d in directions[index + 1:] if d), base)
            resolved[index] = before if before == after else base
    return resolved


class BidiParagraph(Paragraph):
    """A paragraph with right-to-left words: each line's words are drawn in visual order."""

    def __init__(self, text, style, *args, **kwargs):
        base = direction(_plain(text)) if isinstance(text, str) else None
        self.base_direction = base or "L"
        if self.base_direction == "R" and style.alignment == TA_LEFT:
            style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        super().__init__(text, style, *args, **kwargs)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, BidiParagraph):
                part.base_direction = self.base_direction
        return parts

    def drawPara(self, debug=0):
        logical = self.blPara
        self.blPara = _visual_lines(logical, self.base_direction)
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical


def _plain(markup: str) -> str:
    out, inside = [], False
    for char in markup:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            out.append(char)
    return "".join(out)


def _visual_lines(para, base: str):
    visual = copy(para)
    if para.kind == 0:
        visual.lines = [(extra, _reorder_words(words, base)) for extra, words in para.lines]
    else:
        visual.lines = [_reorder_frag_line(line, base) for line in para.lines]
    return visual


def _reorder_words(words: list[str], base: str) -> list[str]:
    return [words[i] for i in visual_order([direction(w) for w in words], base)]


def _reorder_frag_line(line, base: str):
    words = _frag_words(line.words)
    if not any(direction(text) == "R" for _, text in words if text):
        return line
    order = visual_order([direction(text) if text else None for _, text in words], base)
    drawn = []
    space_next = False
    for position, index in enumerate(order):
        pieces, text = words[index]
        if direction(text) == "R" and len(pieces) > 1:
            pieces = pieces[::-1]  # a word's pieces (a shaped word, its comma) stand right to left too
        if space_next and text and direction(text) != "R":
            # the space between a right-to-left word and a left-to-right one opens the latter: PDF
            # readers (pypdf) move a right-to-left word's own trailing space to its other side
            pieces = [pieces[0].clone(text=" " + pieces[0].text)] + pieces[1:]
        elif space_next:
            drawn[-1] = drawn[-1].clone(text=drawn[-1].text + " ")
        drawn += pieces
        space_next = position < len(order) - 1 and bool(text)
    visual = copy(line)
    visual.words = drawn
    return visual


def _frag_words(frags) -> list[tuple[list, str]]:
    """The line's words, each as the frags that draw it (one per font or style) and its text.

    Something that is not text (a link anchor) stays a word of its own, with no text."""
    words: list[tuple[list, str]] = []
    pieces, text = [], ""
    for frag in frags:
        if getattr(frag, "text", None) is None or hasattr(frag, "cbDefn"):
            if pieces:
                words.append((pieces, text))
            words.append(([frag], ""))
            pieces, text = [], ""
            continue
        parts = frag.text.split(" ")
        for number, part in enumerate(parts):
            if number > 0 and pieces:  # a space ends the word
                words.append((pieces, text))
                pieces, text = [], ""
            if part:
                pieces.append(frag.clone(text=part))
                text += part
    if pieces:
        words.append((pieces, text))
    return words
