"""The partnership's data workbooks: every sheet is one table, headers in the first row."""

from __future__ import annotations

from pathlib import Path

from assembler.errors import InputError
from assembler.problems import Problem
from assembler.schema import DataTable

DATA_DIR = "data"


def load_workbooks(inputs: Path) -> tuple[dict[str, DataTable], list[Problem]]:
    """Tables keyed '<workbook stem>.<sheet name>' (lower case), and the problems met."""
    tables: dict[str, DataTable] = {}
    problems: list[Problem] = []
    for path in sorted((inputs / DATA_DIR).glob("*.xlsx")):
        if path.name.startswith("~$"):  # Excel's lock file while the workbook is open
            continue
        try:
            tables.update(_read_workbook(path, inputs))
        except InputError as exc:
            problems.append(exc.problem)
        except Exception as exc:  # a corrupt workbook must not stop the build's other checks
            problems.append(Problem(code="workbook_unreadable", file=str(path), message=f"the workbook cannot be opened ({type(exc).__name__})",
                                    fix="save it again from Excel as .xlsx"))
    return tables, problems


def _read_workbook(path: Path, inputs: Path) -> dict[str, DataTable]:
    from assembler.excel_library import openpyxl  # imported here: only builds that read data pay for it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    tables = {}
    try:
        for sheet in workbook.worksheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
            if not rows:
                continue
            header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
            width = max((i + 1 for i, name in enumerate(header) if name), default=0)
            if "" in header[:width]:
                raise InputError(str(path), f"sheet '{sheet.title}' has a column with no heading", "give every column a heading in row 1", field=sheet.title, code="workbook_column_heading")
            table_id = f"{path.stem}.{sheet.title}".lower()
            tables[table_id] = DataTable(
                id=table_id,
                title=sheet.title,
                columns=header[:width],
                rows=[[_cell(value) for value in row[:width]] + [None] * (width - len(row)) for row in rows[1:]],
                source=str(path.relative_to(inputs)) if path.is_relative_to(inputs) else str(path),
            )
    finally:
        workbook.close()
    return tables


def _cell(value) -> str | float | None:
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return float(value)
    return str(value).strip()
