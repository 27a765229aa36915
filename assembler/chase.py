"""The chase list: who has not sent a return, whose return has problems, and a ready-to-send e-mail for each.

Written as outputs/chase-list.xlsx (sheet 'Chase list': one row per agency that must act, most urgent first;
sheet 'Notes (no action)': what the officer should know that asks nothing of anyone) and, per agency to chase,
outputs/chase/<agency-id>.txt (read and sent by `assembler chase`) and <agency-id>.eml (a draft for a mail program).
All depend only on the inputs, so the same returns give the same bytes.
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
from assembler.problems import Problem

Status = Literal["missing", "errors", "warnings"]
CHASE_XLSX = "chase-list.xlsx"
CHASE_DIR = "chase"
COLUMNS = ("Agency", "Agency id", "Contact e-mail", "Status", "Due", "Problems")
NOTE_COLUMNS = ("Agency", "Agency id", "File", "Note")
URGENCY = {"missing": 0, "errors": 1, "warnings": 2}   # nothing usable first, then errors, then warnings

# Warnings that ask nothing of the agency, by their code: they go on the notes sheet, not in an e-mail. A return
# received late (it has arrived: nothing to correct), and, on a return that is used, which of the agency's files
# or sections the newer ones replaced (validate.py; the file set aside is on the notes sheet as superseded).
# Emoji are a note too: the PDF prints them, and only a printed Word copy might not.
# A chart made in Word printed as its figures asks the agency nothing unless the officer wants the drawing.
NOTE_CODES = frozenset({"late_return", "duplicate_return", "emoji_kept", "chart_printed_as_figures"})


@dataclass
class ChaseEntry:
    agency: Agency
    status: Status
    problems: list[str] = field(default_factory=list)   # one line each: field, what is wrong, what to do
    contact_name: str | None = None
    files_received: list[str] = field(default_factory=list)  # missing: the files that came but could not be used

    @property
    def needs_email(self) -> bool:
        """Every row of the chase list needs the agency to act, so every one has an e-mail."""
        return True


@dataclass(frozen=True)
class ChaseNote:
    """For the officer only: nothing to ask the agency."""

    agency_name: str
    agency_id: str
    file: str
    note: str


def is_note(problem: Problem) -> bool:
    """Nothing to ask the agency: a note, or a warning of a kind that asks nothing (late but received, an
    older draft not used). Set to 'error' in report.yaml's rules, the same kind is chased."""
    return problem.severity == "note" or (problem.severity == "warning" and problem.code in NOTE_CODES)


def chase_list(intake: Intake, config: ReportConfig) -> list[ChaseEntry]:
    """Every registered agency that must act: no usable return, errors, or warnings worth asking about;
    most urgent first (nothing usable, then errors, then warnings), registry order within each."""
    accepted = {s.agency_id: s for s in intake.accepted}
    rejected_by_agency: dict[str, list[Problem]] = {}
    for rejected in intake.rejected:
        if rejected.agency_id:
            rejected_by_agency.setdefault(rejected.agency_id, []).append(rejected)
    entries = []
    for agency in config.agencies:
        submission = accepted.get(agency.id)
        rejected = rejected_by_agency.get(agency.id, [])
        if submission is None:
            entries.append(ChaseEntry(agency, "missing", [_rejected_line(r) for r in rejected],
                                      files_received=[one_line(Path(r.file).name) for r in rejected]))
            continue
        asks = sorted((p for p in submission.problems if not is_note(p)), key=lambda p: (p.severity != "error",))
        lines = [one_line(f"{p.field}: {p.message}. {_sentence(p.fix)}") for p in asks]
        # Another file from an agency whose return was used: worth a word (it may have been the corrected one).
        lines += [one_line(f"we also received '{Path(r.file).name}' but could not use it: {r.message} {r.fix}".strip())
                  for r in rejected]
        if not lines:
            continue
        status: Status = "errors" if submission.has_errors else "warnings"
        contact = one_line(submission.contact.name) if submission.contact and submission.contact.name else None
        entries.append(ChaseEntry(agency, status, lines, contact))
    order = {agency.id: n for n, agency in enumerate(config.agencies)}
    return sorted(entries, key=lambda e: (URGENCY[e.status], order[e.agency.id]))


