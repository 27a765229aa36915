"""The chase list: who has not sent a return, whose return has problems, and a ready-to-send e-mail for each.

Written as outputs/chase-list.xlsx (one row per agency to chase) and
outputs/chase/<agency-id>.txt. Both depend only on the inputs, so the same
returns give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from assembler.excel_library import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

from assembler.config import Agency, ReportConfig
from assembler.console import shown as one_line  # a label's newline must not start a new problem or e-mail line
from assembler.deterministic_zip import normalise_zip
from assembler.excel_text import append_text_row
from assembler.intake_types import Intake

Status = Literal["missing", "errors", "warnings"]
CHASE_XLSX = "chase-list.xlsx"
CHASE_DIR = "chase"
COLUMNS = ("Agency", "Agency id", "Contact e-mail", "Status", "Due", "Problems")


@dataclass
class ChaseEntry:
    agency: Agency
    status: Status
    problems: list[str] = field(default_factory=list)   # one line each: field, what is wrong, what to do
    contact_name: str | None = None

    @property
    def needs_email(self) -> bool:
        """Missing returns and returns with errors are chased; warnings are for the officer to judge."""
        return self.status in ("missing", "errors")


def chase_list(intake: Intake, config: ReportConfig) -> list[ChaseEntry]:
    """Every registered agency that has not sent a usable return or whose return has problems, in registry order."""
    accepted = {s.agency_id: s for s in intake.accepted}
    rejected_by_agency: dict[str, list[str]] = {}
    for rejected in intake.rejected:
        if rejected.agency_id:
            rejected_by_agency.setdefault(rejected.agency_id, []).append(
                one_line(f"the file '{rejected.path.name}' could not be used: {rejected.reason} {rejected.fix}".strip()))
    entries = []
    for agency in config.agencies:
        submission = accepted.get(agency.id)
        if submission is None:
            entries.append(ChaseEntry(agency, "missing", rejected_by_agency.get(agency.id, [])))
            continue
        if not submission.problems:
            continue
        lines = [one_line(f"{p.field}: {p.message}. {_sentence(p.hint)}") for p in sorted(submission.problems, key=lambda p: (p.severity != "error",))]
        status: Status = "errors" if submission.has_errors else "warnings"
        contact = one_line(submission.contact.name) if submission.contact and submission.contact.name else None
        entries.append(ChaseEntry(agency, status, lines, contact))
    return entries


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


def write_chase_outputs(entries: list[ChaseEntry], out_dir: Path, config: ReportConfig) -> list[Path]:
    """chase-list.xlsx and one e-mail text per agency to chase; old texts in chase/ are replaced."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_write_workbook(entries, out_dir / CHASE_XLSX, config)]
    text_dir = out_dir / CHASE_DIR
    text_dir.mkdir(exist_ok=True)
    for old in text_dir.glob("*.txt"):
        old.unlink()
    for entry in entries:
        if entry.needs_email:
            path = text_dir / f"{entry.agency.id}.txt"
            path.write_text(chase_email(entry, config), encoding="utf-8")
            written.append(path)
    return written


def _write_workbook(entries: list[ChaseEntry], path: Path, config: ReportConfig) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chase list"
    append_text_row(sheet, list(COLUMNS))
    header_fill = PatternFill("solid", fgColor="FF" + config.brand.colours.primary.lstrip("#"))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FF" + config.brand.colours.header_text.lstrip("#"))
        cell.fill = header_fill
    for entry in entries:
        problems = "\n".join(entry.problems) if entry.problems else "No return received."
        row = append_text_row(sheet, [entry.agency.name, entry.agency.id, entry.agency.email, entry.status,
                                      entry.agency.due.isoformat() if entry.agency.due else "", problems])
        sheet.cell(row, len(COLUMNS)).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (40, 18, 40, 10, 12, 100)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    stamp = datetime.combine(config.publication_date, datetime.min.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = config.partnership.name
    book.save(path)
    normalise_zip(path, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
    return path


def chase_email(entry: ChaseEntry, config: ReportConfig) -> str:
    """The e-mail the officer can paste and send: who to, subject, what is needed and by when."""
    p = config.partnership
    report = f"{p.short_name} {config.title} {config.period}"
    greeting = f"Dear {entry.contact_name}," if entry.contact_name else "Dear colleague,"
    lines = [f"To: {entry.agency.email}", f"Subject: {report}: {_subject(entry)}", "", greeting, ""]
    if entry.status == "missing":
        due = f", which was due on {entry.agency.due:%d %B %Y}" if entry.agency.due else ""
        lines.append(f"We have not yet received a usable return from {entry.agency.name} for the {report}{due}.")
        lines.append("Please fill in the template we sent you and reply with it attached (the Word or Excel file, not a PDF).")
        if entry.problems:
            lines += ["", "We did receive a file, but could not use it:"]
    else:
        lines.append(f"Thank you for {entry.agency.name}'s return for the {report}. "
                     "Before we can include it, please could you look at the following:")
    if entry.problems:
        lines.append("")
        lines += [f"{number}. {to_agency(problem)}" for number, problem in enumerate(entry.problems, start=1)]
    closing = "your return" if entry.status == "missing" else "the corrected file"
    lines += ["", f"Reply to this e-mail with {closing} attached and we will take it from there.", "",
              "Kind regards,", "", p.name]
    if p.website:
        lines.append(p.website)
    return "\n".join(lines) + "\n"


_TO_AGENCY = (
    (re.compile(r"\b[Aa]sk the agency to "), "Please "),
    (re.compile(r"\b[Aa]sk the agency for "), "Please send "),
    (re.compile(r"\b[Cc]heck with the agency that "), "Please confirm that "),
    (re.compile(r"\bthe agency's\b"), "your"),
    (re.compile(r"\btheir\b"), "your"),
)


def to_agency(text: str) -> str:
    """The officer's fix ('ask the agency to ...') as a request to the agency ('Please ...')."""
    for pattern, replacement in _TO_AGENCY:
        text = pattern.sub(replacement, text)
    return text


def _subject(entry: ChaseEntry) -> str:
    return {"missing": "your agency's return has not arrived", "errors": "please correct your agency's return",
            "warnings": "a few points on your agency's return"}[entry.status]
