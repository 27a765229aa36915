"""The Word writer (python-docx, docxtpl for the report's cover), and its entry in writers.WRITERS.

- report.py: ``write_docx_report(document, path)``, the annual report.
- summary.py, briefing.py: the one-pagers, copied from the PDF's measured layout into fixed table cells.
- blocks.py: ``add_blocks``, schema blocks into a document or a cell: the report's styles, or compact.py's look.
"""

from __future__ import annotations

from pathlib import Path

from assembler.writers.format import OutputFormat


def _report(document, path: Path, pdf_ready=None) -> None:
    """The report, its contents numbered from the PDF's pages (the PDF report beside it: _report_waits_for), or
    from LibreOffice's layout of it when asked or when there is no PDF. With `pdf_ready` (the build's gate:
    parallel.Gate) the blocks are composed while the PDF is still being written, and its facts taken once
    `pdf_ready()` says it is; without, the PDF is already written, or never will be."""
    from assembler.writers.docx.report import write_docx_report

    write_docx_report(document, path, page_facts=lambda: _pdf_facts(Path(path).with_suffix(".pdf"), pdf_ready))


def _pdf_facts(pdf: Path, pdf_ready):
    """(contents pages, page starts, print breaks) from the PDF report: the sections it starts on a new page
    start one in the DOCX, so the two paginate alike."""
    from assembler.writers.docx.page_numbers import from_libreoffice, from_pdf, pdf_print_breaks, starts_from_pdf, use_libreoffice

    if pdf_ready is not None and not pdf_ready():
        raise RuntimeError("the PDF report, which the Word report takes its page numbers from, was not written")
    if not pdf.is_file():
        return (from_libreoffice if use_libreoffice(False) else None), None, frozenset()
    pages = from_libreoffice if use_libreoffice(True) else from_pdf(pdf)
    return pages, starts_from_pdf(pdf), pdf_print_breaks(pdf)


def _report_waits_for() -> str | None:
    """The PDF report: the DOCX takes its page numbers and the sections it starts on a new page from it
    (at a gate: its blocks are composed meanwhile)."""
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
