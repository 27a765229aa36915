"""Work around a reportlab bug: ToUnicode maps for characters beyond U+FFFF (emoji).

reportlab writes such a character as '<1F600>', an odd-length hex string that
PDF readers reject, so the emoji prints but does not extract or read aloud.
PDF wants the UTF-16BE form, a surrogate pair: '<D83DDE00>'. Installing the
fixed map builder once affects only those characters; all others are written
exactly as before.

The same map also gives the glyphs HarfBuzz chose (joining forms, conjuncts)
the text they stand for: `shaping.py` draws them through private code points
and records that text.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import ttfonts

_original = ttfonts.makeToUnicodeCMap


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def make_to_unicode_cmap(fontname: str, subset) -> str:
    from assembler.writers.pdf.shaping import TEXTS

    cmap = _original(fontname, subset)
    for index, code_point in enumerate(subset):
        if code_point in TEXTS:  # the entry reportlab wrote is "<index> <code>": make it the glyph's text
            target = TEXTS[code_point].encode("utf-16-be", "surrogatepass").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code_point:04X}>", f"<{index:02X}> <{target}>")
    for code_point in {v for v in subset if v > 0xFFFF and v not in TEXTS}:
        cmap = cmap.replace(f"<{code_point:04X}>", f"<{_utf16_hex(code_point)}>")
    return cmap


@lru_cache(maxsize=1)
def install() -> None:
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
