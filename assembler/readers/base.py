"""What every reader hands back: the content of one return before it is matched to an agency."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from assembler.problems import Problem
from assembler.schema import Block, CaseStudy, Contact, Indicator
from assembler.template_fields import ReturnIdentity

PERIOD_IN_TEXT = re.compile(r"\b(20\d\d)\s*[-/–]\s*(?:20)?(\d\d)\b")


def excerpt(text: str, limit: int = 60) -> str:
    """The agency's words quoted in a message, on one line; '…' says that more follows."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 comment', '3 comments': a count as a reader's message gives it."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def count_words(texts) -> int:
    """The words in some pieces of the agency's text (comments, hidden passages), as a message counts them."""
    return sum(len(text.split()) for text in texts)


def reader_warning(code: str, field: str, message: str, fix: str) -> Problem:
    """Something a reader noticed, as a warning. When `code` names a rule of report.yaml (`tracked_changes`),
    that rule sets its severity, or switches it off (validate.py)."""
    return Problem(code=code, severity="warning", field=field, message=message, fix=fix)


@dataclass
class ReturnContent:
    identity: ReturnIdentity | None = None           # from the template's `identifier` property
    agency_name: str | None = None                   # as the agency typed it (template field or title)
    period: str | None = None                        # as typed in the template, or found in a title
    activity_year: int | None = None                 # the year in a free-form '2023 activity ...' heading
    sections: dict[str, list[Block]] = field(default_factory=lambda: {"about": [], "activity": [], "priorities": []})
    indicators: list[Indicator] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)
    contact: Contact | None = None
    notes: list[Problem] = field(default_factory=list)  # what the reader noticed, as warnings
    modified: datetime | None = None                 # core property `modified`, UTC
    title_text: str = ""                             # text before the first section: where a free-form return names its agency
    labels: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs outside the sections, e.g. ('Agency', 'Probation Service')
    is_template: bool = False
    subheadings: list[tuple[str, str]] = field(default_factory=list)  # (part, line): lines typed as sub-headings, read as headings
    # The page header's lines: never printed (the report prints its own), only a clue to whose the return is.
    header_lines: list[str] = field(default_factory=list)
    # The e-mail sender's display name, put where the title would be when the return has none: a clue only.
    sender_name_as_title: str | None = None


def period_from_text(text: str) -> str | None:
    """'2023-24', '2023/24', '2023-2024' as the canonical '2023-24'."""
    match = PERIOD_IN_TEXT.search(text or "")
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        return None
    return f"{start}-{end:02d}"


CONTACT_LINE_WORDS = 12  # longer than any name, role, e-mail, phone or postal address line


def contact_from_lines(lines: list[str]) -> Contact | None:
    """'Name: ...', 'Email: ...' lines (or a name, role, e-mail, phone in any order) as a Contact. An unlabelled
    sentence is not a contact detail (the Word reader reports it as text that was not used)."""
    found: dict[str, str] = {}
    for line in lines:
        label, sep, value = line.partition(":")
        key = label.strip().casefold() if sep else ""
        value = value.strip() if sep else line.strip()
        if not value or (not key and len(value.split()) > CONTACT_LINE_WORDS):
            continue
        if "mail" in key or ("@" in value and "email" not in found):
            found.setdefault("email", value)
        elif "phone" in key or "tel" in key or (not key and re.fullmatch(r"[\d\s+()-]{7,}", value)):
            found.setdefault("phone", value)
        elif "role" in key or "title" in key or "position" in key or "job" in key:
            found.setdefault("role", value)
        elif "name" in key or (not key and "name" not in found):
            found.setdefault("name", value)
        elif not key and "role" not in found:
            found["role"] = value
    return Contact(**found) if found else None
