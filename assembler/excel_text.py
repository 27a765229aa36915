"""Text into a workbook cell as text, whatever it says.

openpyxl stores a string that starts with '=' as a formula and '#N/A' as an error value, and refuses control
characters. A chase list or template cell often starts with words an agency or a file name chose: an indicator
'=HYPERLINK(...)' would run, or show Err:509, in the officer's spreadsheet. Every string a workbook we write
holds goes through `put_text`.
"""

from __future__ import annotations

from assembler.excel_library import openpyxl  # noqa: F401  (first: see there)
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What a spreadsheet reads as the start of a formula when the cell is typed or edited (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """`value` with the control characters a workbook cannot hold written as escapes (\\x01)."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def put_text(cell, value: str | None):
    """Store `value` in `cell` as a string (never a formula or an error value); return the cell."""
    if value is None:
        cell.value = None
        return cell
    text = cell_text(str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # and stays text when the officer edits the cell
    return cell


def append_text_row(sheet, values: list[str | None]) -> int:
    """A new last row of text cells; its number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row, column), value)
    return row
