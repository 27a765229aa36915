"""Run properties that let Word choose a font for each script and set right-to-left text right to left.

Word picks a run's font by the kind of character: w:rFonts@ascii/hAnsi for
Latin, Greek and Cyrillic, @eastAsia for Chinese and Japanese, @cs for
"complex scripts" (Arabic, Hebrew, Devanagari), the last only when the run
says it is complex (w:cs) or right to left (w:rtl). A run of agency text is
cut where its script changes so each piece carries the right hints; text in
the brand font's scripts gets no properties at all (the common case, and
the DOCX is then exactly what it was).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from assembler.brand import ARABIC, CJK, DEVANAGARI, HEBREW
from assembler.writers.docx.ooxml import element

# Fonts Word finds on the machines that open the report (Windows and Office ship them); a
# machine without one substitutes its own font for that script.
EAST_ASIAN_FONTS = {"zh": "Microsoft YaHei", "ja": "Yu Gothic"}
DEVANAGARI_FONT = "Nirmala UI"
LANGUAGES = {"arabic": "ar-SA", "hebrew": "he-IL", "devanagari": "hi-IN"}
KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF))


def _within(code: int, ranges) -> bool:
    return any(start <= code <= end for start, end in ranges)


@lru_cache(maxsize=4096)  # asked of every character of the text; a report uses a few hundred distinct ones
def script_of(char: str) -> str | None:
    """'arabic', 'hebrew', 'devanagari', 'zh' or 'ja' for characters needing hints, else None."""
    code = ord(char)
    if code < 0x0590:
        return None
    if _within(code, ARABIC) or (unicodedata.bidirectional(char) == "AL"):
        return "arabic"
    if _within(code, HEBREW) or unicodedata.bidirectional(char) == "R":
        return "hebrew"
    if _within(code, DEVANAGARI):
        return "devanagari"
    if _within(code, KANA):
        return "ja"
    if _within(code, CJK):
        return "zh"
    return None


def segments(text: str) -> list[tuple[str | None, str]]:
    """The text cut where its script changes; spaces and punctuation stay with the piece before them."""
    if text.isascii() or not any(script_of(char) for char in set(text)):  # typeset text: curly quotes, dashes
        return [(None, text)]
    out: list[tuple[str | None, list[str]]] = []
    for char in text:
        script = script_of(char)
        if out and (script == out[-1][0] or (script is None and not char.isalnum())):
            out[-1][1].append(char)
        else:
            out.append((script, [char]))
    return [(script, "".join(chars)) for script, chars in out]


def is_right_to_left(script: str | None) -> bool:
    return script in ("arabic", "hebrew")


def script_properties(script: str | None, body_font: str, bold: bool, italic: bool) -> list:
    """The w:rPr children (in schema order) for a piece of text in `script`."""
    if script is None:
        return []
    props = []
    if script in EAST_ASIAN_FONTS:
        props.append(element("w:rFonts", hint="eastAsia", eastAsia=EAST_ASIAN_FONTS[script]))
    else:
        props.append(element("w:rFonts", cs=DEVANAGARI_FONT if script == "devanagari" else body_font))
    complex_script = script not in EAST_ASIAN_FONTS
    if bold and complex_script:
        props.append(element("w:bCs"))
    if italic and complex_script:
        props.append(element("w:iCs"))
    if is_right_to_left(script):
        props.append(element("w:rtl"))
    if complex_script:
        props.append(element("w:cs"))
    if script in LANGUAGES:
        props.append(element("w:lang", bidi=LANGUAGES[script]))
    elif script in EAST_ASIAN_FONTS:
        props.append(element("w:lang", eastAsia="ja-JP" if script == "ja" else "zh-CN"))
    return props


def starts_right_to_left(text: str) -> bool:
    """Whether the first letter of a paragraph is in a right-to-left script (the paragraph reads from the right)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False
