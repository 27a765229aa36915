"""The Word files the assembler's DOCX outputs start from, made by tools/make_docx_template.py."""

from __future__ import annotations

from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"
# The annual report's styles, cover, header and footer (docxtpl placeholders on the cover).
REPORT_TEMPLATE = TEMPLATE_DIR / "report.docx"
# python-docx's default template without its preview picture of a blank page, Word 2010's second copy of the
# styles and a hundred unused table styles: the one-pagers, the agencies' blank Word returns and the blank
# 7-minute briefing start here.
PLAIN_TEMPLATE = TEMPLATE_DIR / "plain.docx"
