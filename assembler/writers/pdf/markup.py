"""Runs of text to reportlab Paragraph markup: escaped, styled, linked, with glyph fallback.

Agency text is untrusted: '&', '<' and '>' must print as themselves, never as
markup. Characters Liberation Sans lacks (emoji, some symbols) are set in
DejaVu Sans so nothing prints as an empty box.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from assembler.brand import PDF_FONT_NAMES, pdf_font_for, register_pdf_fonts
from assembler.schema import Run
from assembler.writers.pdf import unicode_map
from assembler.writers.pdf.styles import Styles

ESCAPES = {'"': "&quot;"}
unicode_map.install()


@lru_cache(maxsize=None)
def _font_for(char: str) -> str | None:
    """None when the brand font has the glyph, else the embedded font that does (DejaVu, then Symbola)."""
    font = pdf_font_for(char)
    if font is not None and font != PDF_FONT_NAMES["fallback"]:
        _map_all_styles(font)  # so <b> or an italic style around an emoji finds a font
    return font


@lru_cache(maxsize=None)
def _map_all_styles(font: str) -> None:
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font, bold, italic, font)


@lru_cache(maxsize=1)
def _brand_chars() -> frozenset[str]:
    register_pdf_fonts()
    return frozenset(map(chr, pdfmetrics.getFont(PDF_FONT_NAMES["regular"]).face.charToGlyph)) | frozenset(" \t\n\r\u00a0")


def needs_no_fallback(text: str) -> bool:
    """True when the brand font has every character of the text."""
    return _brand_chars().issuperset(text)


def text_markup(text: str, styles: Styles) -> str:
    """Plain text as safe markup; characters the brand font lacks switch to a font that has them."""
    if needs_no_fallback(text):  # nearly always: skip the character-by-character walk
        return escape(text)
    out: list[str] = []
    current: str | None = None
    for char in text:
        font = None if char.isspace() or ord(char) < 0x180 else _font_for(char)
        if font != current:
            if current is not None:
                out.append("</font>")
            if font is not None:
                out.append(f'<font name="{font}">')
            current = font
        out.append(escape(char))
    if current is not None:
        out.append("</font>")
    return "".join(out)


def link_target(link: str) -> str:
    """An e-mail address becomes a mailto: link; anything else is used as written."""
    if "@" in link and ":" not in link:
        return f"mailto:{link}"
    return link


def runs_markup(runs: list[Run], styles: Styles) -> str:
    parts = []
    for run in runs:
        text = text_markup(run.text, styles)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.note:  # a note's mark, '[1]', raised as in Word
            text = f"<super>{text}</super>"
        if run.link:
            href = quoteattr(link_target(run.link), ESCAPES)
            text = f"<a href={href} color={quoteattr(styles.brand.colours.primary)}><u>{text}</u></a>"
        parts.append(text)
    return "".join(parts)
