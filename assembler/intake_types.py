"""What reading a folder of returns yields: the contract between `assembler.intake` and its users.

`assembler check`, `assembler build` and the chase list all consume an `Intake`;
only `assembler.intake` and the readers produce one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assembler.config import Agency
from assembler.schema import Submission


@dataclass(frozen=True)
class Rejected:
    """A file no reader could use, with what to ask the agency for instead."""

    path: Path
    reason: str
    fix: str
    agency_id: str | None = None  # when the sender or the file's properties tell us whose it was


@dataclass(frozen=True)
class IntakeNote:
    """Something the officer should know that is nobody's problem to chase: an identical copy of a return read
    once, last year's return set aside, a document saved after it was received."""

    agency_id: str
    file: str
    message: str


@dataclass
class Intake:
    accepted: list[Submission] = field(default_factory=list)     # one per agency, merged from its files section by section
    superseded: list[Submission] = field(default_factory=list)   # files none of whose sections are used (older, last year's)
    unknown: list[Submission] = field(default_factory=list)      # readable, but from an agency not in the registry
    rejected: list[Rejected] = field(default_factory=list)
    missing: list[Agency] = field(default_factory=list)          # registered agencies with no accepted return
    notes: list[IntakeNote] = field(default_factory=list)        # for the officer's information, never chased

    def problems(self):
        """Every problem on an accepted return, in agency order."""
        for submission in sorted(self.accepted, key=lambda s: s.agency_name.casefold()):
            yield from submission.problems
