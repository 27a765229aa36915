"""The checks on every return, each switched to error, warning or off by `rules` in report.yaml.

One Problem per thing to fix, naming the agency, the file, the field, what is
wrong and what to ask the agency for. A problem's code is the name of the rule
that switches it (`late_return`), or its own name for one no rule switches.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from assembler.build_rules import return_problems
from assembler.config import ReportConfig
from assembler.document.report import NOT_AVAILABLE
from assembler.intake_types import Intake
from assembler.readers.values import is_out_of_range
from assembler.returns_coverage import RETURNS_DIR
from assembler.problems import Problem
from assembler.schema import Notes, SectionKey, SourceFile, Submission, plain_text, section_title
from assembler.schema.submission import is_spreadsheet_error
from assembler.template_fields import SECTION_GUIDANCE, find_placeholder

if TYPE_CHECKING:
    from assembler.readers.base import ReturnContent


# What a reader notices about a key figure that leaves it printing 'not available' (rule not_available).
PRINTS_NOT_AVAILABLE = ("formula_without_result",)
NOT_AVAILABLE_FIX = "; or accept it under indicators: not_available: in report.yaml"


class ProblemList:
    """Adds problems to one submission at the severity its rule asks for (nothing when the rule is off)."""

    def __init__(self, submission: Submission, config: ReportConfig):
        self.submission = submission
        self.rules = config.rules
        self.config = config

    def add(self, code: str, field: str, message: str, fix: str, source: SourceFile | None = None,
            severity: str | None = None) -> None:
        """`severity` for a problem no rule can switch off; else the rule's when `code` names a rule in
        report.yaml, or a warning."""
        severity = severity or self._ruled(code) or "warning"
        if severity == "off":
            return
        source = source or _source_of(self.submission, field)
        where = source.path + (f" (attachment {source.attachment})" if source.attachment else "")
        self.submission.problems.append(Problem(
            code=code, severity=severity, field=field, message=message, fix=fix, file=where,
            agency=self.submission.agency_name, agency_id=self.submission.agency_id,
        ))

    def add_noticed(self, noticed: Problem, source: SourceFile) -> None:
        """A reader's warning, at the severity its rule asks for when its code names one. A key figure that would
        print 'not available' is the rule not_available's, unless the officer accepted it in report.yaml: then it
        is a note, never chased."""
        if noticed.code in PRINTS_NOT_AVAILABLE:
            accepted = self.config.indicators.accepted_in(self.submission.agency_id, noticed.field or "")
            if accepted:
                printed = accepted.value if accepted.value else f"'{NOT_AVAILABLE}'"
                self.add(noticed.code, noticed.field, f"{noticed.message}; accepted in report.yaml, so it prints {printed}",
                         "", source, severity="note")
            else:
                self.add(noticed.code, noticed.field, noticed.message, noticed.fix + NOT_AVAILABLE_FIX, source,
                         severity=self._ruled("not_available"))
            return
        self.add(noticed.code, noticed.field, noticed.message, noticed.fix, source,
                 severity="note" if noticed.severity == "note" else None)  # a reader's note asks nothing: never a warning

    def _ruled(self, code: str) -> str | None:
        """'error', 'warning' or 'off' when report.yaml's rules have a rule of this name."""
        value = getattr(self.rules, code, None)
        return value if value in ("error", "warning", "off") else None


# The parts of a return that can come from different files of one agency.
PARTS = ("about", "activity", "priorities", "indicators", "case_studies", "contact")
PART_NAMES = {"about": "about", "activity": "activity", "priorities": "priorities", "indicators": "key figures",
              "case_studies": "case studies", "contact": "contact"}


def _source_of(submission: Submission, field: str) -> SourceFile:
    """The file a problem's field came from, when the return was merged from several."""
    part = field if field in PARTS else "indicators" if field.startswith("indicator") else \
        "case_studies" if field.startswith("case study") else None
    return submission.section_sources.get(part, submission.source) if part else submission.source