def chase_notes(intake: Intake, config: ReportConfig) -> list[ChaseNote]:
    """What the officer should know that asks nothing of anyone: superseded drafts, identical copies,
    late-but-received returns, blank templates saved into returns/."""
    def name(agency_id: str, fallback: str) -> str:
        agency = config.agency(agency_id)
        return agency.name if agency else fallback

    notes = [ChaseNote(name(n.agency_id, n.agency_id), n.agency_id, n.file, _with_fix(n)) for n in intake.notes]
    for submission in intake.superseded:
        # validate.py puts why a file is not used (older draft, last year's) as its 'return' problem.
        why = next((p.message for p in submission.problems if p.field == "return"), "a newer return from the agency is used")
        notes.append(ChaseNote(submission.agency_name, submission.agency_id, _file_name(submission.source.label),
                               f"not used: {why}"))
    for submission in intake.accepted:
        for problem in submission.problems:
            if is_note(problem):
                notes.append(ChaseNote(submission.agency_name, submission.agency_id, _file_name(problem.file or submission.source.label),
                                       f"{problem.message}. {_sentence(problem.fix)}"))
    order = {agency.id: n for n, agency in enumerate(config.agencies)}
    return sorted(notes, key=lambda n: (order.get(n.agency_id, len(order)), n.agency_id, n.file, n.note))


def _file_name(label: str) -> str:
    """'inputs/returns/x.eml (attachment y.xlsx)' as 'x.eml (attachment y.xlsx)': the folder is the officer's own."""
    path, attached, rest = label.partition(" (attachment ")
    return Path(path).name + attached + rest


def _rejected_line(rejected: Problem) -> str:
    return one_line(f"the file '{Path(rejected.file).name}' could not be used: {rejected.message} {rejected.fix}".strip())


def _with_fix(note: Problem) -> str:
    """A note as one sentence: 'what. Fix: what to do' when it has a fix."""
    return f"{note.message}. Fix: {note.fix}" if note.fix else note.message


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


