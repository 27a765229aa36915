"""The annual report's page, in points: the PDF is laid out on it and the DOCX applies the same numbers.

Plain numbers, so that the Word writer matching the PDF's page (docx/report_layout.py, docx/pages.py)
needs nothing of reportlab or of the PDF writer.
"""

from __future__ import annotations

from assembler.writers.one_page_geometry import PAGE_HEIGHT, PAGE_WIDTH  # A4

MM = 72.0 / 2.54 * 0.1  # points in a millimetre, computed as reportlab.lib.units.mm is (the same float)

# Print margins: wide enough for a desktop printer's unprintable edge and for hole punching.
LEFT_MARGIN = 22 * MM
RIGHT_MARGIN = 20 * MM
TOP_MARGIN = 26 * MM
BOTTOM_MARGIN = 24 * MM
HEADER_Y = PAGE_HEIGHT - 15 * MM
FOOTER_Y = 12 * MM
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
COVER_BAND = 62 * MM
# A list split across pages leaves this many items on each side (pdf/tagged_flowables.py, docx/blocks.py).
ITEMS_EACH_SIDE = 2
LEADING = 1.35  # line height as a multiple of the font size: comfortable for long reading
# A page the PDF's print rules start early carries a named destination of this prefix and the name of what
# starts it (writers/pdf/print_rules.py); the DOCX starts a page at the same place (writers/docx/page_numbers.py).
PRINT_BREAK_PREFIX = "print-break-"
FIGURE_WITH_HEADING = 2  # paragraphs between a heading and its figure that go with them to the figure's page


def half_points(size: float) -> float:
    """A type size as Word can set it (half points): the PDF uses the same, so lines break alike."""
    return round(size * 2) / 2


def leading(size: float, factor: float = LEADING) -> float:
    """A style's line height as the PDF rounds it (to a tenth of a point); the DOCX writes the same."""
    return round(size * factor, 1)