def validate_intake(read: list[tuple[Submission, ReturnContent]], config: ReportConfig) -> Intake:
    """Check every return, then settle each agency's files into one submission: identical copies read once, last
    year's set aside, the rest merged section by section (the newer file wins a section both fill)."""
    intake = Intake()
    registered = {a.id for a in config.agencies}
    by_agency: dict[str, list[tuple[Submission, ReturnContent]]] = defaultdict(list)
    for submission, content in read:
        if submission.agency_id in registered:
            by_agency[submission.agency_id].append((submission, content))
            continue
        _check_alone(submission, content, config)
        _flag_unknown(submission, config)
        intake.unknown.append(submission)
    for agency_id in sorted(by_agency):
        _settle_agency(by_agency[agency_id], config, intake)
    intake.accepted.sort(key=lambda s: s.agency_name.casefold())
    intake.unknown.sort(key=lambda s: (s.agency_name.casefold(), s.source.path))
    intake.superseded.sort(key=lambda s: (s.agency_name.casefold(), s.source.path))
    arrived = {s.agency_id for s in intake.accepted}
    intake.missing = [a for a in config.agencies if a.id not in arrived]
    return intake


def _check_alone(submission: Submission, content: ReturnContent, config: ReportConfig) -> None:
    problems = ProblemList(submission, config)
    for note in content.notes:
        problems.add_noticed(note, submission.source)
    _check_contained(submission, problems, config)


def _check_contained(submission: Submission, problems: ProblemList, config: ReportConfig) -> None:
    try:
        check_submission(submission, problems, config)
    except Exception as error:  # a fault in a check stops this return only, never the others
        problems.add("check_failed", "return", f"the return could not be checked ({type(error).__name__})",
                     "ask the agency to save the return again and send it; if it persists, report it with the return attached",
                     severity="error")


def _flag_unknown(submission: Submission, config: ReportConfig) -> None:
    name = assign_key(submission.source.path)
    guesses = [config.agency(agency_id) for agency_id in submission.source.looks_like]
    guesses = [g for g in guesses if g is not None]
    if guesses:
        looks = (submission.source.attributed_by or "").removeprefix("unclear: ")
        message = f"it is not clear which agency sent this return: it {looks}"
        fix = (f"to confirm, add `{assign_line(name, guesses[0].id)}` under `assign:` in report.yaml "
                f"(or run: assembler assign \"{name}\" {guesses[0].id})")
    elif _named_only_by_a_title(submission):
        message = (f"no agency's name was found in the return (its file name '{submission.agency_name}' is a title, "
                   "not a name)")
        fix = (f"ask the sender which agency it is from, then add `{assign_line(name, '<agency id>')}` under `assign:` "
               f"in report.yaml (or run: assembler assign \"{name}\" <agency id>)")
    else:
        message = f"the return is from '{submission.agency_name}', which is not an agency in report.yaml"
        fix = (f"if it is a registered agency writing its name differently, add `{assign_line(name, '<agency id>')}` "
                f"under `assign:` in report.yaml (or run: assembler assign \"{name}\" <agency id>); if it should be in "
                f"the report as a new agency, add `{registry_line(submission)}` under `agencies:`")
    ProblemList(submission, config).add("unknown_agency", "agency", message, fix)


def _named_only_by_a_title(submission: Submission) -> bool:
    """No name in the return, and its file's name is a title ('Annual return 2023-24'): never proposed as a new
    agency's name."""
    from assembler.readers.agency_match import looks_like_title

    return looks_like_title(submission.agency_name)


def assign_key(path: str) -> str:
    """A file as an `assign:` key names it: its name, or, in a folder inside returns/, its path there
    ('Team A/return.docx'), as `assembler assign` writes it: a name alone would place every folder's file."""
    parts = path.replace("\\", "/").split("/")
    folders = [index for index, part in enumerate(parts[:-1]) if part == RETURNS_DIR]
    return "/".join(parts[folders[-1] + 1:]) if folders else parts[-1]


def assign_line(file_name: str, agency_id: str) -> str:
    """The exact line the officer adds under `assign:` (as `assembler assign` writes it)."""
    from assembler.config.edit import entry_line

    return entry_line(file_name, agency_id)


def registry_line(submission: Submission) -> str:
    email = submission.source.sender or (submission.contact.email if submission.contact and submission.contact.email else "<e-mail address>")
    return (f"- {{id: {submission.agency_id}, name: {_yaml_key(submission.agency_name)}, sector: Other, "
            f"email: {email}}}")


def _yaml_key(text: str) -> str:
    """Text as a YAML scalar: plain when that is safe, else double-quoted."""
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.()'&+-]*[A-Za-z0-9)]", text or "")
    if plain and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


# --- one agency's files ------------------------------------------------------------------

COPY_MARKER = re.compile(r"\(\d+\)|\bcopy\b", re.I)