def write_chase_outputs(entries: list[ChaseEntry], out_dir: Path, config: ReportConfig,
                        notes: list[ChaseNote] = ()) -> list[Path]:
    """chase-list.xlsx, and for each agency to chase its e-mail twice: <id>.txt (what `assembler chase` sends)
    and <id>.eml (the same e-mail as a draft to open in Outlook or Thunderbird); old ones in chase/ are replaced."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_write_workbook(entries, list(notes), out_dir / CHASE_XLSX, config)]
    text_dir = out_dir / CHASE_DIR
    text_dir.mkdir(exist_ok=True)
    for old in [*text_dir.glob("*.txt"), *text_dir.glob("*.eml")]:
        old.unlink()
    for entry in entries:
        text = chase_email(entry, config)
        path = text_dir / f"{entry.agency.id}.txt"
        path.write_text(text, encoding="utf-8")
        draft = text_dir / f"{entry.agency.id}.eml"
        draft.write_bytes(chase_draft(entry, text, config))
        written += [path, draft]
    return written


def chase_draft(entry: ChaseEntry, text: str, config: ReportConfig) -> bytes:
    """The chase text as an unsent e-mail (X-Unsent: 1 makes Outlook open it as a draft to send).
    No Date or Message-ID: the mail program adds them when the officer sends it, and the bytes stay the same."""
    from email.message import EmailMessage
    from email.policy import SMTP

    from assembler.mail.messages import parse_chase_text

    to, subject, body = parse_chase_text(text)
    message = EmailMessage(policy=SMTP)
    message["To"] = to or entry.agency.email
    if config.mail is not None:
        message["From"] = config.mail.address
        message["Reply-To"] = config.mail.reply_to or config.mail.address
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body, cte="quoted-printable")
    return message.as_bytes()


def _write_workbook(entries: list[ChaseEntry], notes: list[ChaseNote], path: Path, config: ReportConfig) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chase list"
    _header(sheet, COLUMNS, config)
    for entry in entries:
        problems = "\n".join(entry.problems) if entry.problems else "No return received."
        row = append_text_row(sheet, [entry.agency.name, entry.agency.id, entry.agency.email, entry.status,
                                      entry.agency.due.isoformat() if entry.agency.due else "", problems])
        sheet.cell(row, len(COLUMNS)).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (40, 18, 40, 10, 12, 100)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    noted = book.create_sheet("Notes (no action)")
    _header(noted, NOTE_COLUMNS, config)
    for note in notes:
        row = append_text_row(noted, [note.agency_name, note.agency_id, note.file, note.note])
        noted.cell(row, len(NOTE_COLUMNS)).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (40, 18, 50, 100)):
        noted.column_dimensions[letter].width = width
    noted.freeze_panes = "A2"
    stamp = datetime.combine(config.publication_date, datetime.min.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = config.partnership.name
    book.save(path)
    normalise_zip(path, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
    return path


def _header(sheet, columns, config: ReportConfig) -> None:
    append_text_row(sheet, list(columns))
    header_fill = PatternFill("solid", fgColor="FF" + config.brand.colours.primary.lstrip("#"))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FF" + config.brand.colours.header_text.lstrip("#"))
        cell.fill = header_fill


def chase_email(entry: ChaseEntry, config: ReportConfig) -> str:
    """The e-mail the officer can paste and send: who to, subject, what is needed and by when.
    The subject and the body say the same thing about what arrived."""
    p = config.partnership
    report = f"{p.short_name} {config.title} {config.period}"
    greeting = f"Dear {entry.contact_name}," if entry.contact_name else "Dear colleague,"
    lines = [f"To: {entry.agency.email}", f"Subject: {report}: {_subject(entry)}", "", greeting, ""]
    whose = entry.agency.name if entry.agency.name.endswith(("'s", "s'")) else f"{entry.agency.name}'s"  # not "Barnardo's's"
    due = f", which was due on {entry.agency.due:%d %B %Y}" if entry.agency.due else ""
    if entry.status == "missing" and entry.files_received:
        files = " and ".join(f"'{name}'" for name in entry.files_received)
        lines.append(f"Thank you for sending {files} for the {report}. Unfortunately we could not use "
                     f"{'it' if len(entry.files_received) == 1 else 'them'}, so we do not yet have a usable return "
                     f"from {entry.agency.name}{due}.")
        lines += ["", "What went wrong, and what to do:"]
    elif entry.status == "missing":
        lines.append(f"We have not yet received a return from {entry.agency.name} for the {report}{due}.")
        lines.append("Please fill in the template we sent you and reply with it attached (the Word or Excel file, not a PDF).")
    elif entry.status == "errors":
        lines.append(f"Thank you for {whose} return for the {report}. "
                     "Before we can include it, please could you correct the following:")
    else:
        lines.append(f"Thank you for {whose} return for the {report}. "
                     "We can include it, but please could you look at the following:")
    if entry.problems:
        lines.append("")
        lines += [f"{number}. {to_agency(problem)}" for number, problem in enumerate(entry.problems, start=1)]
    closing = {"missing": "Reply to this e-mail with your return attached and we will take it from there.",
               "errors": "Reply to this e-mail with the corrected file attached and we will take it from there.",
               "warnings": "Reply to this e-mail with the corrected file attached, or just to tell us nothing needs to change."}
    lines += ["", closing[entry.status], "",
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
    (re.compile(r"\bthey were given\b"), "you were given"),  # 'the template they were given', said to them
)


# The officer's own alternative ('..., or raise rules.word_limits.about in report.yaml', '..., or save the
# attachment into the returns folder') is not for the agency.
_OFFICERS_ALTERNATIVE = re.compile(r", or (?:(?!, or )[^;])*?\b(?:report\.yaml|the returns folder)\b[^;]*?(?=\.\s|\.$|;|$)")


def to_agency(text: str) -> str:
    """The officer's fix ('ask the agency to ...') as a request to the agency ('Please ...'), without what only
    the officer can do (change report.yaml)."""
    text = _OFFICERS_ALTERNATIVE.sub("", text)
    asked_to = bool(_TO_AGENCY[0][0].search(text))
    for pattern, replacement in _TO_AGENCY:
        text = pattern.sub(lambda match, said=replacement: _in_its_sentence(said, match), text)
    # 'ask the agency to type the number, or to open the file' -> 'Please type the number, or open the file'
    return text.replace(", or to ", ", or ") if asked_to else text


def _in_its_sentence(replacement: str, match: re.Match) -> str:
    """'Please ...' opening a sentence, 'please ...' inside one ('If it belongs in the report, please unhide it')."""
    before = match.string[:match.start()].rstrip()
    opens = not before or before.endswith((".", "!", "?", ":"))
    return replacement if opens or not replacement[:1].isupper() else replacement[0].lower() + replacement[1:]


def _subject(entry: ChaseEntry) -> str:
    if entry.status == "missing":
        return "we could not use the file you sent" if entry.files_received else "your agency's return has not arrived"
    return {"errors": "please correct your agency's return", "warnings": "a few points on your agency's return"}[entry.status]
