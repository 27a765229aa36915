"""What an agency hid in a workbook (sheets, rows, columns) and its chart sheets: never read, always reported.

openpyxl's read-only mode streams cells without the row and column dimensions, so the hidden rows and
columns come from the worksheet's XML: a byte search for the `<row ... hidden="1">` and `<col ... hidden="1">`
tags (any namespace prefix), done only when the part holds the word 'hidden' at all. A row of height 0
(`ht="0"`) or a column of width 0 is hidden too: Excel shows neither, and some programs hide a row or a
column that way instead of marking it hidden. The package has
passed the safety screen (readers/safety.py) before this runs, so every part is of modest size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assembler.excel_library import openpyxl  # noqa: F401  (first: see there)
from openpyxl.cell.read_only import EMPTY_CELL

from assembler.problems import Problem
from assembler.readers.base import plural, reader_warning
from assembler.readers.safety import _wide_decoder

_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_COL_TAG = re.compile(rb"<(?:[\w.-]+:)?col(?=[\s/>])([^>]*)>")
_HIDDEN = re.compile(rb"(?<![\w:.-])hidden\s*=\s*[\"'](?:1|true)[\"']")
_ZERO_SIZE = re.compile(rb"(?<![\w:.-])(?:ht|width)\s*=\s*[\"']\s*\+?(?:0+(?:\.0*)?|\.0+)(?:[eE][-+]?\d+)?\s*[\"']")  # '0', '0.0'


def _attribute(name: bytes) -> re.Pattern:
    return re.compile(rb"(?<![\w:.-])" + name + rb"\s*=\s*[\"'](\d+)[\"']")


_ROW_NUMBER, _MIN, _MAX = _attribute(b"r"), _attribute(b"min"), _attribute(b"max")
MAX_COLUMN = 16384  # Excel's last column (XFD): a <col max> beyond it is clipped


def hidden_rows_and_columns(part: bytes) -> tuple[set[int], set[int]]:
    """The 1-based numbers of the rows and columns a worksheet part marks hidden."""
    if b"\x00" in part[:4]:  # UTF-16 or UTF-32 (the screen lets them through): search it as UTF-8
        decoder = _wide_decoder(part)
        if decoder is not None:
            part = decoder.decode(part, final=True).encode("utf-8")
    if b"hidden" not in part and not _ZERO_SIZE.search(part):
        return set(), set()  # nearly every sheet: two passes at C speed
    rows, number = set(), 0
    for match in _ROW_TAG.finditer(part):
        attributes = match.group(1)
        given = _ROW_NUMBER.search(attributes)
        number = int(given.group(1)) if given else number + 1  # a row without r follows the one before, as openpyxl reads it
        if _hides(attributes):
            rows.add(number)
    columns: set[int] = set()
    for match in _COL_TAG.finditer(part):
        attributes = match.group(1)
        low, high = _MIN.search(attributes), _MAX.search(attributes)
        if _hides(attributes) and low:
            first = int(low.group(1))
            columns.update(range(first, min(int(high.group(1)) if high else first, MAX_COLUMN) + 1))
    return rows, columns


def _hides(attributes: bytes) -> bool:
    """A row or column marked hidden, or made 0 high or 0 wide (Excel shows neither)."""
    return bool(_HIDDEN.search(attributes) or _ZERO_SIZE.search(attributes))


@dataclass
class HiddenContent:
    """What was left unread because the agency hid it, counted for the return's note."""

    sheets: list[str] = field(default_factory=list)  # hidden sheets that hold something
    rows: set[tuple[str, int]] = field(default_factory=set)
    columns: set[tuple[str, int]] = field(default_factory=set)
    words: int = 0

    def hidden_sheet(self, name: str, values) -> None:
        texts = [_text(value) for row in values for value in row]
        words = sum(len(text.split()) for text in texts)
        if words:
            self.sheets.append(name)
            self.words += words

    def screen(self, sheet: str, grid: list[list], rows: set[int], columns: set[int]) -> list[list]:
        """The grid with its hidden rows emptied and its hidden columns' cells blanked, their words counted.
        Rows and cells keep their places, so a coordinate (a defined name's) still finds its cell."""
        if not rows and not columns:
            return grid
        screened = []
        for number, row in enumerate(grid, start=1):
            if number in rows:
                words = sum(len(_text(getattr(cell, "value", None)).split()) for cell in row)
                if words:
                    self.rows.add((sheet, number))
                    self.words += words
                screened.append([])
                continue
            kept = list(row)
            for column in columns:
                if column <= len(kept):
                    words = len(_text(getattr(kept[column - 1], "value", None)).split())
                    if words:
                        self.columns.add((sheet, column))
                        self.words += words
                    kept[column - 1] = EMPTY_CELL
            screened.append(kept)
        return screened

    def notes(self) -> list[Problem]:
        found = []
        if self.sheets:
            names = ", ".join(f"'{_shown(name)}'" for name in self.sheets)
            found.append(f"{plural(len(self.sheets), 'hidden sheet')} ({names})")
        if self.rows:
            found.append(plural(len(self.rows), "hidden row"))
        if self.columns:
            found.append(plural(len(self.columns), "hidden column"))
        if not found:
            return []
        things = len(self.sheets) + len(self.rows) + len(self.columns)
        listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
        return [reader_warning(
            "hidden_text", "hidden content",  # the Word reader's code: a report.yaml rule for it covers both
            f"{listed} ({plural(self.words, 'word')}) {'was' if things == 1 else 'were'} not published: "
            "what is hidden in a workbook is never printed",
            "if it belongs in the report, ask the agency to unhide it (right-click the sheet's tab, or the row or "
            "column headings, and choose Unhide) and send the file again; if it is an internal note, nothing needs doing",
        )]


def chart_sheet_notes(names: list[str]) -> list[Problem]:
    """A chart on a sheet of its own is a picture of figures: the report prints the figures from the table."""
    if not names:
        return []
    listed = ", ".join(f"'{_shown(name)}'" for name in names)
    return [reader_warning(
        "chart_sheet_not_read", "chart sheets",
        f"{plural(len(names), 'chart sheet')} ({listed}) {'was' if len(names) == 1 else 'were'} not read: "
        "the report does not print charts from a return",
        "if the chart's figures belong in the report, copy its figures into the return's table (the Indicators sheet)",
    )]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _shown(name: str) -> str:
    """A sheet's name as a message may quote it: printable, and no longer than Excel allows (31)."""
    cleaned = "".join(c if c.isprintable() else "?" for c in name)
    return cleaned[:31]
