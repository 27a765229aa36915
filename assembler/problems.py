"""The one shape of everything the officer is told is wrong: from the safety screen that refuses a file to the
checks on what the build wrote.

A `Problem` names who (the agency), where (the file, the field, the line), what is wrong and the fix, with a
severity and a stable `code` that programs (the chase list, tests, a script reading `--json`) decide on instead
of the wording. Exceptions that stop a step (`errors.InputError`, `readers.safety.Rejection`) carry one; lists
of findings hold them directly. It is a plain, frozen dataclass with no imports beyond the standard library:
cheap to import at start-up, and it pickles across the worker processes that read returns and write outputs.
`console` is the one place that prints problems, on the terminal and as JSON (`Problem.as_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

# error: stops the build (unless --force); warning: printed, and chased when it asks the agency for something;
# note: for the officer's information only, never chased (an identical copy read once, a blank template).
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, kw_only=True)
class Problem:
    code: str                      # stable and machine-readable: 'late_return', 'rejected_file', 'brand_contrast'
    message: str                   # what is wrong, in the officer's words
    fix: str = ""                  # what to do about it ('' for a note that asks nothing)
    severity: Severity = "error"
    agency: str | None = None      # the agency as the officer knows it (its name), when the problem is one agency's
    agency_id: str | None = None   # its id in report.yaml, when known
    file: str | None = None        # the file, as a path or as the officer sees it ('x.eml (attachment y.docx)')
    field: str | None = None       # a section key, an indicator label, a cell, a config key
    line: int | None = None

    def __str__(self) -> str:
        """'file, line 3: Agency: field: what is wrong. Fix: what to do': one line that stands alone."""
        where = (self.file or "") + (f", line {self.line}" if self.line else "")
        what = ": ".join(part for part in (self.agency, self.field, _clause(self.message)) if part)
        fix = f". Fix: {self.fix}" if self.fix else "."
        return f"{where}: {what}{fix}" if where else f"{what}{fix}"

    def sentence(self) -> str:
        """'what is wrong. Fix: what to do', without who and where (printed beside them in a table row)."""
        return _clause(self.message) + (f". Fix: {self.fix}" if self.fix else ".")

    def with_(self, **changes) -> Problem:
        """A copy with some fields changed (the file an intake step learns only later, the agency it guessed)."""
        return replace(self, **changes)

    def as_json(self) -> dict:
        """The problem for `--json`: every field, in a stable order, absent ones as null."""
        return {"severity": self.severity, "code": self.code, "agency": self.agency, "agency_id": self.agency_id,
                "file": self.file, "line": self.line, "field": self.field, "message": self.message, "fix": self.fix}

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _clause(message: str) -> str:
    """A message may end a sentence itself: the stop is not doubled."""
    return message.rstrip().rstrip(".")
