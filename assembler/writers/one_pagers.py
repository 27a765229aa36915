"""One-page outputs: the annual report's summary and the 7-minute briefings, each one A4 page in every format.

The page is laid out and measured once, by the PDF writer (writers/pdf/fit.py: the body type steps
down to 8 pt, else the build stops with how much to cut); every format in writers.WRITERS is then
given the plan and that measured layout (the DOCX copies its sizes and box heights into fixed cells).
"""

from __future__ import annotations

from pathlib import Path

from assembler.config import ReportConfig
from assembler.document.briefing import BriefingPlan, plan_briefing
from assembler.document.charts import ChartData
from assembler.document.summary import SummaryContent, summary_content
from assembler.errors import InputError
from assembler.schema import Report
from assembler.writers import WRITERS
from assembler.writers.format import BRIEFINGS_DIR, SUMMARY_NAME
from assembler.writers.pdf.briefing import fit_briefing
from assembler.writers.pdf.summary import fit_summary


__all__ = ["write_onepagers", "write_summary", "write_briefing", "summary_files", "BRIEFINGS_DIR"]


def summary_files(out_dir: Path) -> list[Path]:
    return [out_dir / f"{SUMMARY_NAME}{writer.suffix}" for writer in WRITERS.values()]


def write_summary(content: SummaryContent, out_dir: Path) -> list[Path]:
    layout = fit_summary(content)
    out_dir.mkdir(parents=True, exist_ok=True)
    for writer, path in zip(WRITERS.values(), summary_files(out_dir)):
        writer.write_summary(content, layout, path)
    return sorted(summary_files(out_dir))


def write_briefing(plan: BriefingPlan, folder: Path) -> list[Path]:
    layout = fit_briefing(plan)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for writer in WRITERS.values():
        path = folder / f"{plan.slug}{writer.suffix}"
        writer.write_briefing(plan, layout, path)
        written.append(path)
    return sorted(written)


def write_onepagers(report: Report, config: ReportConfig, inputs: Path, out_dir: Path, only: set[str],
                    problems: list[InputError] | None = None, charts: dict[str, ChartData] | None = None) -> list[Path]:
    """Write the kinds named in `only` ("summary", "briefings"); return the files written.

    A one-pager that cannot be made (too long for the page, a key figure that
    cannot be computed) stops only itself: the others are still written. With
    `problems` given, every such error is appended to it; without, the first is
    raised once the rest are written.
    """
    written: list[Path] = []
    failed: list[InputError] = []
    if "summary" in only:
        try:
            written += write_summary(summary_content(report, config, inputs), out_dir)
        except InputError as exc:
            failed.append(exc)
    if "briefings" in only:
        for briefing in report.briefings:
            try:
                written += write_briefing(plan_briefing(briefing, config, inputs, charts or {}), out_dir / BRIEFINGS_DIR)
            except InputError as exc:
                failed.append(exc)
    if problems is not None:
        problems.extend(failed)
    elif failed:
        raise failed[0]
    return written
