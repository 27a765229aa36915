"""Layout-free plans of each publication, built from the schema: what goes where, never how it looks.

- report.py: the annual report's `Document` (cover, chapters, agency sections, case studies).
- summary.py: what the one-page summary says (bullets, key figures resolved from the data, tiles).
- briefing.py: what a 7-minute briefing says (its header lines, seven sections, the brand tile).
- charts.py: chart data resolved from the data tables, shared by every publication that shows it;
  figures.py: the figures quoted in the text (chapters, the summary's key figures), from the same tables.
- imprint.py: who publishes a one-pager and in what brand, as plain values from report.yaml.

No format library is imported here (tests/test_architecture.py): the writers decide how it looks.
"""

from assembler.document.report import (
    Document,
    Section,
    agency_sections,
    build_document,
    format_indicator,
    introduces_next,
    numeric_columns,
)

__all__ = ["Document", "Section", "agency_sections", "build_document", "format_indicator", "introduces_next",
           "numeric_columns"]
