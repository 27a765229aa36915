"""Arabic, Hebrew and Devanagari words for the PDF: shaped by HarfBuzz, right-to-left words in visual order.

reportlab draws a string one character, one glyph, left to right. These
scripts need more: Arabic letters take joining forms, Devanagari forms
conjuncts and moves vowel signs, and both Arabic and Hebrew read right to
left. HarfBuzz (uharfbuzz) shapes each word into the glyphs to draw, in the
order to draw them. reportlab's own shaping would do the first half, but
its right-to-left ordering needs `rlbidi`, which is not on PyPI, and it
orders only paragraphs set in one font; so the order of words on a line is
done by `bidi.py`, and the shaping here.

A glyph that is not the font's glyph for a character of its own (a joining
form, a conjunct) is drawn through a private code point, U+10F000 upwards,
that the font object maps to that glyph. The PDF's ToUnicode map then gives
the text the glyph stands for (`unicode_map.py`), so copying, searching and
screen readers get the letters the agency typed. The private codes never
reach the PDF itself (subset codes do), so the bytes do not depend on the
order in which a process happened to shape its words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

PRIVATE_START = 0x10F000
NO_TEXT = "\u200d"  # what a glyph beyond its group's text stands for: a joiner, ignored

TEXTS: dict[int, str] = {}        # private code -> the text its glyph stands for
RTL_CODES: set[int] = set()       # private codes drawn in right-to-left words
_codes: dict[tuple[str, int, str], int] = {}


@lru_cache(maxsize=None)
def _hb_font(font_name: str):
    import uharfbuzz

    path = Path(pdfmetrics.getFont(font_name).face.filename)
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes())))


@lru_cache(maxsize=None)
def _nominal(font_name: str) -> dict[int, int]:
    """glyph -> the one character the font maps to it (the common case: draw that character)."""
    return {glyph: code for code, glyph in sorted(pdfmetrics.getFont(font_name).face.charToGlyph.items(), reverse=True)}


@lru_cache(maxsize=65536)
def shape_word(word: str, font_name: str) -> tuple[str, bool]:
    """The characters that draw `word` shaped, in drawing order, and whether it reads right to left.

    Numbers inside a right-to-left word (Arabic-Indic digits) still read left to right, as the
    bidirectional algorithm has it: they are shaped apart and keep their order."""
    runs = [(number, "".join(chars)) for number, chars in groupby(word, _is_number)]
    if len(runs) == 1:
        return _shape_run(word, font_name, "ltr" if runs[0][0] else None)
    shaped = [_shape_run(text, font_name, "ltr" if number else None) for number, text in runs]
    rtl = any(run_rtl for (number, _), (_, run_rtl) in zip(runs, shaped) if not number)
    drawn = [text for text, _ in shaped]
    return "".join(reversed(drawn) if rtl else drawn), rtl


def _is_number(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("AN", "EN")


def _shape_run(word: str, font_name: str, direction: str | None) -> tuple[str, bool]:
    import uharfbuzz

    font = _hb_font(font_name)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    if direction:
        buffer.direction = direction
    rtl = buffer.direction == "rtl"
    uharfbuzz.shape(font, buffer, {})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({info.cluster for info in infos}) + [len(word)]
    ends = {start: end for start, end in zip(starts, starts[1:])}
    glyphs: dict[int, list[int]] = {}  # cluster -> its glyphs' indexes, in reading order
    reading = range(len(infos) - 1, -1, -1) if rtl else range(len(infos))
    for index in reading:
        glyphs.setdefault(infos[index].cluster, []).append(index)
    chars: dict[int, str] = {}
    for cluster, indexes in glyphs.items():
        for index, text in zip(indexes, _share(word[cluster:ends[cluster]], len(indexes))):
            if rtl and len(text) > 1:  # a ligature (lam-alef): see _carriers
                chars[index] = _carriers(font_name, text[1:]) + _code_for(font_name, infos[index].codepoint, text[0], positions[index].x_advance, rtl)
            else:
                chars[index] = _code_for(font_name, infos[index].codepoint, text, positions[index].x_advance, rtl)
    out = [chars[index] for index in range(len(infos))]
    return "".join(out), rtl


def _carriers(font_name: str, text: str) -> str:
    """Invisible, zero-width glyphs (the font's joiner) standing for the letters of a right-to-left
    ligature after its first, drawn before it: PDF readers disagree on the order of several letters
    behind one glyph (PDFium reverses them, pypdf does not), but agree on one letter per glyph."""
    joiner = pdfmetrics.getFont(font_name).face.charToGlyph[0x200D]
    return "".join(_code_for(font_name, joiner, char, 0, True) for char in reversed(text))


def _share(text: str, glyphs: int) -> list[str]:
    """The text of one letter group shared out over its glyphs in reading order, so that reading the
    glyphs back gives the text: one character each, the last glyph the rest. A glyph beyond the text
    (rare: a split vowel) stands for a joiner, which text comparison ignores."""
    if len(text) >= glyphs:
        return list(text[:glyphs - 1]) + [text[glyphs - 1:]]
    return list(text) + [NO_TEXT] * (glyphs - len(text))


def _code_for(font_name: str, glyph: int, text: str, advance: int, rtl: bool) -> str:
    nominal = _nominal(font_name).get(glyph)
    if nominal is not None and chr(nominal) == text:
        return text
    key = (font_name, glyph, text)
    code = _codes.get(key)
    if code is None:
        code = _codes[key] = PRIVATE_START + len(_codes)
        face = pdfmetrics.getFont(font_name).face
        face.charToGlyph[code] = glyph
        face.charWidths[code] = advance * 1000 / _units_per_em(font_name)
        TEXTS[code] = text
        if rtl:
            RTL_CODES.add(code)
    return chr(code)


@lru_cache(maxsize=None)
def _units_per_em(font_name: str) -> int:
    return _hb_font(font_name).face.upem
