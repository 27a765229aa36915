"""What an output format registers in writers.WRITERS: its writers, its suffix and its checks.

The build writes every publication in every format through these entry points, checks that nothing
an agency wrote was lost by reading each file's text back, and checks each file's accessibility;
`check-outputs` finds the files by their suffix. Entry points import their writer when called, so
that a command that writes nothing (check, chase) never loads a format library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the plans and the PDF's measured layouts: what the entry points are given
    from assembler.document import Document
    from assembler.document.briefing import BriefingPlan
    from assembler.document.summary import SummaryContent
    from assembler.writers.pdf.briefing import BriefingLayout
    from assembler.writers.pdf.summary import SummaryLayout


# The publications' file names, before each format's suffix: annual-report.pdf, summary.docx, briefings/<slug>.pdf.
REPORT_NAME = "annual-report"
SUMMARY_NAME = "summary"
BRIEFINGS_DIR = "briefings"


def no_text_problems(pages: list[str]) -> list[str]:
    return []


def waits_for_none() -> str | None:
    return None


@dataclass(frozen=True)
class OutputFormat:
    name: str  # "pdf": also the key in WRITERS and, upper-cased, in the build's step names
    suffix: str  # ".pdf": every publication's file in this format ends so
    # (document, path), and for a format whose report waits for another's (report_waits_for) the build adds
    # `ready`, which waits until that report is written and says whether it was (parallel.Gate).
    write_report: Callable[..., None]
    # The one-pagers are laid out and measured once (writers/pdf fits them to their page); every format
    # is given that measured layout with the plan, and copies it or ignores it.
    write_summary: Callable[[SummaryContent, SummaryLayout, Path], None]
    write_briefing: Callable[[BriefingPlan, BriefingLayout, Path], None]
    read_text: Callable[[Path], list[str]]  # the text a reader gets, page by page: what nothing-lost reads
    check_accessibility: Callable[[Path, bool], list[str]]  # (file, thorough) -> findings; thorough for check-outputs
    text_problems: Callable[[list[str]], list[str]] = no_text_problems  # findings in the text read back itself
    # The format whose report this one's takes page facts from, if any, asked at build time: the Word report
    # numbers its contents from the PDF's pages and starts a page where the PDF does (docx/page_numbers.py).
    # It is written beside that one and waits for it, with `ready`, once its blocks are composed.
    report_waits_for: Callable[[], str | None] = waits_for_none
