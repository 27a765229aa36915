"""What Word's symbol fonts draw, as real characters.

Word keeps a character of the Symbol or Wingdings font in one of two ways:
typed text at a private-use code point (U+F0B7 for Symbol's bullet), whose
font the reader does not follow, or an Insert > Symbol character (w:sym),
which names its font and code. `SYMBOL_FONT_CHARACTERS` maps the first, font
unknown, so it holds the characters agencies use (bullets, arrows, ticks,
comparison signs); `sym_character` maps the second by its own font, and `font_text` text typed
in a run whose font is a symbol font (Symbol's 'p' is π) alike. The
firewall (readers/printable.py) removes and reports a private-use character
neither maps, so nothing is left out silently.

A small module of its own: the Word reader needs the tables while reading, and
should not load the firewall (pictures, typography) for them.
"""

from __future__ import annotations

_GREEK_UPPER = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ"  # Symbol's A..Z
_GREEK_LOWER = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"  # Symbol's a..z

# The Symbol font (Adobe Symbol encoding): Greek letters and the signs of arithmetic and logic.
SYMBOL = {
    **{0x41 + i: c for i, c in enumerate(_GREEK_UPPER)},
    **{0x61 + i: c for i, c in enumerate(_GREEK_LOWER)},
    **{code: chr(code) for code in range(0x20, 0x40)},  # digits and punctuation as typed, but for those below
    0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5B: "[", 0x5C: "∴", 0x5D: "]", 0x5E: "⊥",
    0x5F: "_", 0x7B: "{", 0x7C: "|", 0x7D: "}", 0x7E: "∼",
    0xA2: "′", 0xA3: "≤", 0xA4: "⁄", 0xA5: "∞", 0xA6: "ƒ", 0xA7: "♣", 0xA8: "♦", 0xA9: "♥", 0xAA: "♠", 0xAB: "↔",
    0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB2: "″", 0xB3: "≥", 0xB4: "×", 0xB5: "∝",
    0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xBE: "—", 0xC5: "⊕", 0xC6: "∅",
    0xC7: "∩", 0xC8: "∪", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬", 0xD9: "∧", 0xDA: "∨",
    0xDB: "⇔", 0xDC: "⇐", 0xDD: "⇑", 0xDE: "⇒", 0xDF: "⇓", 0xE0: "◊", 0xE2: "®", 0xE3: "©", 0xE4: "™", 0xE5: "∑",
    0xF2: "∫",
}

# Wingdings: the ticks, crosses, boxes, bullets and arrows forms and lists use.
WINGDINGS = {
    0x28: "☎", 0x2A: "✉", 0x4A: "☺", 0x4C: "☹", 0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x76: "❖", 0x9F: "•",
    0xA7: "▪", 0xA8: "□", 0xD8: "➢", 0xE0: "→", 0xE8: "➔", 0xF0: "⇨", 0xFB: "✘", 0xFC: "✔", 0xFD: "☒", 0xFE: "☑",
}

# Wingdings 2: the boxes of a form ticked or crossed in Word.
WINGDINGS_2 = {0x4F: "✘", 0x50: "✔", 0x52: "☑", 0x54: "☒", 0xA3: "□"}

FONT_CHARACTERS = {"symbol": SYMBOL, "wingdings": WINGDINGS, "wingdings 2": WINGDINGS_2}

# Private-use code points, font unknown: the codes agencies type (bullets, arrows, ticks, signs), each read in the
# font it is typed in where both fonts have it (Symbol's B7 bullet, Wingdings' A7 square).
_TYPED_AS_TEXT = {
    "symbol": (0xB7, 0xAE, 0xAC, 0xAD, 0xAF, 0xDE, 0xB0, 0xB1, 0xB4, 0x2D, 0xBE, 0xB3, 0xA3, 0xB8, 0xB9, 0xBB),
    "wingdings": (0xA7, 0xA8, 0x6C, 0x6E, 0x71, 0x76, 0xD8, 0xE0, 0xE8, 0xF0, 0xFC, 0xFB),
}
SYMBOL_FONT_CHARACTERS = {chr(0xF000 + code): FONT_CHARACTERS[font][code]
                          for font, codes in _TYPED_AS_TEXT.items() for code in codes}
UNMAPPED_BASE = 0xE000  # a private-use code no table maps: printed as nothing, so reported by the firewall
# Fonts whose codes below 0x100 are their own glyphs, not letters: Word stores them at U+F000 up.
SYMBOL_FONTS = {*FONT_CHARACTERS, "wingdings 3", "webdings", "marlett", "zapf dingbats", "mt extra", "ms outlook"}


def sym_character(font: str | None, code: str | None) -> str:
    """The character an Insert > Symbol (w:sym) shows: mapped by its font where known, else the private-use
    character Word means by it ('F0B3' and 'B3' alike), for the firewall to map or report. '' when unreadable."""
    try:
        number = int(code or "", 16)
    except ValueError:
        return ""
    font_name = (font or "").strip().casefold()
    if number >= 0xF000 and number <= 0xF0FF:
        number -= 0xF000  # the font's own code, stored in the private-use area
    elif number >= 0x100 or font_name not in SYMBOL_FONTS:
        return chr(number) if 0 < number < 0x110000 else ""  # a real character, of an ordinary font
    mapped = FONT_CHARACTERS.get(font_name, {}).get(number)
    if mapped:
        return mapped
    private = chr(0xF000 + number)
    if font_name in FONT_CHARACTERS and private in SYMBOL_FONT_CHARACTERS:
        # Not in its own font's table, and the font-unknown table would print the other font's character
        # there (Wingdings' B3 as Symbol's ≥): a private-use code the firewall reports instead.
        return chr(UNMAPPED_BASE + number)
    return private


def font_text(font: str | None, text: str) -> str:
    """Text typed in a run whose font is a symbol font: each character as that font draws it ('p' in Symbol is π,
    U+F028 its '('), by `sym_character`; text in any other font, spaces and characters past the font's codes as
    typed."""
    if (font or "").strip().casefold() not in SYMBOL_FONTS:
        return text
    return "".join(sym_character(font, f"{ord(c):04X}") if not c.isspace() and (ord(c) < 0x100 or 0xF000 <= ord(c) <= 0xF0FF)
                   else c for c in text)