def _settle_agency(pairs: list[tuple[Submission, ReturnContent]], config: ReportConfig, intake: Intake) -> None:
    pairs = sorted(pairs, key=lambda pair: _arrival_order(pair[0]))
    pairs = _without_copies(pairs, intake)
    current = [pair for pair in pairs if pair[0].period == config.period]
    if current and len(current) < len(pairs):
        newest = current[-1][0]
        for submission, content in pairs:
            if submission.period != config.period:
                _check_alone(submission, content, config)
                ProblemList(submission, config).add(
                    "duplicate_return", "return",
                    f"this is {_which_year(submission.period, config)} ({submission.period}); the {config.period} return "
                    f"{_describe(newest)} is used and this one is not",
                    "nothing to do: last year's return is never printed in this year's report")
                intake.superseded.append(submission)
        pairs = current
    if len(pairs) == 1:
        submission, content = pairs[0]
        _check_alone(submission, content, config)
        submission.section_sources = {part: submission.source for part in PARTS if _fills(submission, part)}
        intake.accepted.append(submission)
        return
    owners = {part: submission for submission, _ in pairs for part in PARTS if _fills(submission, part)}  # newest wins
    used = [pair for pair in pairs if any(owner is pair[0] for owner in owners.values())]
    unused = [pair for pair in pairs if pair not in used]
    if not used:  # several files, none with anything in it: the newest stands, with its empty sections reported
        used, unused = pairs[-1:], pairs[:-1]
    merged = _merge(used, owners)
    intake.accepted.append(merged)
    problems = ProblemList(merged, config)
    for submission, content in used:
        for note in content.notes:
            problems.add_noticed(note, submission.source)
    _check_contained(merged, problems, config)
    _flag_replaced(merged, used, unused, owners, config)
    for submission, content in unused:
        _check_alone(submission, content, config)
        if _fills_nothing(submission):  # whenever it came: there is nothing in it to use
            message = (f"it has no text in any section and no figures or contact, so {_describe(merged)} is used and "
                       "this one is not")
            fix = "ask the agency what it meant to send: this file may be an empty or scanned copy"
        else:
            message = f"superseded by the newer return {_describe(merged)}; this one is not used"
            fix = "nothing to do unless the agency meant this older version to be used"
        ProblemList(submission, config).add("duplicate_return", "return", message, fix)
        intake.superseded.append(submission)


def _which_year(period: str, config: ReportConfig) -> str:
    try:
        behind = config.activity_year - int(period[:4])
    except ValueError:
        return "a return for another year"
    return "last year's return" if behind == 1 else "a return for another year"


def _without_copies(pairs: list[tuple[Submission, ReturnContent]], intake: Intake) -> list[tuple[Submission, ReturnContent]]:
    """Identical copies ('return (1).docx', the same attachment sent twice) are one return: the first to arrive
    is kept and each copy is mentioned once, as a note, never as a problem."""
    kept: dict[str, Submission] = {}
    result = []
    for submission, content in sorted(pairs, key=lambda pair: (_arrival_order(pair[0])[:2], _is_copy_name(pair[0]),
                                                                _arrival_order(pair[0])[2:])):
        key = _fingerprint(submission, content)
        original = kept.get(key)
        if original is None:
            kept[key] = submission
            result.append((submission, content))
            continue
        intake.notes.append(Problem(
            code="identical_copy", severity="note", agency=submission.agency_name, agency_id=submission.agency_id,
            file=submission.source.label, message=f"'{submission.source.label}' is an identical copy of "
            f"'{original.source.label}' (the same content); it was read once"))
    return sorted(result, key=lambda pair: _arrival_order(pair[0]))


def _is_copy_name(submission: Submission) -> bool:
    return bool(COPY_MARKER.search(Path(submission.source.attachment or submission.source.path).stem))


def _fingerprint(submission: Submission, content: ReturnContent) -> str:
    """The same file, or a file that reads to exactly the same return and whose reading noticed the same things:
    a copy that differs only in what is not printed (a sentence after the contact details, hidden text) is not
    an identical copy, or what it alone holds would go unreported."""
    read = submission.model_dump(mode="json", include={"period", "about", "activity", "priorities", "indicators",
                                                       "case_studies", "contact"})
    noticed = sorted((note.code, note.message) for note in content.notes)
    return hashlib.sha256(json.dumps([read, noticed], sort_keys=True).encode("utf-8")).hexdigest()


def _fills(submission: Submission, part: str) -> bool:
    if part in ("about", "activity", "priorities"):
        return bool(plain_text(getattr(submission, part)).strip())
    if part == "contact":
        return submission.contact is not None and any(submission.contact.model_dump().values())
    return bool(getattr(submission, part))


def _fills_nothing(submission: Submission) -> bool:
    return not any(_fills(submission, part) for part in PARTS)


