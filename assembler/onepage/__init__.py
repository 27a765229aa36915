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

__all__ = ["write_onepagers", "write_summary", "write_briefing", "load_briefing_docx", "write_briefing_template"]


def write_onepagers(report: Report, config: ReportConfig, inputs: Path, out_dir: Path, only: set[str],
                    problems: list[InputError] | None = None, report_pdf: Path | None = None) -> list[Path]:
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
            written += write_summary(report, config, inputs, out_dir, report_pdf)
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


def write_summary(report: Report, config: ReportConfig, inputs: Path, out_dir: Path, report_pdf: Path | None = None) -> list[Path]:
    """The summary; with the report's PDF, each case study and resource tile names its page in it."""
    from assembler.onepage.summary_content import summary_content, with_pages
    from assembler.onepage.summary_docx import write_summary_docx
    from assembler.onepage.summary_pdf import write_summary_pdf

    content = summary_content(report, config, inputs)
    if report_pdf is not None and report_pdf.is_file():
        content = with_pages(content, report, report_pdf)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = write_summary_pdf(content, config, out_dir / SUMMARY_PDF)
    write_summary_docx(layout, content, config, out_dir / SUMMARY_DOCX)
    return [out_dir / SUMMARY_DOCX, out_dir / SUMMARY_PDF]


def write_briefing(briefing, config: ReportConfig, inputs: Path, folder: Path) -> list[Path]:
    from assembler.onepage.briefing_docx import write_briefing_docx
    from assembler.onepage.briefing_pdf import write_briefing_pdf

    folder.mkdir(parents=True, exist_ok=True)
    pdf, docx = folder / f"{briefing.slug}.pdf", folder / f"{briefing.slug}.docx"
    layout = write_briefing_pdf(briefing, config, inputs, pdf)
    write_briefing_docx(layout, briefing, config, inputs, docx)
    return [docx, pdf]


def load_briefing_docx(path: Path):
    from assembler.onepage.briefing_template import load_briefing_docx as load

    return load(path)


def write_briefing_template(path: Path, config: ReportConfig) -> None:
    from assembler.onepage.briefing_template import write_briefing_template as write

    write(path, config)
