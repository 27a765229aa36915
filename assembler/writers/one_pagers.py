"""One-page outputs: the annual report's summary and the 7-minute briefings, each one A4 page in PDF and DOCX.

The PDF is laid out and measured first (fit.py: the body type steps down to
8 pt, else the build stops with how much to cut); the DOCX copies the PDF's
settled size and box heights into fixed table cells.
"""

from __future__ import annotations

from pathlib import Path

from assembler.config import ReportConfig
from assembler.errors import InputError
from assembler.schema import Report

SUMMARY_DOCX = "summary.docx"
SUMMARY_PDF = "summary.pdf"
BRIEFINGS_DIR = "briefings"

__all__ = ["write_onepagers", "write_summary", "write_briefing"]


def write_onepagers(report: Report, config: ReportConfig, inputs: Path, out_dir: Path, only: set[str],
                    problems: list[InputError] | None = None) -> list[Path]:
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
            written += write_summary(report, config, inputs, out_dir)
        except InputError as exc:
            failed.append(exc)
    if "briefings" in only:
        for briefing in report.briefings:
            try:
                written += write_briefing(briefing, config, inputs, out_dir / BRIEFINGS_DIR)
            except InputError as exc:
                failed.append(exc)
    if problems is not None:
        problems.extend(failed)
    elif failed:
        raise failed[0]
    return written


def write_summary(report: Report, config: ReportConfig, inputs: Path, out_dir: Path) -> list[Path]:
    from assembler.document.summary import summary_content
    from assembler.writers.docx.summary import write_summary_docx
    from assembler.writers.pdf.summary import write_summary_pdf

    content = summary_content(report, config, inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = write_summary_pdf(content, config, out_dir / SUMMARY_PDF)
    write_summary_docx(layout, content, config, out_dir / SUMMARY_DOCX)
    return [out_dir / SUMMARY_DOCX, out_dir / SUMMARY_PDF]


def write_briefing(briefing, config: ReportConfig, inputs: Path, folder: Path) -> list[Path]:
    from assembler.writers.docx.briefing import write_briefing_docx
    from assembler.writers.pdf.briefing import write_briefing_pdf

    folder.mkdir(parents=True, exist_ok=True)
    pdf, docx = folder / f"{briefing.slug}.pdf", folder / f"{briefing.slug}.docx"
    layout = write_briefing_pdf(briefing, config, inputs, pdf)
    write_briefing_docx(layout, briefing, config, inputs, docx)
    return [docx, pdf]
