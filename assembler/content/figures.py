"""Figures quoted in the partnership's text, computed from the data workbooks.

Chapters write `{{ total("funding.income", "Amount") | money }}` instead of typing
£269,847, so no total or percentage is ever typed by hand. Anything that has no
value is an error: a blank or a placeholder must never reach print.
"""

from __future__ import annotations

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from assembler.schema import DataTable


class FigureError(ValueError):
    """An expression that cannot give a number; the message says which and why."""


class Figures:
    """The functions chapters may call, bound to the workbooks' tables."""

    def __init__(self, tables: dict[str, DataTable]):
        self.tables = tables

    def table(self, table_id: str) -> DataTable:
        if table_id not in self.tables:
            known = ", ".join(sorted(self.tables)) or "none"
            raise FigureError(f"there is no data table '{table_id}' (tables: {known})")
        return self.tables[table_id]

    def _column(self, table: DataTable, column: str) -> int:
        if column not in table.columns:
            raise FigureError(f"table '{table.id}' has no column '{column}' (columns: {', '.join(table.columns)})")
        return table.columns.index(column)

    def total(self, table_id: str, column: str) -> float:
        table = self.table(table_id)
        index = self._column(table, column)
        values = [row[index] for row in table.data_rows()]  # a typed 'Total' row is not counted again
        bad = [str(v) for v in values if not isinstance(v, (int, float))]
        if bad:
            raise FigureError(f"column '{column}' of '{table_id}' has cells that are not numbers: {', '.join(bad[:3])}")
        return float(sum(values))

    def lookup(self, table_id: str, label: str, column: str) -> float:
        table = self.table(table_id)
        index = self._column(table, column)
        for row in table.rows:
            if str(row[0]).strip().casefold() == label.strip().casefold():
                value = row[index]
                if not isinstance(value, (int, float)):
                    raise FigureError(f"'{label}' in '{table_id}' has no number in column '{column}' (found {value!r})")
                return float(value)
        raise FigureError(f"'{table_id}' has no row '{label}' (rows: {', '.join(str(r[0]) for r in table.rows)})")

    def share(self, table_id: str, label: str, column: str) -> float:
        """The row's value as a fraction of the column total (0.52 for 52%)."""
        whole = self.total(table_id, column)
        if whole == 0:
            raise FigureError(f"column '{column}' of '{table_id}' adds up to 0, so a share has no meaning")
        return self.lookup(table_id, label, column) / whole


def money(value: float) -> str:
    amount = _number(value)
    return f"-£{-amount:,.0f}" if amount < 0 else f"£{amount:,.0f}"


def pct(value: float, places: int = 0) -> str:
    return f"{_number(value) * 100:.{places}f}%"


def number(value: float, places: int = 0) -> str:
    return f"{_number(value):,.{places}f}"


def _number(value) -> float:
    if not isinstance(value, (int, float)):
        raise FigureError(f"expected a number, got {value!r}")
    return float(value)


def render_figures(text: str, tables: dict[str, DataTable]) -> str:
    """Replace every {{ expression }} in the text; raise FigureError naming the expression."""
    if "{{" not in text and "{%" not in text:
        return text
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(money=money, pct=pct, number=number)
    figures = Figures(tables)
    context = {"total": figures.total, "lookup": figures.lookup, "share": figures.share}
    try:
        return env.from_string(text).render(context)
    except FigureError:
        raise
    except UndefinedError as exc:
        raise FigureError(f"unknown name in an expression ({exc.message}); use total, lookup or share") from None
    except TemplateError as exc:
        line = f" on line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise FigureError(f"an expression cannot be read{line}: {exc.message}") from None
    except (TypeError, ArithmeticError) as exc:
        raise FigureError(f"an expression could not be worked out: {exc}") from None
