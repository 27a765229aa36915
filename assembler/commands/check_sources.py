"""What `assembler check` says about where each agency's return came from: which file gave each section, when it
was received (and how that is known), what said whose it is; and the notes that are nobody's problem."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from assembler.console import out
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
    """Per agency: which file each section came from. A table on a terminal, one line per file in a log."""
    if not intake.accepted:
        return
    if not out.is_terminal:
        out.print("Where each return came from:", markup=False, soft_wrap=True)
        for submission in intake.accepted:
            for source, parts in file_parts(submission):
                out.print(f"  {submission.agency_name} | {', '.join(parts) or 'nothing filled in'} | {source.label} | "
                          f"{received_text(source)} | whose: {source.attributed_by or 'unknown'}", markup=False, soft_wrap=True)
        return
    table = Table(title="Where each return came from", title_justify="left")
    for column in ("Agency", "Sections", "File", "Received", "Whose it is, from"):
        table.add_column(column, overflow="fold")
    for submission in intake.accepted:
        for source, parts in file_parts(submission):
            cells = (submission.agency_name, ", ".join(parts) or "nothing filled in", source.label,
                     received_text(source).removeprefix("received "), source.attributed_by or "")
            table.add_row(*(Text(cell) for cell in cells))  # the agencies' own words, never read as markup
    out.print(table)


def print_notes(intake: Intake) -> None:
    """Identical copies read once, documents saved after they arrived: for information, never chased."""
    for note in intake.notes:
        out.print(f"  note: {note.message}", markup=False, soft_wrap=True)


def superseded_reason(submission: Submission) -> str:
    """Why a file is not used: last year's return, or replaced by a newer one."""
    return next((p.message for p in submission.problems if p.field == "return"), "not used")
