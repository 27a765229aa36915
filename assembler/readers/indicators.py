"""Indicator rows (label, value, unit, period, note) from a Word table or a spreadsheet."""

from __future__ import annotations

from assembler.problems import Problem
from assembler.readers.base import reader_warning
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
    """Which column holds what, from a header row; None when the row is not a header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = (cell or "").strip().casefold()
        for key, words in _COLUMN_WORDS.items():
            if key not in found and any(text == w or text.startswith(w) for w in words):
                found[key] = index
                break
    return found if "label" in found and "value" in found else None


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


def indicators_from_rows(rows: list[list[str]], notes: list[Problem]) -> list[Indicator]:
    """Rows of text; the first row is used as a header when it names the columns, else label | value | period | note."""
    if not rows:
        return []
    columns = column_map(rows[0])
    body = rows[1:] if columns else rows
    columns = columns or {key: i for i, key in enumerate(("label", "value", "period", "note"))}
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
        indicators.append(make_indicator(label, raw or None, unit=cell("unit"), period=cell("period"), note=cell("note")))
    return indicators
