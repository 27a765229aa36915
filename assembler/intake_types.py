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


@dataclass
class Intake:
    accepted: list[Submission] = field(default_factory=list)     # one per agency: the newest usable return
    superseded: list[Submission] = field(default_factory=list)   # older returns from an agency that sent two
    unknown: list[Submission] = field(default_factory=list)      # readable, but from an agency not in the registry
    rejected: list[Rejected] = field(default_factory=list)
    missing: list[Agency] = field(default_factory=list)          # registered agencies with no accepted return

    def problems(self):
        """Every problem on an accepted return, in agency order."""
        for submission in sorted(self.accepted, key=lambda s: s.agency_name.casefold()):
            yield from submission.problems
