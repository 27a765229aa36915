"""The checks on every return, each switched to error, warning or off by `rules` in report.yaml.

One Problem per thing to fix, naming the agency, the file, the field, what is
wrong and what to ask the agency for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from assembler.config import ReportConfig
from assembler.intake_types import Intake
from assembler.schema import Problem, SectionKey, Submission, plain_text, section_title
from assembler.template_fields import PLACEHOLDER_MARKERS, PLACEHOLDER_PATTERNS, SECTION_GUIDANCE

if TYPE_CHECKING:
    from assembler.readers.base import ReturnContent


class ProblemList:
    """Adds problems to one submission at the severity its rule asks for (nothing when the rule is off)."""

    def __init__(self, submission: Submission, config: ReportConfig):
        self.submission = submission
        self.rules = config.rules

    def add(self, rule: str | None, field: str, message: str, hint: str) -> None:
        severity = getattr(self.rules, rule) if rule else "warning"
        if severity == "off":
            return
        source = self.submission.source
        where = source.path + (f" (attachment {source.attachment})" if source.attachment else "")
        self.submission.problems.append(Problem(
            severity=severity, field=field, message=message, hint=hint, file=where, agency=self.submission.agency_name,
        ))


def validate_intake(read: list[tuple[Submission, ReturnContent]], config: ReportConfig) -> Intake:
    """Check every return, then sort them: accepted (newest per agency), superseded, unknown, missing."""
    intake = Intake()
    registered = {a.id for a in config.agencies}
    by_agency: dict[str, list[Submission]] = defaultdict(list)
    for submission, content in read:
        problems = ProblemList(submission, config)
        for note in content.notes:
            problems.add(note.rule, note.field, note.message, note.hint)
        check_submission(submission, problems, config)
        if submission.agency_id in registered:
            by_agency[submission.agency_id].append(submission)
        else:
            problems.add("unknown_agency", "agency",
                         f"the return is from '{submission.agency_name}', which is not an agency in report.yaml",
                         "if it should be in the report, add the agency to 'agencies' in report.yaml; "
                         "if it is a known agency under another name, ask them to use the template they were sent")
            intake.unknown.append(submission)
    for agency_id in sorted(by_agency):
        newest_last = sorted(by_agency[agency_id], key=_arrival_order)
        accepted, older = newest_last[-1], newest_last[:-1]
        if older:
            _flag_duplicates(accepted, older, config)
        intake.accepted.append(accepted)
        intake.superseded.extend(older)
    intake.accepted.sort(key=lambda s: s.agency_name.casefold())
    intake.unknown.sort(key=lambda s: (s.agency_name.casefold(), s.source.path))
    intake.superseded.sort(key=lambda s: (s.agency_name.casefold(), s.source.path))
    arrived = {s.agency_id for s in intake.accepted}
    intake.missing = [a for a in config.agencies if a.id not in arrived]
    return intake


def _arrival_order(submission: Submission):
    """Oldest first: by the time received (unknown counts as oldest), then by file and attachment name."""
    received = submission.source.received
    return (received is not None, received.timestamp() if received else 0.0, submission.source.path, submission.source.attachment or "")


def _describe(submission: Submission) -> str:
    name = submission.source.attachment or submission.source.path.rsplit("/", 1)[-1]
    when = f", received {submission.source.received:%d %b %Y %H:%M}" if submission.source.received else ""
    return f"'{name}'{when}"


def _flag_duplicates(accepted: Submission, older: list[Submission], config: ReportConfig) -> None:
    older_names = ", ".join(_describe(s) for s in older)
    ProblemList(accepted, config).add(
        "duplicate_return", "return",
        f"{len(older) + 1} returns came from {accepted.agency_name}; the newest, {_describe(accepted)}, is used and "
        f"{older_names} is not",
        "check with the agency that the newest return is the one they want published",
    )
    for submission in older:
        ProblemList(submission, config).add(
            "duplicate_return", "return",
            f"superseded by the newer return {_describe(accepted)}; this one is not used",
            "nothing to do unless the agency meant this older version to be used",
        )


def check_submission(submission: Submission, problems: ProblemList, config: ReportConfig) -> None:
    for key in SectionKey:
        title = section_title(key, config.activity_year, config.plan_year)
        text = plain_text(submission.section(key)).strip()
        _check_section(key.value, title, text, problems, config)
        _check_printable(key.value, f"the section '{title}'", text, problems)
    for index, case in enumerate(submission.case_studies, start=1):
        _check_placeholders(f"case study {index}", f"case study '{case.title}'", case.title + "\n" + plain_text(case.blocks), problems)
        _check_printable(f"case study {index}", f"case study '{case.title}'", case.title + "\n" + plain_text(case.blocks), problems)
    for indicator in submission.indicators:
        _check_printable(indicator.label, f"the indicator '{indicator.label}'", indicator.label, problems)
    _check_indicators(submission, problems)
    _check_period(submission, problems, config)
    _check_late(submission, problems, config)


def _check_printable(field: str, what: str, text: str, problems: ProblemList) -> None:
    """A character no bundled font has would print as a box and be lost from the PDF (checks/printable_text.py)."""
    from assembler.checks.printable_text import unprintable_problem

    found = unprintable_problem(what, text)
    if found:
        problems.add("unprintable_text", field, *found)


def _check_section(key: str, title: str, text: str, problems: ProblemList, config: ReportConfig) -> None:
    if not text:
        problems.add("empty_section", key, f"the section '{title}' is empty",
                     f"ask the agency to write the '{title}' section")
        return
    _check_placeholders(key, f"the section '{title}'", text, problems)
    limit = config.rules.word_limits.get(key)
    words = count_words(text)
    if limit and words > limit:
        problems.add("over_word_limit", key, f"the section '{title}' has {words} words, more than its limit of {limit}",
                     f"ask the agency to cut it by {words - limit} words, or raise rules.word_limits.{key} in report.yaml")


WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words as Word counts them, roughly: '1,257', 'child's' and 'co-ordinate' are one word; '|' and '-' are none."""
    return len(WORD.findall(text))


