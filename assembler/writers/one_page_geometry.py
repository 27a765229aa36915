"""The one-pagers' sheet, in points: what the PDF lays out and measures, and every other format copies.

Plain numbers, so that a format copying the PDF's measured layout (the DOCX) needs nothing of reportlab.
"""

from __future__ import annotations

PAGE_WIDTH, PAGE_HEIGHT = 595.2755905511812, 841.8897637795277  # A4, as reportlab.lib.pagesizes.A4
MARGIN = 28.0  # about 10 mm: one-pagers use the whole sheet
LEADING = 1.22  # line height per point of body size: tighter than the report, short lines, lots to fit
GAP = 8.0  # between boxes and bands
COLUMN_GAP = 14.0  # between the summary's two columns of bullets


def tile_padding(body_size: float) -> float:
    """Inside the summary's key-figure and case-study tiles."""
    return round(body_size * 0.8, 2)
