"""What a PDF reader may give back for a character in a right-to-left stretch of a line.

PDFium, the build's text extractor, reads such a stretch backwards and, on the way, mirrors each character
(brackets, '≤', quotes) and applies its own compatibility table: '®' comes back as 'R', '½' as '1/2',
'␀' as 'NUL', '⓫' as '11'. Found by tools/probe_pdf_reader_rtl.py (rerun it when pypdfium2 is upgraded).
In a right-to-left paragraph, nothing_lost takes a spelled-out symbol for a space between words (the letters
may come back glued to a word beside it), and does not require a character that may come back as another.
"""

from __future__ import annotations

import unicodedata

# Symbols a reader spells out as letters or digits (NFKC keeps them as they are).
SPELLED_OUT = {
    "®": "R", "℞": "R", "℟": "R", "℣": "V", "℧": "Ʊ",
    "␀": "NUL", "␁": "SOH", "␂": "STX", "␃": "ETX", "␄": "EOT", "␅": "ENQ", "␆": "ACK", "␇": "BEL", "␈": "BS",
    "␉": "HT", "␊": "LF", "␋": "VT", "␌": "FF", "␍": "CR", "␎": "SS", "␏": "SI", "␐": "DLE", "␑": "DC1",
    "␒": "DC2", "␓": "DC3", "␔": "DC4", "␕": "NAK", "␖": "SYN", "␗": "ETB", "␘": "CAN", "␙": "EM", "␚": "SUB",
    "␛": "ESC", "␜": "FS", "␝": "GS", "␞": "RS", "␟": "US", "␠": "SP", "␡": "DEL", "␢": "b",
    **{chr(0x24EB + n): str(11 + n) for n in range(10)},   # ⓫ to ⓴
    **{chr(0x24F5 + n): str(1 + n) for n in range(10)},    # ⓵ to ⓾
    "⓿": "0",
    **{chr(0x2776 + n): str(1 + n % 10) if n % 10 < 9 else "10" for n in range(30)},  # ❶ to ➓
}

# Characters that may come back as another one, besides the mirrored ones (brackets, '≤', '«').
_OTHER_CHARACTER = frozenset("¨¯´¸¼½¾΄΅῾‗‘’“”‾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟≭⠀゛゜￼")


def may_change_right_to_left(char: str) -> bool:
    """Whether a reader may give `char` back as another character inside a right-to-left stretch."""
    return char in _OTHER_CHARACTER or char in SPELLED_OUT or bool(unicodedata.mirrored(char))
