"""Load what the writer processes need before they are forked, so that each does not load it again.

Writers run in processes forked after reading, and each would otherwise import
reportlab, the writer modules and the checks and parse the bundled fonts for
itself. Two places load them beforehand, in time that would otherwise be idle:

- a small partnership's writer host (writer_host.py) loads everything while
  the build process reads;
- for a large partnership, the build process itself, once it has read the
  partnership's own chapters and is waiting for the returns. It loads only what
  the report PDF and its checks need: they are the longest chain of the
  writing, while the DOCX and the one-pagers finish with time to spare, so
  loading theirs here would only take processor time from the readers. The
  warm-up stops as soon as reading is done, so it delays the build by at most
  the step under way then.
"""

from __future__ import annotations

import importlib
from typing import Callable

Step = Callable[[], object]

# Most useful first: the report PDF and every one-pager need reportlab and the fonts.
REPORT_PDF_STEPS: tuple[Step, ...] = (
    lambda: importlib.import_module("assembler.writers.pdf.report"),
    lambda: importlib.import_module("assembler.writers.pdf.fonts").register_pdf_fonts(),
    lambda: importlib.import_module("assembler.checks.pdf_accessibility"),
    lambda: importlib.import_module("assembler.checks.pdf_text"),
)
OTHER_STEPS: tuple[Step, ...] = (
    lambda: importlib.import_module("assembler.writers.pdf.summary"),
    lambda: importlib.import_module("assembler.writers.pdf.briefing"),
    lambda: importlib.import_module("assembler.writers.docx.report"),
    lambda: importlib.import_module("assembler.writers.docx.summary"),
    lambda: importlib.import_module("assembler.writers.docx.briefing"),
    lambda: importlib.import_module("assembler.checks.docx_accessibility"),
)
EVERY_STEP = REPORT_PDF_STEPS + OTHER_STEPS


def warm_up_writers(still_reading: Callable[[], bool], steps: tuple[Step, ...] = EVERY_STEP) -> None:
    for step in steps:
        if not still_reading():
            return
        step()
