"""A TrueType font for reportlab that encodes and measures text already seen without a per-character loop.

Every string drawn in an embedded font goes through `TTFont.splitString`, which
gives each new character a code in a font subset and turns the text into those
codes, one character at a time in Python: a tenth of the time spent writing a
long report. After the first pages nearly every line uses only characters that
already have codes in the first subset; for those, `str.translate` does the
same encoding in C. Anything else (a new character, a second subset, a
character the font lacks) goes through reportlab's own code, so the codes
assigned, and the PDF's bytes, are exactly what reportlab alone would write.

Breaking a paragraph into lines measures every word, one call into reportlab
each: half of the time of laying out a long paragraph. Running text repeats
its words, so each font remembers the widths it has measured (the same
numbers: a glyph's width never changes once the font has it).
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont

NO_BREAK_SPACE, SPACE = 0xA0, 0x20
WIDTHS_REMEMBERED = 200_000  # distinct (text, size) pairs a font keeps before it starts again


class SubsetFont(TTFont):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._widths: dict[tuple, float] = {}

    def stringWidth(self, text, size, encoding="utf8"):
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= WIDTHS_REMEMBERED:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is None or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        if getattr(state, "known_size", None) != len(state.assignments):
            _remember_first_subset(state)
        if not text:
            return []
        if state.known_characters.issuperset(text):
            return [(0, text.translate(state.first_subset).encode("latin-1"))]
        return super().splitString(text, doc, encoding)


def _remember_first_subset(state) -> None:
    """The codes of the first subset as a str.translate table, rebuilt whenever a character is added."""
    table = {character: code for character, code in state.assignments.items() if code < 256}
    if SPACE in table:
        table[NO_BREAK_SPACE] = table[SPACE]  # reportlab draws a no-break space as a space
    state.first_subset = table
    state.known_characters = frozenset(map(chr, table))
    state.known_size = len(state.assignments)
