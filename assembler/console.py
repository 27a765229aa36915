"""Terminal output for the officer: tables and progress on a terminal, plain lines in a log."""

from __future__ import annotations

import json
import sys
from typing import Iterable

from rich.console import Console
from rich.table import Table

from assembler.errors import InputError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data) -> None:
    """Machine output: stable key order, UTF-8, no colour codes."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_input_errors(errors: Iterable[InputError], title: str = "Problems") -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("File", "Line", "Where", "Problem", "Fix"):
        table.add_column(column, overflow="fold")
    for error in errors:
        table.add_row(error.file, str(error.line or ""), error.field or "", error.message, error.fix)
    err.print(table)
