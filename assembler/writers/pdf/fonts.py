"""The PDF writer's fonts: the brand's bundled TrueType files registered with reportlab, and the font
that draws each character.

brand.py names the files and the order of the fallbacks (plain values every writer reads); registering
them is reportlab's business, so it happens here, once per process, and a fallback only when a text
needs it (the CJK one is 3 MB).
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from assembler.brand import FALLBACK_FONTS, FONT_DIR, LATE_FONTS, PDF_FONT_FILES, PDF_FONT_NAMES, SCRIPT_FONTS
from assembler.writers.pdf.fast_font import SubsetFont


def _has_glyph(font_name: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


@lru_cache(maxsize=None)
def pdf_font_for(char: str) -> str | None:
    """The embedded font that can draw `char`: None for the brand font, else a fallback's name.

    Lets a PDF writer wrap runs of such characters in <font name=...>, so every
    script prints as itself instead of as empty boxes. Fallback fonts are read
    only when a text needs them (the CJK one is 3 MB).
    """
    register_pdf_fonts()
    code = ord(char)
    if _has_glyph(PDF_FONT_NAMES["regular"], char):
        return None
    for font in SCRIPT_FONTS:
        if font.may_have(code) and _has_glyph(_register_fallback(font.name), char):
            return font.name
    if _has_glyph(PDF_FONT_NAMES["fallback"], char):
        return PDF_FONT_NAMES["fallback"]
    for font in LATE_FONTS:
        if font.may_have(code) and _has_glyph(_register_fallback(font.name), char):
            return font.name
    return None


@lru_cache(maxsize=None)
def _register_fallback(name: str) -> str:
    pdfmetrics.registerFont(SubsetFont(name, str(FONT_DIR / FALLBACK_FONTS[name].file)))
    return name


@lru_cache(maxsize=1)
def register_pdf_fonts() -> dict[str, str]:
    """Register the embedded fonts with reportlab once; return role -> font name."""
    for role, file in PDF_FONT_FILES.items():
        pdfmetrics.registerFont(SubsetFont(PDF_FONT_NAMES[role], str(FONT_DIR / file)))
    family = PDF_FONT_NAMES["regular"]
    addMapping(family, 0, 0, PDF_FONT_NAMES["regular"])
    addMapping(family, 1, 0, PDF_FONT_NAMES["bold"])
    addMapping(family, 0, 1, PDF_FONT_NAMES["italic"])
    addMapping(family, 1, 1, PDF_FONT_NAMES["bold_italic"])
    fallback = PDF_FONT_NAMES["fallback"]
    addMapping(fallback, 0, 0, fallback)
    addMapping(fallback, 1, 0, PDF_FONT_NAMES["fallback_bold"])
    addMapping(fallback, 0, 1, fallback)
    addMapping(fallback, 1, 1, PDF_FONT_NAMES["fallback_bold"])
    return dict(PDF_FONT_NAMES)
