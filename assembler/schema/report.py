"""The partnership's own writing and the report that holds everything."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from assembler.schema.blocks import Block, Model
from assembler.schema.submission import Submission

BRIEFING_SECTION_COUNT = 7


class Chapter(Model):
    id: str
    title: str
    blocks: list[Block]
    summary_heading: str | None = Field(default=None, description="Heading of this chapter's block on the one-page summary.")
    summary_bullets: list[str] = Field(default_factory=list, description="Short bullets this chapter gives the one-page summary.")
    standalone: bool = Field(default=False, description="Also published on its own (the web edition gives it a page "
                             "that reads without the rest of the report), as a business plan is.")
    source: str | None = None


class BriefingSection(Model):
    heading: str
    blocks: list[Block]


class Briefing(Model):
    """A '7-minute briefing': one page, exactly seven numbered sections."""

    slug: str
    title: str
    date: date
    audience: str
    sections: list[BriefingSection]
    source: str | None = None

    @field_validator("sections")
    @classmethod
    def _exactly_seven(cls, sections: list[BriefingSection]) -> list[BriefingSection]:
        if len(sections) != BRIEFING_SECTION_COUNT:
            raise ValueError(
                f"a 7-minute briefing needs exactly {BRIEFING_SECTION_COUNT} numbered sections, "
                f"this one has {len(sections)}; "
                + ("merge two of them" if len(sections) > BRIEFING_SECTION_COUNT else "add the missing ones")
            )
        return sections


class DataTable(Model):
    """A table read from a data workbook: the source of every figure and chart."""

    id: str = Field(description="Workbook stem and sheet, e.g. 'funding.income'.")
    title: str
    columns: list[str]
    rows: list[list[str | float | None]]
    source: str | None = None

    def column(self, name: str) -> list[str | float | None]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def data_rows(self) -> list[list[str | float | None]]:
        """The rows that are data: not blank, and not a typed 'Total' (the workbook's own sum,
        which totals, shares and charts would otherwise count twice)."""
        return [row for row in self.rows if not is_total_label(row[0])]


def is_total_label(label) -> bool:
    return label in (None, "") or str(label).strip().casefold() == "total"


class Partnership(Model):
    name: str
    short_name: str


class Report(Model):
    partnership: Partnership
    period: str
    plan_period: str
    chapters: list[Chapter]
    submissions: list[Submission] = Field(default_factory=list)
    data: dict[str, DataTable] = Field(default_factory=dict)
    briefings: list[Briefing] = Field(default_factory=list)
