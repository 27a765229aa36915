"""Terminal output for the officer: one line per problem, in colour on a terminal.

Much of what is printed was written by an agency or named by a file: a label
with `[/red]` in it, a file name with a newline or an escape sequence. So the
consoles here never read markup or emoji codes in what they print, and every
string they print passes through `shown()` first (in `OfficerConsole.render_str`,
which rich calls for every string: a printed line, a table cell, a title).
Colour is given by wrapping our own words in `styled()`, never by markup in a
string. A caller cannot forget to escape: there is nothing to call.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Iterable

from rich.console import Console
from rich.text import Text

from assembler.errors import InputError, as_problem
from assembler.problems import Problem

# Characters that would move the cursor, start a new line, colour the terminal or reverse the order in which a
# line is shown: C0 and C1 controls (newline, carriage return, tab and escape among them), DEL, the Unicode line
# and paragraph separators, the bidirectional embeddings, overrides and isolates, and the invisible direction
# marks (left-to-right, right-to-left, Arabic letter), which a file name may hide.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: object) -> str:
    """`text` as one line that shows itself: each control character as its escape (\\n, \\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(_escape, str(text))


def _escape(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def styled(text: object, style: str) -> Text:
    """Our own words in a colour or weight ('red', 'bold'): the one way to style output."""
    return Text(shown(text), style=style)


class OfficerConsole(Console):
    """A rich console that prints every string literally: no markup, no emoji codes, controls escaped."""

    def render_str(self, text: str, **options) -> Text:
        options.update(markup=False, emoji=False)
        return super().render_str(shown(text), **options)

    def print(self, *objects, **options) -> None:
        # A Text made elsewhere (not by styled()) is printed as its plain, escaped text.
        objects = tuple(_safe_text(o) if isinstance(o, Text) else o for o in objects)
        super().print(*objects, **options)

    def line(self, *pieces: str | Text) -> None:
        """One line of output from plain strings and styled() pieces; long lines wrap on the screen only."""
        text = Text()
        for piece in pieces:
            text.append(piece if isinstance(piece, Text) else Text(shown(piece)))
        self.print(text, soft_wrap=True)


def _safe_text(text: Text) -> Text:
    return text if not _UNPRINTABLE.search(text.plain) else Text(shown(text.plain), style=text.style)


# Logs and pipes get wide, plain output; a terminal gets rich's own width and colour.
out = OfficerConsole(highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() else 200)
err = OfficerConsole(stderr=True, highlight=False, markup=False, emoji=False, width=None if sys.stderr.isatty() else 200)


def print_json(data) -> None:
    """Machine output: stable key order, UTF-8, no colour codes."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_problems(problems: Iterable[Problem | InputError], title: str = "Problems") -> None:
    """One line per problem, on a terminal and in a log alike: a table folds a file's path over several lines."""
    err.line(styled(title, "bold"))
    for problem in problems:
        err.line(f"  {as_problem(problem)}")


print_input_errors = print_problems  # its older name


SEVERITY_STYLE = {"error": "red", "warning": "yellow", "note": "default"}


def print_problem_row(label: str, problem: Problem, who: str | None = None, style: str | None = None) -> None:
    """'  error: Agency | file.docx | field: what is wrong. Fix: what to do': `check`'s line for one problem
    in the returns, `label` (the severity, 'rejected') in colour. `who` stands in for the agency's name."""
    where = Path(problem.file).name if problem.file else ""
    what = f"{problem.field}: {problem.sentence()}" if problem.field else problem.sentence()
    out.line("  ", styled(label, style or SEVERITY_STYLE.get(label, "red")),
             f": {who or problem.agency or problem.agency_id or 'unknown agency'} | {where} | {what}")


def print_problem_line(problem: Problem | InputError) -> None:
    """'  error: file, line 3: field: what is wrong. Fix: what to do', the severity in colour: a problem in the
    partnership's own files, on standard output."""
    problem = as_problem(problem)
    out.line("  ", styled(problem.severity, SEVERITY_STYLE[problem.severity]), f": {problem}")


def problems_json(problems: Iterable[Problem | InputError]) -> list[dict]:
    """Problems for `--json`: one object each, with the same keys wherever they are listed."""
    return [as_problem(problem).as_json() for problem in problems]
