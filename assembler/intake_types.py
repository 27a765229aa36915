"""What reading a folder of returns yields: the contract between `assembler.intake` and its users.

`assembler check`, `assembler build` and the chase list all consume an `Intake`;
only `assembler.intake` and the readers produce one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assembler.config import Agency
from assembler.problems import Problem
from assembler.schema import Submission


@dataclass
class Intake:
    accepted: list[Submission] = field(default_factory=list)     # one per agency, merged from its files section by section
    superseded: list[Submission] = field(default_factory=list)   # files none of whose sections are used (older, last year's)
    unknown: list[Submission] = field(default_factory=list)      # readable, but from an agency not in the registry
    # Files no reader could use (code 'rejected_file', 'unreadable_return', ...): the file, what to ask the agency
    # for instead and, when the sender or the file's name tells, whose it was (agency_id).
    rejected: list[Problem] = field(default_factory=list)
    missing: list[Agency] = field(default_factory=list)          # registered agencies with no accepted return
    # For the officer's information, never chased (severity 'note'): an identical copy of a return read once,
    # a blank template saved into returns/, a document saved after it was received.
    notes: list[Problem] = field(default_factory=list)

    def problems(self):
        """Every problem on an accepted return, in agency order."""
        for submission in sorted(self.accepted, key=lambda s: s.agency_name.casefold()):
            yield from submission.problems
