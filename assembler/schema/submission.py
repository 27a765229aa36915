"""One agency's return, whatever format it arrived in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from assembler.problems import Problem  # what is wrong with a return: the one problem type, kept with it
from assembler.schema.blocks import Block, Model


class SectionKey(StrEnum):
    """The three sections every return has, in the order they are printed."""

    ABOUT = "about"
    ACTIVITY = "activity"
    PRIORITIES = "priorities"


def section_title(key: SectionKey, activity_year: int, plan_year: int) -> str:
    """The heading agencies see in the template and readers see in print."""
    return {
        SectionKey.ABOUT: "About our agency and what we do",
        SectionKey.ACTIVITY: f"{activity_year} activity and what we would like to celebrate",
        SectionKey.PRIORITIES: f"Planned safeguarding priorities for {plan_year}",
    }[key]


# What an agency may type before a figure ('approx 300', 'c. 250', '<5', '~40'); a '+' may follow it ('250+').
# The readers keep it (Indicator.before/after) and the writers treat a figure so qualified as a figure.
NUMBER_QUALIFIER = r"(?:approx(?:imately)?\.?|about|around|circa|c\.|~|<|>|≈)"

# What a spreadsheet shows in a cell whose formula could not be worked out: never a figure. A value that is one
# (read from an Excel cell, or copied from one into a Word table) prints 'not available' and is questioned.
SPREADSHEET_ERRORS = frozenset(("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"))


def is_spreadsheet_error(raw: str | None) -> bool:
    return (raw or "").strip().upper() in SPREADSHEET_ERRORS


class Indicator(Model):
    label: str
    value: float | None = Field(default=None, description="None when the agency gave no usable number.")
    unit: str | None = Field(default=None, description="'%', '£' or a counted noun; None for a plain count.")
    period: str | None = None
    note: str | None = None
    raw: str | None = Field(default=None, description="The value exactly as the agency typed it.")
    before: str | None = Field(default=None, description="The agency's qualifier before the number ('approx ', '<'), printed with it.")
    after: str | None = Field(default=None, description="The agency's qualifier after the number ('+' of '250+'), printed with it.")


class CaseStudy(Model):
    title: str
    blocks: list[Block]


class Contact(Model):
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None


class SourceFile(Model):
    path: str
    sha256: str
    format: str = Field(description="The kind of file it was, by its content: the row of the table of readers that read it "
                       "(readers/table.py), e.g. 'docx', 'xlsx', 'eml'.")
    received: datetime | None = Field(default=None, description="When it arrived: the e-mail date, else the file time.")
    sender: str | None = Field(default=None, description="The e-mail sender, for returns that came as e-mail.")
    attachment: str | None = Field(default=None, description="The attachment's own name inside an e-mail.")
    received_from: str | None = Field(default=None, description="Where `received` comes from: 'received: in report.yaml', "
                                      "'the e-mail's Date' or 'the file's time in returns/'.")
    attributed_by: str | None = Field(default=None, description="What said whose return it is, e.g. \"the template's identifier\".")
    looks_like: list[str] = Field(default_factory=list, description="When it could not be attributed: the ids of the "
                                  "registered agencies it looks like, best first.")

    @property
    def label(self) -> str:
        """How the officer knows the file: its name, and the attachment's for an e-mail."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{name} (attachment {self.attachment})" if self.attachment else name


class Submission(Model):
    agency_id: str
    agency_name: str
    period: str = Field(description="Report period the return is for, e.g. 2023-24.")
    source: SourceFile
    about: list[Block] = Field(default_factory=list, description="About our agency and what we do.")
    activity: list[Block] = Field(default_factory=list, description="<year> activity and what we would like to celebrate.")
    priorities: list[Block] = Field(default_factory=list, description="Planned safeguarding priorities for <next year>.")
    indicators: list[Indicator] = Field(default_factory=list)
    case_studies: list[CaseStudy] = Field(default_factory=list)
    contact: Contact | None = None
    section_sources: dict[str, SourceFile] = Field(
        default_factory=dict,
        description="Which file each filled part (about, activity, priorities, indicators, case_studies, contact) came from, "
        "when an agency's return was merged from several files (a narrative document and a figures workbook).",
    )
    problems: list[Problem] = Field(default_factory=list)

    def section(self, key: SectionKey) -> list[Block]:
        return getattr(self, key.value)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)
