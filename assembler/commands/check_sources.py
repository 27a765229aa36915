"""What `assembler check` says about where each agency's return came from: which file gave each section, when it
was received (and how that is known), what said whose it is; and the notes that are nobody's problem."""

from __future__ import annotations

from assembler.console import out, print_problem_row
from assembler.intake_types import Intake
from assembler.schema import SourceFile, Submission
from assembler.validate import PART_NAMES, PARTS


def file_parts(submission: Submission) -> list[tuple[SourceFile, list[str]]]:
    """Each file an accepted return was made from, with the parts it gave, in the order of the parts."""
    grouped: dict[str, tuple[SourceFile, list[str]]] = {}
    for part in PARTS:
        source = submission.section_sources.get(part)
        if source is not None:
            grouped.setdefault(source.label, (source, []))[1].append(PART_NAMES[part])
    return list(grouped.values()) or [(submission.source, [])]


def received_text(source: SourceFile) -> str:
    if source.received is None:
        return "received: unknown"
    return f"received {source.received:%d %b %Y %H:%M} ({source.received_from or 'unknown source'})"


def print_sources(intake: Intake) -> None:
    """Per agency: which file each section came from, one line per file."""
    if not intake.accepted:
        return
    out.line("Where each return came from:")
    for submission in intake.accepted:
        for source, parts in file_parts(submission):
            out.line(f"  {submission.agency_name} | {', '.join(parts) or 'nothing filled in'} | {source.label} | "
                     f"{received_text(source)} | whose: {source.attributed_by or 'unknown'}")


def print_notes(intake: Intake) -> None:
    """Identical copies read once, documents saved after they arrived, lines read as sub-headings: for
    information, never chased; each with whose it is and its file, as check's other lines."""
    for note in intake.notes:
        print_problem_row("note", note)


def superseded_reason(submission: Submission) -> str:
    """Why a file is not used: last year's return, or replaced by a newer one."""
    return next((p.message for p in submission.problems if p.field == "return"), "not used")
