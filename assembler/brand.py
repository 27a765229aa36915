"""The brand, once, for every writer: colours, fonts and sizes derived from report.yaml.

Writers convert these plain values to their own library's types; none of them
hard-codes a colour or a font.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assembler.config import Brand

FONT_DIR = Path(__file__).parent / "fonts"

# The PDF embeds Liberation Sans (Arial's metric twin) so lines break where Word's
# Arial breaks them; DejaVu Sans supplies the glyphs Liberation lacks (emoji, symbols).
PDF_FONT_FILES = {
    "regular": "LiberationSans-Regular.ttf",
    "bold": "LiberationSans-Bold.ttf",
    "italic": "LiberationSans-Italic.ttf",
    "bold_italic": "LiberationSans-BoldItalic.ttf",
    "fallback": "DejaVuSans.ttf",
    "fallback_bold": "DejaVuSans-Bold.ttf",
}
PDF_FONT_NAMES = {
    "regular": "Brand",
    "bold": "Brand-Bold",
    "italic": "Brand-Italic",
    "bold_italic": "Brand-BoldItalic",
    "fallback": "Brand-Fallback",
    "fallback_bold": "Brand-Fallback-Bold",
}

# Type scale, in points, as multiples of the body size.
HEADING_SCALE = {1: 2.0, 2: 1.45, 3: 1.2, 4: 1.05, 5: 1.0, 6: 1.0}
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for body text


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=None)
def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problems(brand: Brand) -> list[str]:
    """Text/background pairs the brand uses that fall below 4.5:1."""
    c = brand.colours
    pairs = {
        "body text on the background": (c.text, c.background),
        "headings (primary) on the background": (c.primary, c.background),
        "sub-headings (secondary) on the background": (c.secondary, c.background),
        "key figures (accent) on the background": (c.accent, c.background),
        "header text on the primary colour": (c.header_text, c.primary),
    }
    return [
        f"{name}: {fg} on {bg} has contrast {contrast_ratio(fg, bg):.2f}:1, below {MIN_CONTRAST}:1"
        for name, (fg, bg) in pairs.items()
        if contrast_ratio(fg, bg) < MIN_CONTRAST
    ]


@dataclass(frozen=True)
class TypeScale:
    body: float

    def heading(self, level: int) -> float:
        return round(self.body * HEADING_SCALE.get(level, 1.0), 1)

    @property
    def small(self) -> float:
        return round(self.body * 0.82, 1)


def type_scale(brand: Brand) -> TypeScale:
    return TypeScale(body=brand.fonts.body_size)


# Scripts the brand font cannot set, each in a bundled font made for it (tools/make_fonts.py cuts
# them down to these ranges). Consulted in this order, before DejaVu Sans; a character outside every
# range goes on down the chain: DejaVu Sans, Droid Sans Fallback (Chinese, Japanese), Symbola (emoji).
ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
CJK = ((0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x31F0, 0x31FF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


@dataclass(frozen=True)
class FallbackFont:
    name: str
    file: str
    ranges: tuple[tuple[int, int], ...] | None  # None: any character the font has
    shaped: bool = False  # set through HarfBuzz: joining forms, conjuncts, right-to-left order

    def may_have(self, code: int) -> bool:
        return self.ranges is None or any(start <= code <= end for start, end in self.ranges)


SCRIPT_FONTS = (
    FallbackFont("Brand-Arabic", "NotoSansArabic-Regular.ttf", ARABIC, shaped=True),
    FallbackFont("Brand-Hebrew", "NotoSansHebrew-Regular.ttf", HEBREW, shaped=True),
    FallbackFont("Brand-Devanagari", "NotoSansDevanagari-Regular.ttf", DEVANAGARI, shaped=True),
)
LATE_FONTS = (
    FallbackFont("Brand-CJK", "DroidSansFallback-CJK.ttf", CJK),
    FallbackFont("Brand-Symbols", "Symbola.ttf", None),
)
FALLBACK_FONTS = {font.name: font for font in SCRIPT_FONTS + LATE_FONTS}
