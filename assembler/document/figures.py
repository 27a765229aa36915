"""Figures quoted in the partnership's text, computed from the data workbooks.

Chapters write `{{ total("funding.income", "Amount") | money }}` instead of typing
£269,847, so no total or percentage is ever typed by hand. Anything that has no
value is an error: a blank or a placeholder must never reach print.
"""

from __future__ import annotations

import difflib
import re

from assembler.document.figure_expressions import evaluate
from assembler.schema import DataTable


class FigureError(ValueError):
    """An expression that cannot give a number; the message says which and why, `fix` what to do,
    `line` and `column` where the expression is in the file (when known)."""

    def __init__(self, message: str, fix: str = "correct the expression, or add the missing figure to the data workbook",
                 line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.fix, self.line, self.column = message, fix, line, column


class Figures:
    """The functions chapters may call, bound to the workbooks' tables."""

    def __init__(self, tables: dict[str, DataTable]):
        self.tables = tables

    def table(self, table_id: str) -> DataTable:
        if table_id not in self.tables:
            known = ", ".join(sorted(self.tables)) or "none"
            raise FigureError(f"there is no data table '{table_id}'", _closest("table", table_id, self.tables, known))
        return self.tables[table_id]

    def _column(self, table: DataTable, column: str) -> int:
        if column not in table.columns:
            raise FigureError(f"table '{table.id}' has no column '{column}'",
                              _closest("column", column, table.columns, ", ".join(table.columns)))
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
        labels = [str(r[0]) for r in table.rows]
        raise FigureError(f"'{table_id}' has no row '{label}'", _closest("row", label, labels, ", ".join(labels)))

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


FILTERS = {"money": money, "pct": pct, "number": number}
FUNCTIONS = ("total", "lookup", "share")
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
NAMED = re.compile(r"'([^']+)'")


def render_figures(text: str, tables: dict[str, DataTable], first_line: int = 1) -> str:
    """Replace every {{ expression }} in the text; raise FigureError naming the expression, with its line
    and column counted from `first_line` (the line of the file where `text` starts)."""
    if "{{" not in text and "{%" not in text:
        return text
    figures = Figures(tables)
    context = {name: getattr(figures, name) for name in FUNCTIONS}
    quick = _render_by_shape(text, context)
    if quick is not None:
        return quick
    env = _environment()
    try:
        return env.from_string(text).render(context)
    except Exception as error:  # noqa: BLE001 - every failure is reported at its expression, worded for the officer
        raise _located(error, text, env, context, first_line) from None


def _environment():
    # Imported here: only an expression outside the usual shapes (figure_expressions.py) needs jinja, so
    # `check` and the sample's build never import it.
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


# Compiling a chapter as one template costs a tenth of `check`; its expressions come in a dozen shapes
# (`lookup("t", "row", "column") | number`), so each shape is compiled once, its quoted names passed as values.
STRING_LITERAL = re.compile(r"\"([^\"\\\n]*)\"|'([^'\\\n]*)'")
_SHAPES: dict[str, object] = {}
MAX_SHAPES = 512


def _render_by_shape(text: str, context: dict) -> str | None:
    """The text with each {{ expression }} worked out directly (figure_expressions.py) or, outside the usual
    shapes, rendered from its compiled shape; None when the text needs jinja whole (statements, comments,
    whitespace control, CR line ends, quotes it cannot split) or anything fails, so that the whole-text path
    gives its output or its located error, unchanged."""
    if "{%" in text or "{#" in text or "\r" in text:
        return None
    pieces, end = [], 0
    matches = list(EXPRESSION.finditer(text))
    if text.count("{{") != len(matches):
        return None
    for match in matches:
        expression = match.group(0)
        if expression.startswith(("{{-", "{{+")) or expression.endswith("-}}"):
            return None  # jinja's whitespace control: left to it
        literals: dict[str, str] = {}

        def named(found: re.Match) -> str:
            name = f"figure_literal_{len(literals)}"
            literals[name] = found.group(1) if found.group(1) is not None else found.group(2)
            return name

        shape = STRING_LITERAL.sub(named, expression[2:-2])
        if any(char in shape for char in "\"'\\{}") or "figure_literal_" in expression:
            return None
        value = _direct(expression[2:-2], context)
        if value is None:
            try:
                template = _SHAPES.get(shape)
                if template is None:
                    if len(_SHAPES) >= MAX_SHAPES:
                        _SHAPES.clear()
                    template = _SHAPES[shape] = _environment().from_string("{{" + shape + "}}")
                value = template.render({**context, **literals})
            except Exception:  # noqa: BLE001 - the whole-text path words and places the error
                return None
        pieces += [text[end:match.start()], value]
        end = match.end()
    pieces.append(text[end:])
    return "".join(pieces)


def _direct(expression: str, context: dict) -> str | None:
    """The expression's text worked out without jinja; None outside the usual shapes, or when it fails (jinja
    then says why, at its place)."""
    try:
        return evaluate(expression, context, FILTERS)
    except Exception:  # noqa: BLE001 - NotSimple, or a function's own error: both are left to jinja
        return None


def _located(error: Exception, text: str, env, context: dict, first_line: int) -> FigureError:
    """The failure, placed at the expression that caused it: jinja knows the line of a syntax error only,
    so each expression is tried alone to find the one that fails while working out."""
    from jinja2 import TemplateSyntaxError

    at = None
    if isinstance(error, TemplateSyntaxError) and error.lineno:
        line_start = sum(len(line) for line in text.splitlines(keepends=True)[:error.lineno - 1])
        at = next((m.start() for m in EXPRESSION.finditer(text) if m.start() >= line_start), line_start)
    else:
        for match in EXPRESSION.finditer(text):
            try:
                env.from_string(match.group(0)).render(context)
            except Exception as found:  # noqa: BLE001
                error, at = found, match.start()
                break
    problem = _explain(error)
    if at is not None:
        before = text[:at]
        problem.line = first_line + before.count("\n")
        problem.column = at - (before.rfind("\n") + 1) + 1
    return problem


def _explain(error: Exception) -> FigureError:
    from jinja2 import TemplateError, UndefinedError

    if isinstance(error, FigureError):
        return error
    message = getattr(error, "message", None) or str(error)
    if "No filter named" in message:
        name = (NAMED.findall(message) or ["?"])[0]
        return FigureError(f"there is no filter '{name}'", _closest("filter", name, FILTERS, ", ".join(FILTERS)))
    if isinstance(error, UndefinedError):
        name = (NAMED.findall(message) or ["?"])[0]
        return FigureError(f"unknown name '{name}' in an expression", _closest("function", name, FUNCTIONS, ", ".join(FUNCTIONS)))
    if isinstance(error, TemplateError):
        return FigureError(f"an expression cannot be read: {message}",
                           "write it as {{ total(\"table\", \"Column\") | money }}: check the brackets and quotes")
    if isinstance(error, (TypeError, ArithmeticError)):
        return FigureError(f"an expression could not be worked out: {error}",
                           "check the names and the number of values given to the function")
    raise error


def _closest(what: str, name: str, known, listed: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{hint}the {what}s are: {listed or 'none'}"
