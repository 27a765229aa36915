"""The printed document, in order: what every report writer lays out.

`build_document` decides what goes where (cover, chapters, agency sections,
case studies); the DOCX and PDF writers only decide how it looks. Neither of
them ever sees a Word or Excel return.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from assembler.document.charts import ChartData
from assembler.config import Brand, ReportConfig
from assembler.schema import (
    Block,
    Heading,
    Indicator,
    ListBlock,
    ListItem,
    Paragraph,
    Report,
    Run,
    SectionKey,
    Submission,
    Table,
    section_title,
)
from assembler.periods import print_period
from assembler.schema.submission import NUMBER_QUALIFIER, is_spreadsheet_error
from assembler.typography import typeset_text

MAX_HEADING_LEVEL = 6
AGENCY_SECTION_LEVEL = 3  # chapter H1 > agency H2 > its three sections H3
INDICATORS_TITLE = "Key indicators"
CASE_STUDIES_TITLE = "Case studies"
NOT_RECEIVED_TITLE = "Returns not received"
EMPTY_SECTION_TEXT = "This agency did not complete this section."
NOT_AVAILABLE = "not available"
LONGEST_UNBROKEN_VALUE = 40  # characters of a value with no space in it that fit a table's value column


@dataclass(frozen=True)
class Section:
    """A headed part of the document. Level 1 starts a new page; 1 and 2 get bookmarks."""

    id: str
    title: str
    level: int
    blocks: list[Block]
    kind: Literal["chapter", "agency", "case-studies", "not-received"] = "chapter"
    agency_id: str | None = None


@dataclass
class Document:
    title: str
    subtitle: str
    partnership: str
    short_name: str
    period: str
    date: date
    language: str
    brand: Brand
    inputs: Path
    sections: list[Section] = field(default_factory=list)
    charts: dict[str, ChartData] = field(default_factory=dict)

    @property
    def full_title(self) -> str:
        return f"{self.short_name} {self.title} {self.period}"

    @property
    def logo(self) -> Path | None:
        return self.inputs / self.brand.logo if self.brand.logo else None

    def contents(self, max_level: int = 2) -> list[Section]:
        return [s for s in self.sections if s.level <= max_level]


def build_document(report: Report, config: ReportConfig, inputs: Path, charts: dict[str, ChartData]) -> Document:
    document = Document(
        title=config.title,
        subtitle=config.partnership.name,
        partnership=config.partnership.name,
        short_name=config.partnership.short_name,
        period=config.period,
        date=config.publication_date,
        language=config.partnership.language,
        brand=config.brand,
        inputs=inputs,
        charts=charts,
    )
    for chapter in report.chapters:
        document.sections.append(Section(id=f"chapter-{chapter.id}", title=chapter.title, level=1, blocks=chapter.blocks))
        if chapter.id == config.agency_chapter:
            document.sections.extend(agency_sections(report.submissions, config))
            document.sections.extend(returns_not_received(report.submissions, config))
    return document


def returns_not_received(submissions: list[Submission], config: ReportConfig) -> list[Section]:
    """The registered agencies whose return is not in the report, named, as published reports do: a reader
    looking for an agency learns it sent nothing rather than that the report lost it."""
    arrived = {s.agency_id for s in submissions}
    missing = sorted((typeset_text(a.name) for a in config.agencies if a.id not in arrived), key=str.casefold)
    if not missing:
        return []
    names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    text = f"No return from {names} could be included in this report."
    return [Section(id="returns-not-received", title=NOT_RECEIVED_TITLE, level=2, blocks=[Paragraph(runs=[Run(text=text)])],
                    kind="not-received")]


def agency_sections(submissions: list[Submission], config: ReportConfig) -> list[Section]:
    """One section per agency (alphabetical, as readers look them up), then their case studies."""
    ordered = sorted(submissions, key=lambda s: s.agency_name.casefold())
    sections = [
        Section(id=f"agency-{s.agency_id}", title=printed_name(s), level=2, blocks=agency_blocks(s, config), kind="agency", agency_id=s.agency_id)
        for s in ordered
    ]
    case_blocks: list[Block] = []
    for submission in ordered:
        for study in submission.case_studies:
            case_blocks.append(Heading(level=AGENCY_SECTION_LEVEL, text=f"{study.title} ({printed_name(submission)})"))
            case_blocks.extend(shift_headings(split_long_paragraphs(study.blocks), AGENCY_SECTION_LEVEL))
    if case_blocks:
        sections.append(Section(id="case-studies", title=CASE_STUDIES_TITLE, level=2, blocks=case_blocks, kind="case-studies"))
    return sections


def printed_name(submission: Submission) -> str:
    """The agency's name as the report prints it: the registry's spelling typeset (Barnardo's as Barnardo’s).
    Returns are still matched on the registry's spelling (readers/agency_match.py): only print changes."""
    return typeset_text(submission.agency_name)


def agency_blocks(submission: Submission, config: ReportConfig) -> list[Block]:
    blocks: list[Block] = []
    for key in SectionKey:
        blocks.append(Heading(level=AGENCY_SECTION_LEVEL, text=section_title(key, config.activity_year, config.plan_year)))
        content = split_long_paragraphs(submission.section(key))
        blocks.extend(shift_headings(content, AGENCY_SECTION_LEVEL) or [Paragraph(runs=[Run(text=EMPTY_SECTION_TEXT, italic=True)])])
    if submission.indicators:
        # Named, as a case study is: a table carried to a page the next agency's name heads is still its own.
        blocks.append(Heading(level=AGENCY_SECTION_LEVEL, text=f"{INDICATORS_TITLE} ({printed_name(submission)})"))
        blocks.append(indicator_table(submission.indicators, config.indicators.period_style))
    return blocks


def indicator_table(indicators: list[Indicator], period_style: str = "long") -> Table:
    """The agency's key indicators: every period in the one style report.yaml chooses (periods.py)."""
    with_period = any(i.period for i in indicators)
    with_note = any(i.note for i in indicators)
    header = ["Indicator", "Value"] + (["Period"] if with_period else []) + (["Note"] if with_note else [])
    rows = []
    decimals = percent_decimals(indicators)
    for indicator in indicators:
        row = [indicator.label, format_indicator(indicator, decimals)]
        if with_period:
            row.append(print_period(indicator.period, period_style))
        if with_note:
            row.append(indicator.note or "")
        rows.append(row)
    return Table(header_rows=[header], rows=rows)


def percent_decimals(indicators: list[Indicator]) -> int:
    """One precision for a table's percentages (100.0% above 93.1%, not 100%): one decimal place if any has one."""
    return int(any(i.unit == "%" and i.value is not None and math.isfinite(i.value) and round(i.value, 1) != round(i.value)
                   for i in indicators))


def format_indicator(indicator: Indicator, percent_decimals: int | None = None) -> str:
    """The value as a reader expects it: 91.2%, £34,000, 1,257, with the agency's qualifier ('approx £34,000',
    '250+'); the agency's own text if not a number. `percent_decimals`: the one precision of a table's
    percentages (otherwise each to one decimal place at most, as the agency gave it)."""
    value = indicator.value
    if value is not None and not math.isfinite(value):
        value = None  # the firewall (readers/printable.py) lets none through: this is for a schema built elsewhere
    if value is None:
        raw = (indicator.raw or "").strip()
        # A spreadsheet formula with no saved result, or whose result is an error (#N/A), is a warning at check
        # time, never print.
        if len(raw) > LONGEST_UNBROKEN_VALUE and not any(c.isspace() for c in raw):
            # 400 nines would not fit a table column; the whole value is in the warning `check` gives and the export.
            return f"{raw[:12]}…{raw[-6:]} ({len(raw)} characters)"
        return NOT_AVAILABLE if raw.startswith("=") or not raw or is_spreadsheet_error(raw) else raw
    if indicator.unit == "%":
        if percent_decimals is None or indicator.before or indicator.after:  # 'approx 91%' is not 91.0%
            printed = f"{value:.1f}".rstrip("0").rstrip(".") + "%"
        else:
            printed = f"{value:.{percent_decimals}f}%"
    elif indicator.unit == "£":
        # A negative sum as it is written in English, '-£1,204', not '£-1,204'.
        printed = ("-" if value < 0 else "") + (f"£{abs(value):,.0f}" if value == int(value) else f"£{abs(value):,.2f}")
    else:
        # Every decimal the agency gave, not two of them (1.204 printed 1.2); a float's last digits are its own.
        number = f"{value:,.0f}" if value == int(value) else f"{value:,.6f}".rstrip("0").rstrip(".")
        # "count" is how a template names a plain number; it is not printed.
        printed = f"{number} {indicator.unit}" if indicator.unit and indicator.unit != "count" else number
    return f"{indicator.before or ''}{printed}{indicator.after or ''}"  # '250+' is not 250


# A figure as printed, with the qualifiers an agency may put round it (approx 300, c. 250, <5, ~40, 250+).
FIGURE = re.compile(rf"^(?:{NUMBER_QUALIFIER}\s*)?-?[£$€]?-?\d[\d,]*(\.\d+)?%?\s*\+?$", re.I)


def numeric_columns(rows: list[list[str]], columns: int) -> list[bool]:
    """Columns whose every filled body cell is a figure (1,257 / £34,000 / 91.2% / 250+): every writer sets them
    right-aligned, header included, so that figures line up by their last digit."""
    result = []
    for c in range(columns):
        values = [r[c].strip() for r in rows if c < len(r) and r[c].strip() and r[c].strip().casefold() not in NO_FIGURE]
        result.append(bool(values) and all(FIGURE.match(v) for v in values))
    return result


# What a cell in a column of figures may say instead of a figure: it does not make the column text.
NO_FIGURE = {NOT_AVAILABLE, "n/a", "-", "\u2013", "\u2014", "nil", "none"}


def introduces_next(block: Block, following: Block | None) -> bool:
    """A paragraph ending in a colon ('Training compliance at the end of the year:') introduces the table or
    list after it: the writers keep the two on one page."""
    return (isinstance(block, Paragraph) and isinstance(following, (Table, ListBlock))
            and "".join(run.text for run in block.runs).rstrip().endswith(":"))


# Laying out a paragraph costs time in proportion to its length at every page it runs onto, so one very long
# paragraph costs the square of its length (500 kB of text took a minute). Longer than LONG_PARAGRAPH, it is
# laid out as several paragraphs of about PARAGRAPH_PART characters, split at sentence ends, every word kept.
LONG_PARAGRAPH = 4000
PARAGRAPH_PART = 1500
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
SPACE = re.compile(r"\s+")


def split_long_paragraphs(blocks: list[Block]) -> list[Block]:
    """Paragraphs longer than LONG_PARAGRAPH characters as several, in order, with the same runs and words."""
    if not any(isinstance(b, Paragraph) and sum(len(r.text) for r in b.runs) > LONG_PARAGRAPH for b in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and sum(len(r.text) for r in block.runs) > LONG_PARAGRAPH:
            out.extend(Paragraph(runs=part) for part in _split_runs(block.runs) if part)
        else:
            out.append(block)
    return out


def _split_runs(runs: list[Run]) -> list[list[Run]]:
    parts: list[list[Run]] = []
    current: list[Run] = []
    size = 0
    for run in runs:
        text, start = run.text, 0
        while size + len(text) - start > PARAGRAPH_PART:
            cut = _cut(text, start, PARAGRAPH_PART - size, 2 * PARAGRAPH_PART - size)
            if cut > start:
                head = text[start:cut].rstrip()
                if head:
                    current.append(run.model_copy(update={"text": head}))
            if current:
                parts.append(current)
            current, size = [], 0
            start = SPACE.match(text, cut).end() if SPACE.match(text, cut) else cut
        if start < len(text):
            current.append(run.model_copy(update={"text": text[start:]}) if start else run)
            size += len(text) - start
    if current:
        parts.append(current)
    return parts


def _cut(text: str, start: int, want: int, most: int) -> int:
    """Where to end a part: the first sentence end after `want` more characters (within `most`), else the
    last space before `most`, else (one unbroken word) at `most` or before this run when it has no room."""
    want, most = start + max(want, 0), start + max(most, 0)
    found = SENTENCE_END.search(text, want, most)
    if found:
        return found.end()
    spaces = [m.start() for m in SPACE.finditer(text, start, most)]
    if spaces and spaces[-1] > start:
        return spaces[-1]
    return most if most > start else start


def shift_headings(blocks: list[Block], base: int) -> list[Block]:
    """Put an agency's own headings below `base`, keeping their order and never skipping a level."""
    shifted: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            block = block.model_copy(update={"level": min(MAX_HEADING_LEVEL, base + block.level)})
        shifted.append(block)
    return _close_level_gaps(shifted, base)


def _close_level_gaps(blocks: list[Block], base: int) -> list[Block]:
    previous = base
    fixed: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level, previous + 1)
            block = block.model_copy(update={"level": level})
            previous = level
        fixed.append(block)
    return fixed


__all__ = ["Document", "Section", "build_document", "agency_sections", "format_indicator", "introduces_next",
           "numeric_columns", "ListBlock", "ListItem"]
