"""The glossary chapter takes the entries report.yaml adds under `glossary:` (issue 21).

The acronym check (checks/acronyms.py) lists the abbreviations the report uses and does not define; the
officer adds them to report.yaml, where next year's report keeps them, rather than to a chapter file. Each
entry joins the glossary chapter's first table in alphabetical order; an entry the table already has is
the chapter's (the chapter is the partnership's own wording).
"""

from __future__ import annotations

from pathlib import Path

from assembler.config import ReportConfig
from assembler.problems import Problem
from assembler.schema import Chapter, Table
from assembler.typography import typeset_text


def with_glossary_entries(chapters: list[Chapter], config: ReportConfig, inputs: Path) -> tuple[list[Chapter], list[Problem]]:
    """The chapters with report.yaml's glossary entries in the glossary's table, and warnings (printed, never
    stopping the build) when there is no table to put them in."""
    if not config.glossary:
        return chapters, []
    where = str(inputs / "report.yaml")
    index = next((i for i, chapter in enumerate(chapters) if chapter.id == config.glossary_chapter), None)
    if index is None:
        return chapters, [Problem(code="glossary_not_printed", severity="warning", file=where, field="glossary",
                                  message=f"the glossary has entries but the report has no chapter '{config.glossary_chapter}' to print them in",
                                  fix=f"add '{config.glossary_chapter}' to chapters (a chapter with a table of terms), or set "
                                  "glossary_chapter to the chapter that has one")]
    chapter = chapters[index]
    table_at = next((i for i, block in enumerate(chapter.blocks) if isinstance(block, Table)), None)
    if table_at is None:
        return chapters, [Problem(code="glossary_not_printed", severity="warning", file=where, field="glossary",
                                  message=f"the glossary chapter '{chapter.id}' has no table to add the entries to",
                                  fix="add a table of two columns (Term, Meaning) to the chapter")]
    table = chapter.blocks[table_at]
    columns = max((len(row) for row in table.header_rows + table.rows), default=2)
    have = {row[0].strip().casefold() for row in table.rows if row}
    # Typeset as the chapter's table is (content/markdown.py), so a term is found there whichever quotes it was typed with.
    added = [[typeset_text(term.strip()), typeset_text(meaning.strip())] + [""] * (columns - 2)
             for term, meaning in config.glossary.items() if typeset_text(term.strip()).casefold() not in have]
    rows = sorted(table.rows + added, key=lambda row: (row[0] if row else "").casefold())
    blocks = list(chapter.blocks)
    blocks[table_at] = table.model_copy(update={"rows": rows})
    return chapters[:index] + [chapter.model_copy(update={"blocks": blocks})] + chapters[index + 1:], []
