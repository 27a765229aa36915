"""The common schema: the one shape between readers and writers."""

from assembler.schema.blocks import (
    Block,
    ChartRef,
    Heading,
    Image,
    ListBlock,
    ListItem,
    NoteItem,
    Notes,
    Paragraph,
    Quote,
    Run,
    Table,
    plain_text,
    block_runs,
    runs_text,
)
from assembler.schema.report import (
    BRIEFING_SECTION_COUNT,
    Briefing,
    BriefingSection,
    Chapter,
    DataTable,
    Partnership,
    Report,
)
from assembler.schema.submission import (
    CaseStudy,
    Contact,
    Indicator,
    Problem,
    SectionKey,
    SourceFile,
    Submission,
    section_title,
)

__all__ = [
    "BRIEFING_SECTION_COUNT", "Block", "Briefing", "BriefingSection", "CaseStudy", "Chapter", "ChartRef",
    "Contact", "DataTable", "Heading", "Image", "Indicator", "ListBlock", "ListItem", "NoteItem", "Notes", "Paragraph",
    "Partnership", "Problem", "Quote", "Report", "Run", "SectionKey", "SourceFile", "Submission", "Table",
    "plain_text", "runs_text", "block_runs", "section_title", "json_schema",
]


def json_schema() -> dict:
    """JSON Schema of the export: the report with its submissions, chapters and briefings."""
    return Report.model_json_schema()
