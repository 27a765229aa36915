"""The PDF writer (reportlab platypus), tagged through tagging.TagTree, and its entry in writers.WRITERS.

- report.py: ``write_pdf_report(document, path)``, the annual report.
- summary.py, briefing.py: the one-pagers, laid out and measured here (fit.py: one page, or how much to cut).
- blocks.py: ``BlockWriter``, schema blocks to flowables: the report's look, or the one-pagers' ``Compact`` one.
- styles.py: ``make_styles(brand, body_size)``, paragraph styles and colours from the brand; fonts.py registers the fonts.
- chart.py: ``chart_drawing(chart, brand, width, height)``, vector horizontal bar charts.
- page.py, cover.py, contents.py, keep.py, one_page.py: page geometry and decoration, cover, contents lines, keep-with-next.
- markup.py: escaping, links and glyph fallback for Paragraph markup.
"""

from __future__ import annotations

from pathlib import Path

from assembler.writers.format import OutputFormat


def _report(document, path: Path) -> None:
    from assembler.writers.pdf.report import write_pdf_report

    write_pdf_report(document, path)


def _summary(content, layout, path: Path) -> None:
    from assembler.writers.pdf.summary import write_summary_pdf

    write_summary_pdf(content, layout, path)


def _briefing(plan, layout, path: Path) -> None:
    from assembler.writers.pdf.briefing import write_briefing_pdf

    write_briefing_pdf(plan, layout, path)


def _text(path: Path) -> list[str]:
    from assembler.checks.pdf_text import pdf_page_texts

    return pdf_page_texts(path)


def _accessibility(path: Path, thorough: bool) -> list[str]:
    from assembler.checks.pdf_accessibility import check_pdf

    # The build checks the extracted text with nothing-lost, from the same extraction (_text_problems).
    return check_pdf(path, with_pdfua=thorough, with_text=thorough)


def _text_problems(pages: list[str]) -> list[str]:
    from assembler.checks.pdf_accessibility import extraction_problems

    return extraction_problems(pages)


WRITER = OutputFormat("pdf", ".pdf", _report, _summary, _briefing, _text, _accessibility, _text_problems)
