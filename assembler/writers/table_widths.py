"""A report table's column widths and where it may split, the same in the PDF and the DOCX, so their rows
wrap and break alike.

Both writers size each column from its text measured in the body font the PDF embeds (Liberation Sans,
Arial's metric twin, which LibreOffice also sets the DOCX in): each column at least as wide as its longest
word, the rest shared by how much text it holds. Widths are in points and include the cells' padding.
Plain numbers: neither format's library is needed (the font's advance widths are read with fontTools).
"""

from __future__ import annotations

from functools import lru_cache

from assembler.brand import FONT_DIR, PDF_FONT_FILES

CELL_PADDING = 4.0  # points at each side of a cell's text, in both writers
# A short table is never split so that a row, or a header and one row, stands alone on a page: it moves
# whole to the next page instead. A longer one splits where it must (the header is repeated).
SHORT_TABLE_ROWS = 6
ROWS_EACH_SIDE = 2
CELL_SIZE = 0.82 * 1.05  # table text as a share of the body size, before rounding to Word's half points


def cell_font_size(body_size: float) -> float:
    """Table text's size: the body's small size, a little larger, in half points (Word cannot set 9.45 pt)."""
    return round(body_size * CELL_SIZE * 2) / 2


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, float], float]:
    """Code point -> advance width in em, and the width of a character the font lacks."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / PDF_FONT_FILES["regular"]), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return advances, metrics[".notdef"][0] / per_em


def text_width(text: str, size: float) -> float:
    """The width of `text` set in the body font at `size` points (the PDF's stringWidth, to the float)."""
    advances, missing = _advances()
    return sum(advances.get(ord(c), missing) for c in text) * size


def column_widths(rows: list[list[str]], columns: int, total: float, size: float,
                  padding: float = CELL_PADDING) -> list[float]:
    """Each column at least as wide as its longest word, the rest shared by how much text it holds."""
    inner = 2 * padding + 1
    longest_word = [inner + 6.0] * columns
    natural = [inner + 6.0] * columns
    for row in rows:
        for i, text in enumerate(list(row) + [""] * (columns - len(row))):
            words = text.split() or [""]
            longest_word[i] = max(longest_word[i], inner + max(text_width(w, size) for w in words))
            natural[i] = max(natural[i], inner + text_width(text, size))
    minimum = [min(w, total / columns * 1.6) for w in longest_word]
    if sum(natural) <= total:
        spare = total - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    if sum(minimum) >= total:
        return [total * m / sum(minimum) for m in minimum]
    extra = [max(n - m, 0) for n, m in zip(natural, minimum)]
    spare = total - sum(minimum)
    return [m + spare * e / (sum(extra) or 1) for m, e in zip(minimum, extra)]


def rows_kept_with_next(header_rows: int, body_rows: int, after_kept: bool = False) -> list[bool]:
    """For each row, whether it keeps with the next one (Word's keep-with-next on its cells): the header
    always; enough that each side of a split has ROWS_EACH_SIDE rows (the PDF's rule for every table); and in
    a short table every row when what comes before keeps with the table (a heading, a caption: the PDF moves
    the group whole)."""
    kept = [r < header_rows for r in range(header_rows + body_rows)]
    if body_rows <= SHORT_TABLE_ROWS and after_kept:
        return [True] * (header_rows + body_rows - 1) + [False]
    for r in range(body_rows - 1):
        if r < ROWS_EACH_SIDE - 1 or r >= body_rows - ROWS_EACH_SIDE:
            kept[header_rows + r] = True
    return kept