def find_placeholder(text: str) -> str | None:
    """The first template placeholder or guidance sentence left in `text`."""
    folded = text.casefold()
    # Nearly every section has no placeholder, and a look for the markers costs a twentieth of the patterns.
    if any(marker in folded for marker in PLACEHOLDER_MARKERS):
        for pattern in PLACEHOLDER_PATTERNS:
            match = pattern.search(text)
            if match:
                return match.group(0)
    for guidance in SECTION_GUIDANCE.values():
        if guidance.casefold() in folded:
            return guidance
    return None


def _check_placeholders(field: str, what: str, text: str, problems: ProblemList) -> None:
    found = find_placeholder(text)
    if found:
        context = "the template's guidance was left in" if found in SECTION_GUIDANCE.values() else _context(text, found)
        problems.add("placeholder_text", field,
                     f"{what} still has the placeholder '{found}' ({context})",
                     "ask the agency for the missing text or figure, or delete the placeholder")


def _context(text: str, found: str, width: int = 40) -> str:
    at = text.find(found)
    if at < 0:
        return "the template's guidance text"
    start, end = max(0, at - width), min(len(text), at + len(found) + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def _check_indicators(submission: Submission, problems: ProblemList) -> None:
    for indicator in submission.indicators:
        field = f"indicator '{indicator.label}'"
        raw = indicator.raw or ""
        if indicator.value is None:
            if raw and find_placeholder(raw):
                problems.add("placeholder_text", field, f"the value is the placeholder '{raw}', not a number",
                             f"ask the agency for the figure for '{indicator.label}'")
            elif raw.startswith("="):
                continue  # a formula with no saved result: the reader has already said so, naming the cell
            elif raw:
                problems.add(None, field, f"the value '{raw}' is not a number, so it cannot be shown as a figure",
                             "ask the agency to give a plain number, e.g. 1,257 or 91.2%")
            else:
                problems.add(None, field, "no value was given", f"ask the agency for the figure for '{indicator.label}', or remove the row")
            continue
        if indicator.unit == "%" and not 0 <= indicator.value <= 100:
            problems.add("percentage_out_of_range", field,
                         f"the percentage {indicator.value:g}% is outside 0-100",
                         "ask the agency to check the figure (a count typed as a percentage, or a misplaced decimal point)")


def _check_period(submission: Submission, problems: ProblemList, config: ReportConfig) -> None:
    if submission.period != config.period:
        problems.add("wrong_period", "period",
                     f"the return is for {submission.period}, but this report is for {config.period}",
                     f"ask the agency for their {config.period} return (this looks like last year's, or the wrong template)")


def _check_late(submission: Submission, problems: ProblemList, config: ReportConfig) -> None:
    agency = config.agency(submission.agency_id)
    received = submission.source.received
    if agency is None or agency.due is None or received is None:
        return
    if received.date() > agency.due:
        days = (received.date() - agency.due).days
        problems.add("late_return", "received",
                     f"received {received:%d %B %Y}, {days} day{'s' if days != 1 else ''} after the due date {agency.due:%d %B %Y}",
                     "no change needed to the return; note it for the agency's attendance and timeliness record")
