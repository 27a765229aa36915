"""Runs of text to reportlab Paragraph markup: escaped, styled, linked, with glyph fallback.

Agency text is untrusted: '&', '<' and '>' must print as themselves, never as
markup. Characters Liberation Sans lacks are set in the bundled font that has
them (Noto for Arabic, Hebrew and Devanagari, DejaVu Sans, Droid Sans Fallback
for Chinese and Japanese, Symbola for emoji), so nothing prints as an empty
box; words in the complex scripts are shaped (`shaping.py`) and a paragraph
with right-to-left words is drawn by `bidi.BidiParagraph`.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from assembler.brand import FALLBACK_FONTS, PDF_FONT_NAMES
from assembler.writers.pdf.fonts import pdf_font_for, register_pdf_fonts
from assembler.checks.printable_text import is_invisible
from assembler.schema import Run
from assembler.writers.pdf import unicode_map
from assembler.writers.pdf.bidi import BidiParagraph, has_right_to_left
from assembler.writers.pdf.shaping import PRIVATE_START, shape_word
from assembler.writers.pdf.styles import Styles

ESCAPES = {'"': "&quot;"}
unicode_map.install()


@lru_cache(maxsize=None)
def _font_for(char: str) -> str | None:
    """None when the brand font has the glyph, else the bundled font that does (see fonts.pdf_font_for)."""
    if ord(char) >= PRIVATE_START:  # the codes shaping.py draws its glyphs with: never the agency's
        return None
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
    for font, run in _font_runs(text):
        if font is not None and FALLBACK_FONTS.get(font, None) is not None and FALLBACK_FONTS[font].shaped:
            run = _shaped(run, font)
        run = escape(run)
        out.append(run if font is None else f'<font name="{font}">{run}</font>')
    return "".join(out)


def _font_runs(text: str) -> list[tuple[str | None, str]]:
    """Text cut where the font changes; spaces are the brand font's. Invisible characters (joiners,
    variation selectors) stay in the run they are in, and one the run's font cannot draw is left out
    of the drawing (it would print as a box), as nothing-lost ignores them too."""
    runs: list[tuple[str | None, list[str]]] = []
    for char in text:
        if is_invisible(char) and runs:
            runs[-1][1].append(char)
            continue
        font = None if char.isspace() or ord(char) < 0x180 else _font_for(char)
        if runs and runs[-1][0] == font:
            runs[-1][1].append(char)
        else:
            runs.append((font, [char]))
    return [(font, _drawable(font, chars)) for font, chars in _join_shaped_words(runs)]


def _join_shaped_words(runs):
    """Spaces between two words of one complex script stay in its font: PDF readers (PDFium) lose a
    space in another font after a word that ends in a vowel sign."""
    out = []
    for run in runs:
        if (len(out) >= 2 and run[0] is not None and out[-2][0] == run[0] and out[-1][0] is None
                and FALLBACK_FONTS.get(run[0]) is not None and FALLBACK_FONTS[run[0]].shaped
                and all(c == " " for c in out[-1][1])):
            spaces = out.pop()[1]
            out[-1] = (run[0], out[-1][1] + spaces + run[1])
        else:
            out.append(run)
    return out


def _drawable(font: str | None, chars: list[str]) -> str:
    glyphs = pdfmetrics.getFont(font or PDF_FONT_NAMES["regular"]).face.charToGlyph
    return "".join(c for c in chars if not is_invisible(c) or ord(c) in glyphs)


def _shaped(run: str, font: str) -> str:
    """Each word of a run in a complex script, shaped; the spaces between stay as they are."""
    out, word = [], []
    for char in run + " ":
        if char.isspace():
            if word:
                out.append(shape_word("".join(word), font)[0])
                word = []
            out.append(char)
        else:
            word.append(char)
    return "".join(out[:-1])


def paragraph(markup: str, style) -> Paragraph:
    """A reportlab paragraph for markup; one with right-to-left words draws each line in visual order."""
    if has_right_to_left(markup):
        return BidiParagraph(markup, style)
    return Paragraph(markup, style)


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
