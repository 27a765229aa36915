"""Terminal output for the officer: tables and progress on a terminal, plain lines in a log."""

from __future__ import annotations

import json
import sys
from typing import Iterable

from rich.console import Console
from rich.table import Table

from assembler.errors import InputError

# Logs and pipes get wide, plain output; a terminal gets rich's own width and colour.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)


def print_json(data) -> None:
    """Machine output: stable key order, UTF-8, no colour codes."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_input_errors(errors: Iterable[InputError], title: str = "Problems") -> None:
    """A table on a terminal; one greppable line per problem in a log."""
    errors = list(errors)
    if not err.is_terminal:
        err.print(title, markup=False)
        for error in errors:
            err.print(f"  {error}", markup=False)
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("File", "Line", "Where", "Problem", "Fix"):
        table.add_column(column, overflow="fold")
    for error in errors:
        table.add_row(error.file, str(error.line or ""), error.field or "", error.message, error.fix)
    err.print(table)
