"""How full each page of the report's PDF is, measured from what is printed on it (issue 21's print rules).

A page's fill is the share of the body frame's height, from its top, down to the lowest thing printed in it
(text, a picture, a chart, a table's rules); the running header and footer are outside the frame and not
counted. Print rules a typographer holds the report to:

- no page is less than a tenth full (a runt page: a few lines carried over that belong on the page before);
- a page less than a quarter full comes only before a chapter opening (a chapter starts a new page).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RUNT = 0.10        # a page less full than this is a runt, wherever it is
SHORT = 0.25       # a page less full than this may only end a chapter


@dataclass(frozen=True)
class PageFill:
    page: int          # 1-based
    fill: float        # 0..1 of the body frame's height
    before_chapter: bool  # the next page opens a chapter (or this is the last page)


def page_fills(path: Path, frame_top: float, frame_bottom: float) -> list[PageFill]:
    """Each page's fill, between `frame_top` and `frame_bottom` (PDF points from the page's foot)."""
    import pypdfium2
    from pypdf import PdfReader

    document = pypdfium2.PdfDocument(str(path))
    lowest: list[float | None] = []
    try:
        for index in range(len(document)):
            page = document[index]
            bottoms = [bottom for bottom in _bottoms(page) if frame_bottom - 2 <= bottom <= frame_top + 2]
            lowest.append(min(bottoms) if bottoms else None)
    finally:
        document.close()
    openings = chapter_pages(PdfReader(str(path)))
    height = frame_top - frame_bottom
    fills = []
    for number, bottom in enumerate(lowest, start=1):
        fill = 0.0 if bottom is None else min(1.0, max(0.0, (frame_top - bottom) / height))
        fills.append(PageFill(number, fill, number + 1 in openings or number == len(lowest)))
    return fills


def _bottoms(page):
    """The foot of every text line and every drawn object on the page."""
    import pypdfium2.raw as raw

    text = page.get_textpage()
    for index in range(text.count_chars()):
        if text.get_text_range(index, 1).strip():
            yield text.get_charbox(index)[1]
    for obj in page.get_objects():
        if obj.type in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            left, bottom, right, top = obj.get_bounds()
            if top - bottom < 2000:  # a background fill of the whole page is not content
                yield bottom


def chapter_pages(reader) -> set[int]:
    """The pages (1-based) that open a chapter: the top-level entries of the PDF's outline."""
    pages = set()
    for entry in reader.outline:
        if not isinstance(entry, list):
            pages.add(reader.get_destination_page_number(entry) + 1)
    return pages


def print_rule_breaches(fills: list[PageFill], first_body_page: int = 2) -> list[str]:
    """Each page that breaks a print rule, said as the typographer would."""
    found = []
    for page in fills:
        if page.page < first_body_page:
            continue
        if page.fill < RUNT:
            found.append(f"page {page.page} is {page.fill:.0%} full: a runt page (less than {RUNT:.0%})")
        elif page.fill < SHORT and not page.before_chapter:
            found.append(f"page {page.page} is {page.fill:.0%} full and does not end a chapter (less than {SHORT:.0%})")
    return found
