"""Which characters PDFium gives back as something else inside a right-to-left stretch (issue 16).

PDFium (the build's text extractor) reads a right-to-left stretch of a line backwards and, on the way,
mirrors each character (brackets, quotes) and applies its own compatibility table ('®' -> 'R', '½' -> '1/2',
'␀' -> 'NUL', '⓫' -> '11'). This draws every character the bundled fonts print (outside the scripts' own
letters) between two Hebrew letters, reads the PDF back, and prints the two tables nothing-lost needs:
characters spelled out as other words, and characters that may come back as another one.

    PYTHONPATH=. python tools/probe_pdf_reader_rtl.py     # then update assembler/checks/reader_variants.py
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

from reportlab.platypus import SimpleDocTemplate

from assembler.checks.font_coverage import RANGES
from assembler.checks.nothing_lost import WORD, normalise
from assembler.checks.pdf_text import pdf_page_texts
from assembler.checks.printable_text import is_invisible
from assembler.config import load_config
from assembler.writers.pdf.markup import paragraph, text_markup
from assembler.writers.pdf.styles import make_styles

REPO = Path(__file__).resolve().parent.parent


def _probed() -> list[str]:
    chars = []
    for start, end in RANGES:
        for code in range(start, min(end, 0xFFFF) + 1):
            char = chr(code)
            if 0x4E00 <= code <= 0x9FFF or 0x590 <= code <= 0x8FF or 0xFB1D <= code <= 0xFEFF:
                continue  # the scripts' own letters
            if char.isspace() or is_invisible(char) or unicodedata.category(char)[0] in "CMZ":
                continue
            chars.append(char)
    return chars


def main() -> int:
    config = load_config(REPO / "inputs" / "report.yaml")
    styles = make_styles(config.brand, config.brand.fonts.body_size)
    chars = _probed()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "probe.pdf"
        SimpleDocTemplate(str(path), initialFontName=styles.fonts.regular, invariant=1).build(
            [paragraph(text_markup(f"א {char} ב", styles), styles.body) for char in chars])
        lines = "\n".join(pdf_page_texts(path)).replace("\r\n", "\n").split("\n")
    assert len(lines) == len(chars), "one line a character expected"
    spelled, variants = {}, []
    for char, line in zip(chars, lines):
        got = line.replace("א", "").replace("ב", "").strip()
        if got == char or normalise(got) == normalise(char) or unicodedata.mirrored(char):
            continue
        if WORD.findall(normalise(got)) != WORD.findall(normalise(char)):
            spelled[char] = got
        else:
            variants.append(char)
    print("SPELLED_OUT =", spelled)
    print("OTHER_CHARACTER =", repr("".join(variants)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