def _merge(used: list[tuple[Submission, ReturnContent]], owners: dict[str, Submission]) -> Submission:
    """One submission from an agency's files: each part from the newest file that fills it; the newest file used
    is the return's source (its arrival is when the return was complete)."""
    newest = used[-1][0]
    update = {part: getattr(owner, part) for part, owner in owners.items()}
    merged = newest.model_copy(update={**update, "problems": []})
    merged.section_sources = {part: owners[part].source for part in PARTS if part in owners}
    return merged


def _flag_replaced(merged: Submission, used, unused, owners: dict[str, Submission], config: ReportConfig) -> None:
    """Say what a newer file replaced: whole older files, or the sections both filled."""
    unused = [pair for pair in unused if not _fills_nothing(pair[0])]  # an empty file is said of itself only
    if unused:
        older_names = ", ".join(_describe(s) for s, _ in unused)
        ProblemList(merged, config).add(
            "duplicate_return", "return",
            f"{len(unused) + len(used)} returns came from {merged.agency_name}; the newest, {_describe(merged)}, is used and "
            f"{older_names} is not",
            "check with the agency that the newest return is the one they want published",
            merged.source,
        )
    for submission, _ in used:
        # A contact typed again, or a section sent again unchanged, replaces nothing worth a word.
        parts = [part for part in PARTS if part != "contact" and _fills(submission, part) and owners[part] is not submission
                 and getattr(owners[part], part) != getattr(submission, part)]
        replaced = [PART_NAMES[part] for part in parts]
        if replaced:
            newer = sorted({owners[part].source.label for part in parts})
            ProblemList(merged, config).add(
                "duplicate_return", "return",
                f"{', '.join(replaced)} from {_describe(submission)} {'was' if len(replaced) == 1 else 'were'} replaced by the "
                f"newer {' and '.join(repr(n) for n in newer)}; the rest of that file is used",
                "check with the agency that the newer sections are the ones they want published",
                submission.source,
            )


def _arrival_order(submission: Submission):
    """Oldest first: by the time received (unknown counts as oldest), then by file and attachment name."""
    received = submission.source.received
    return (received is not None, received.timestamp() if received else 0.0, submission.source.path, submission.source.attachment or "")


def _describe(submission: Submission) -> str:
    name = submission.source.attachment or submission.source.path.rsplit("/", 1)[-1]
    when = f", received {submission.source.received:%d %b %Y %H:%M}" if submission.source.received else ""
    return f"'{name}'{when}"


def check_submission(submission: Submission, problems: ProblemList, config: ReportConfig) -> None:
    _give_accepted_figures(submission, config)
    for key in SectionKey:
        title = section_title(key, config.activity_year, config.plan_year)
        blocks = submission.section(key)
        text = plain_text(blocks).strip()
        # The word limit is the section's own text: its footnotes and endnotes (sources, references) are not
        # counted, as Word's own count leaves them out unless asked (placeholders in them are still found).
        words = count_words(plain_text([block for block in blocks if not isinstance(block, Notes)]))
        _check_section(key.value, title, text, problems, config, words)
        _check_printable(key.value, f"the section '{title}'", text, problems)
    for index, case in enumerate(submission.case_studies, start=1):
        _check_placeholders(f"case study {index}", f"case study '{case.title}'", case.title + "\n" + plain_text(case.blocks), problems)
        _check_printable(f"case study {index}", f"case study '{case.title}'", case.title + "\n" + plain_text(case.blocks), problems)
    for indicator in submission.indicators:
        _check_printable(indicator.label, f"the indicator '{indicator.label}'", indicator.label, problems)
    _check_indicators(submission, problems)
    _check_period(submission, problems, config)
    _check_late(submission, problems, config)
    # What the build's checks of the files it writes would stop on, found here for check and build alike.
    submission.problems.extend(return_problems(submission))


def _check_printable(field: str, what: str, text: str, problems: ProblemList) -> None:
    """A character no bundled font has would print as a box and be lost from the PDF (checks/printable_text.py)."""
    from assembler.checks.printable_text import unprintable_problem

    found = unprintable_problem(what, text)
    if found:
        problems.add("unprintable_text", field, *found)


