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
    """The line's pieces in drawing order.

    A piece is a stretch of one frag (one font and style) in one direction, a space, or something
    that is not text (a link anchor). Ordering pieces, not words, keeps a word that mixes directions
    with no space (Latin glued to Hebrew) in bidirectional order, and a space stays in the frag that
    holds it, the brand font's: a fallback font (the CJK one) may have no space glyph, and a PDF
    reader then loses the space."""
    pieces = _pieces(line.words)
    if not any(kind == "R" for _, kind in pieces):
        return line
    directions = _piece_directions(pieces, base)
    resolved = _resolve_neutrals(directions, base)
    order = visual_order(directions, base)
    drawn = []
    previous = None
    for index in order:
        frag = pieces[index][0]
        if pieces[index][1] is None and resolved[index] == "R" and getattr(frag, "text", None):
            frag = frag.clone(text=frag.text.translate(MIRRORED))  # '(' opens on the right: drawn as ')'
        if previous is not None and index == previous + 1 and _same_frag(drawn[-1], frag):
            drawn[-1] = drawn[-1].clone(text=drawn[-1].text + frag.text)  # reading order kept: one piece of text
        else:
            drawn.append(frag)
        previous = index
    visual = copy(line)
    visual.words = drawn
    return visual


# Characters drawn as their mirror image inside right-to-left text (Unicode's Bidi_Mirroring_Glyph pairs
# for the brackets, quotes and relations an agency types); PDF readers mirror them back as they read.
_PAIRS = "()<>[]{}«»‹›⁅⁆⁽⁾₍₎≤≥≦≧≨≩≪≫≮≯≰≱≲≳≺≻⊂⊃⊆⊇∈∋∉∌⟨⟩⟦⟧⦃⦄〈〉《》「」『』【】〔〕〖〗〘〙〚〛"
MIRRORED = str.maketrans(_PAIRS[0::2] + _PAIRS[1::2], _PAIRS[1::2] + _PAIRS[0::2])


def _pieces(frags) -> list[tuple[object, str | None]]:
    """The line's frags cut at spaces and where the direction changes, each with its kind: 'R', 'L',
    'N' for a number, None for a space, punctuation or something that is not text."""
    pieces: list[tuple[object, str | None]] = []
    for frag in frags:
        if getattr(frag, "text", None) is None or hasattr(frag, "cbDefn"):
            pieces.append((frag, None))
            continue
        for text in _SPACES_AND_RIGHT_TO_LEFT.findall(frag.text):
            if text[0] == " ":
                pieces.append((frag.clone(text=text), None))
            elif _RIGHT_TO_LEFT_RUN.match(text):  # a shaped word: already in drawing order, kept whole
                pieces.append((frag.clone(text=text), "R"))
            else:
                pieces += [(frag.clone(text=part), kind) for part, kind in _runs_by_kind(text)]
    return pieces


# A run of spaces, of right-to-left letters (those shaping.py's fonts draw, their private codes
# included), or of anything else.
_RIGHT_TO_LEFT_CHARS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff\U0010f000-\U0010ffff"
_SPACES_AND_RIGHT_TO_LEFT = re.compile(f" +|[{_RIGHT_TO_LEFT_CHARS}]+|[^ {_RIGHT_TO_LEFT_CHARS}]+")
_RIGHT_TO_LEFT_RUN = re.compile(f"[{_RIGHT_TO_LEFT_CHARS}]")


def _runs_by_kind(text: str) -> list[tuple[str, str | None]]:
    """Text with no space and no right-to-left letter cut into letters ('L'), numbers ('N': digits, with
    a separator between two digits and a sign or unit beside them, as in '1,257', '£34,000', '91.2%')
    and other characters (None), as the bidirectional algorithm's rules W4 and W5 have it."""
    kinds = [_char_kind(char) for char in text]
    for index, kind in enumerate(kinds):
        if kind in ("ES", "CS") and 0 < index < len(kinds) - 1 and kinds[index - 1] == kinds[index + 1] == "N":
            kinds[index] = "N"
    for index in [*range(len(kinds)), *range(len(kinds) - 1, -1, -1)]:  # a unit takes its number's side
        if kinds[index] == "ET" and any(0 <= j < len(kinds) and kinds[j] == "N" for j in (index - 1, index + 1)):
            kinds[index] = "N"
    runs: list[tuple[str, str | None]] = []
    for char, kind in zip(text, kinds):
        kind = kind if kind in ("L", "N") else None
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + char, kind)
        else:
            runs.append((char, kind))
    return runs


def _char_kind(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in ("EN", "AN"):
        return "N"
    if kind in ("L", "ES", "CS", "ET"):
        return kind
    return None


def _piece_directions(pieces, base: str) -> list[str | None]:
    """A number takes the direction of the letters before it (a right-to-left word's number stands
    with it), or the paragraph's; spaces and punctuation are left to `visual_order`."""
    directions: list[str | None] = []
    strong = base
    for _, kind in pieces:
        if kind == "N":
            kind = strong
        elif kind is not None:
            strong = kind
        directions.append(kind)
    return directions


def _same_frag(drawn, frag) -> bool:
    """Whether two pieces were cut from one frag (same font, style and link): drawn as one text."""
    ignore = ("text",)
    a = {k: v for k, v in drawn.__dict__.items() if k not in ignore}
    b = {k: v for k, v in frag.__dict__.items() if k not in ignore}
    return a == b
