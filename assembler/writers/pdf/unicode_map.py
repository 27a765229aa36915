"""Work around a reportlab bug: ToUnicode maps for characters beyond U+FFFF (emoji).

reportlab writes such a character as '<1F600>', an odd-length hex string that
PDF readers reject, so the emoji prints but does not extract or read aloud.
PDF wants the UTF-16BE form, a surrogate pair: '<D83DDE00>'. Installing the
fixed map builder once affects only those characters; all others are written
exactly as before.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import ttfonts

_original = ttfonts.makeToUnicodeCMap


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def make_to_unicode_cmap(fontname: str, subset) -> str:
    cmap = _original(fontname, subset)
    for code_point in {v for v in subset if v > 0xFFFF}:
        cmap = cmap.replace(f"<{code_point:04X}>", f"<{_utf16_hex(code_point)}>")
    return cmap


@lru_cache(maxsize=1)
def install() -> None:
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