def _check_section(key: str, title: str, text: str, problems: ProblemList, config: ReportConfig, words: int) -> None:
    if not text:
        problems.add("empty_section", key, f"the section '{title}' is empty",
                     f"ask the agency to write the '{title}' section")
        return
    _check_placeholders(key, f"the section '{title}'", text, problems)
    limit = config.rules.word_limits.get(key)
    if limit and words > FAR_OVER_LIMIT * limit:
        # Always an error: the report's length, and the time to lay it out, must stay bounded.
        problems.add("far_over_word_limit", key,
                     f"the section '{title}' has {words} words, more than {FAR_OVER_LIMIT} times its limit of {limit}",
                     f"ask the agency to cut it to {limit} words (the report cannot print a section this long), "
                     f"or raise rules.word_limits.{key} in report.yaml", severity="error")
    elif limit and words > limit:
        problems.add("over_word_limit", key, f"the section '{title}' has {words} words, more than its limit of {limit}",
                     f"ask the agency to cut it by {words - limit} words, or raise rules.word_limits.{key} in report.yaml")


FAR_OVER_LIMIT = 3
WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words as Word counts them, roughly: '1,257', 'child's' and 'co-ordinate' are one word; '|' and '-' are none."""
    return len(WORD.findall(text))


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


def _give_accepted_figures(submission: Submission, config: ReportConfig) -> None:
    """The figures the officer gives in report.yaml for key figures the return has none for, parsed as typed."""
    from assembler.readers.values import parse_value

    for index, indicator in enumerate(submission.indicators):
        accepted = config.indicators.accepted(submission.agency_id, indicator.label)
        if accepted and accepted.value and indicator.value is None:
            parsed = parse_value(accepted.value)
            submission.indicators[index] = indicator.model_copy(update={
                "value": parsed.value, "raw": accepted.value, "unit": indicator.unit or parsed.unit,
                "before": parsed.before or None, "after": parsed.after or None})


def _check_indicators(submission: Submission, problems: ProblemList) -> None:
    for indicator in submission.indicators:
        field = f"indicator '{indicator.label}'"
        raw = indicator.raw or ""
        if indicator.value is None and problems.config.indicators.accepted(submission.agency_id, indicator.label):
            continue  # the officer accepted it in report.yaml (and the reader's note says so)
        if indicator.value is None:
            if raw and find_placeholder(raw):
                problems.add("placeholder_text", field, f"the value is the placeholder '{raw}', not a number",
                             f"ask the agency for the figure for '{indicator.label}'")
            elif raw.startswith("="):
                continue  # a formula with no saved result: the reader has already said so, naming the cell
            elif is_spreadsheet_error(raw):
                problems.add("spreadsheet_error", field,
                             f"the value is the spreadsheet error '{raw.strip()}' (a formula that could not be worked out), "
                             f"so the key figure would print '{NOT_AVAILABLE}'",
                             f"ask the agency to correct the formula, or to type the figure for '{indicator.label}'"
                             + NOT_AVAILABLE_FIX, severity=problems._ruled("not_available"))
            elif is_out_of_range(raw):
                shown = raw if len(raw) <= 24 else f"{raw[:12]}…{raw[-6:]} ({len(raw)} characters)"
                problems.add("value_too_large", field, f"the value '{shown}' is too large to be a figure, so it is printed as typed",
                             "ask the agency to check the figure (a slip of the keyboard, or a number pasted twice)")
            elif raw:
                problems.add("not_a_number", field, f"the value '{raw}' is not a number, so it cannot be shown as a figure",
                             "ask the agency to give a plain number, e.g. 1,257 or 91.2%")
            else:
                problems.add("no_value", field, f"no value was given, so the key figure would print '{NOT_AVAILABLE}'",
                             f"ask the agency for the figure for '{indicator.label}', or remove the row" + NOT_AVAILABLE_FIX,
                             severity=problems._ruled("not_available"))
            continue
        if indicator.unit == "%" and not 0 <= indicator.value <= 100:
            problems.add("percentage_out_of_range", field,
                         f"the percentage {indicator.value:g}% is outside 0-100",
                         "ask the agency to check the figure (a count typed as a percentage, or a misplaced decimal point)")
        elif indicator.unit == "count" and indicator.value != int(indicator.value):
            said = f"the count {raw or indicator.value}"
            if _thousands_typed_as_point(raw):
                said += (f" has a decimal point: is it {indicator.value * 1000:,.0f}, with a full stop typed where a "
                         "comma separates the thousands?")
            else:
                said += " is not a whole number"
            problems.add("count_with_decimals", field, said, "ask the agency to check the figure (a count is a whole number)")


def _thousands_typed_as_point(raw: str) -> bool:
    """'1.204' as some keyboards and countries write one thousand two hundred and four."""
    return bool(re.fullmatch(r"\d{1,3}(\.\d{3})+", raw.strip()))


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
