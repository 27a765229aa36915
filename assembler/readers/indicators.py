"""Indicator rows (label, value, unit, period, note) from a Word table or a spreadsheet."""

from __future__ import annotations

from assembler.problems import Problem
from assembler.readers.base import excerpt, period_from_text, reader_warning
from assembler.readers.values import parse_value
from assembler.schema import Indicator

_COLUMN_WORDS = {
    "label": ("indicator", "measure", "label", "description", "metric"),
    "value": ("value", "figure", "number", "result", "data", "%"),
    "unit": ("unit",),
    "period": ("period", "date", "as at", "year", "when"),
    "note": ("note", "comment", "context", "source"),
}


def column_map(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, from a header row; None when the row is not a header.
    A figures sheet often heads its value column with the year it is for ('Measure | 2023-24'): with no
    'Value' column, the latest such column holds the values (and `header_period` says whose year)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = (cell or "").strip().casefold()
        for key, words in _COLUMN_WORDS.items():
            if key not in found and any(text == w or text.startswith(w) for w in words):
                found[key] = index
                break
    if "label" in found and "value" not in found:
        periods = [(period, index) for index, cell in enumerate(header)
                   if index not in found.values() and (period := _period_heading(cell))]
        if periods:
            found["value"] = max(periods)[1]
    return found if "label" in found and "value" in found else None


def header_period(header: list[str], columns: dict[str, int]) -> str | None:
    """The period a period-named value column is for ('2023-24'), when the sheet has no period column."""
    if "period" in columns or columns["value"] >= len(header):
        return None
    return _period_heading(header[columns["value"]])


def _period_heading(cell: str | None) -> str | None:
    """'2023-24', '2023/24', '2023-2024' or 'Q4 2023-24' as a heading: the period; anything else (words) None."""
    text = (cell or "").strip()
    period = period_from_text(text)
    return period if period and len(text) <= 20 else None


def make_indicator(label: str, raw: object, number_format: str | None = None, unit: str | None = None,
                   period: str | None = None, note: str | None = None) -> Indicator:
    parsed = parse_value(raw, number_format)
    raw_text = None if raw is None else (f"{raw:g}" if isinstance(raw, float) else str(raw)).strip()
    unit = (unit or "").strip() or parsed.unit
    return Indicator(
        label=label.strip(), value=parsed.value, unit=unit or None,
        period=(period or "").strip() or None, note=(note or "").strip() or None, raw=raw_text or None,
        before=parsed.before or None, after=parsed.after or None,
    )


UNREAD_COLUMN_FIX = ("ask the agency to give this year's figure under 'Value' and anything it wants said about it "
                     "(last year's figure, a target) in 'Note', and send the file again")


def unread_columns_warning(rows: list[list[str]], columns: dict[str, int], field: str = "indicators") -> Problem | None:
    """The columns of a table of figures that no heading maps to a part of an indicator ('Last year', an earlier
    year beside the latest, a column inserted in the template): reported with their heading and first
    entries, never dropped unsaid. `rows` are the header (if any) and the figures' rows, as text."""
    used = set(columns.values())
    unread = []
    for index in range(max((len(row) for row in rows), default=0)):
        entries = [text for row in rows if index < len(row) and (text := (row[index] or "").strip())]
        if index not in used and entries:
            shown = ", ".join(f"'{excerpt(entry, 30)}'" for entry in entries[:4])
            unread.append(f"{column_letter(index)} ({shown}{', ...' if len(entries) > 4 else ''})")
    if not unread:
        return None
    return reader_warning(
        "figures_column_not_read", field,
        f"{len(unread)} column(s) of the table of figures were not read: {'; '.join(unread)}. Only each "
        "indicator's name, value, unit, period and note are read, from the columns headed so",
        UNREAD_COLUMN_FIX)


def column_letter(index: int) -> str:
    """'A' for the first column, 'AA' for the 27th: as Excel names it, and a name for a Word table's column too."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def indicators_from_rows(rows: list[list[str]], notes: list[Problem]) -> list[Indicator]:
    """Rows of text; the first row is used as a header when it names the columns, else label | value | period | note."""
    if not rows:
        return []
    columns = column_map(rows[0])
    body = rows[1:] if columns else rows
    year = header_period(rows[0], columns) if columns else None
    columns = columns or {key: i for i, key in enumerate(("label", "value", "period", "note"))}
    unread = unread_columns_warning(rows, columns)
    notes += [unread] if unread else []
    indicators = []
    for row in body:
        cell = lambda key: row[columns[key]] if key in columns and columns[key] < len(row) else None  # noqa: E731
        label = (cell("label") or "").strip()
        raw = (cell("value") or "").strip()
        if not label and not raw:
            continue
        if not label:
            notes.append(reader_warning("value_without_label", "indicators", f"a value '{raw}' has no indicator name", "add the indicator's name beside the value"))
            continue
        indicators.append(make_indicator(label, raw or None, unit=cell("unit"), period=cell("period") or year, note=cell("note")))
    return indicators
