"""Use the main process's idle time during reading to load what every writer process needs.

While worker processes read the returns, the main process reads the
partnership's own chapters and then only waits. The writers run afterwards in
processes forked from it, and each would otherwise import reportlab, the writer
modules and the checks and parse the bundled fonts for itself. Loading them
here, while the readers are busy, saves each writer that work; the warm-up
stops as soon as reading is done, so it delays the build by at most the step
under way then. On two cores it also takes processor time from the readers,
so it pays off most when there are many returns to read.
"""

from __future__ import annotations

import importlib
from typing import Callable

from assembler.brand import register_pdf_fonts

# Most useful first: the report PDF and every one-pager need reportlab and the fonts.
_STEPS: tuple[Callable[[], object], ...] = (
    lambda: importlib.import_module("assembler.writers.pdf.report"),
    register_pdf_fonts,
    lambda: importlib.import_module("assembler.onepage.summary_pdf"),
    lambda: importlib.import_module("assembler.onepage.briefing_pdf"),
    lambda: importlib.import_module("assembler.writers.docx.report"),
    lambda: importlib.import_module("assembler.onepage.summary_docx"),
    lambda: importlib.import_module("assembler.onepage.briefing_docx"),
    lambda: importlib.import_module("assembler.checks.pdf_accessibility"),
    lambda: importlib.import_module("assembler.checks.docx_accessibility"),
    lambda: importlib.import_module("assembler.checks.pdf_text"),
)


def warm_up_writers(still_reading: Callable[[], bool]) -> None:
    for step in _STEPS:
        if not still_reading():
            return
        step()
