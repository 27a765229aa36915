"""The Word writer (python-docx, docxtpl for the report's cover), and its entry in writers.WRITERS.

- report.py: ``write_docx_report(document, path)``, the annual report.
- summary.py, briefing.py: the one-pagers, copied from the PDF's measured layout into fixed table cells.
- blocks.py: ``add_blocks``, schema blocks into a document or a cell: the report's styles, or compact.py's look.
"""

from __future__ import annotations

from pathlib import Path

from assembler.writers.format import OutputFormat


def _report(document, path: Path) -> None:
    """The report, its contents numbered from the PDF's pages (the PDF report beside it, written first:
    _report_waits_for), or from LibreOffice's layout of it when asked or when there is no PDF."""
    from assembler.writers.docx.page_numbers import from_libreoffice, from_pdf, pdf_print_breaks, starts_from_pdf, use_libreoffice
    from assembler.writers.docx.report import write_docx_report

    pdf = Path(path).with_suffix(".pdf")
    pages = from_libreoffice if use_libreoffice(pdf.is_file()) else from_pdf(pdf) if pdf.is_file() else None
    # The sections the PDF starts on a new page start one in the DOCX, so the two paginate alike.
    starts = starts_from_pdf(pdf) if pdf.is_file() else None
    write_docx_report(document, path, contents_pages=pages, page_starts=starts,
                      print_breaks=pdf_print_breaks(pdf) if pdf.is_file() else frozenset())


def _report_waits_for() -> str | None:
    """The PDF report: the DOCX takes its page numbers and the sections it starts on a new page from it."""
    return "pdf"


def _summary(content, layout, path: Path) -> None:
    from assembler.writers.docx.summary import write_summary_docx

    write_summary_docx(content, layout, path)


def _briefing(plan, layout, path: Path) -> None:
    from assembler.writers.docx.briefing import write_briefing_docx

    write_briefing_docx(plan, layout, path)


def _text(path: Path) -> list[str]:
    from assembler.writers.docx.text import docx_text

    return [docx_text(path)]


def _accessibility(path: Path, thorough: bool) -> list[str]:
    from assembler.checks.docx_accessibility import check_docx

    return check_docx(path)


WRITER = OutputFormat("docx", ".docx", _report, _summary, _briefing, _text, _accessibility,
                      report_waits_for=_report_waits_for)
