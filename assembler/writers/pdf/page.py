"""A4 page geometry and what is printed around the text: cover band, running header, footer.

Everything drawn here is decoration or repetition (the same header on every
page), so it is drawn as an artifact: a screen reader skips it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate

from assembler.writers.report_geometry import (  # noqa: F401  (handed on: the PDF writer's modules take them from here)
    BOTTOM_MARGIN,
    COVER_BAND,
    FOOTER_Y,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    HEADER_Y,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
)


COVER = "cover"
BODY = "body"


@dataclass
class RunningText:
    """What the header and footer say.

    The header names the chapter or, inside a chapter's sections (the agencies), the first section that starts
    on the page, as the contents does: a reader sent to page 33 for an agency finds its name at the top, even
    when the page opens with the end of the agency before it. A page where no section starts names the
    section it continues.
    """

    title: str
    footer: str
    chapter: str = ""
    section: str = ""  # the latest level-2 section started
    page_section: str = ""  # the level-2 section the current page opens inside
    started_here: str = ""  # the first level-2 section started on the current page
    pages_seen: int = field(default=0)

    def start_section(self, title: str, level: int, opens_page: bool = False) -> None:
        if level == 1:
            self.chapter, self.section, self.page_section, self.started_here = title, "", "", ""
        elif level == 2:
            self.section = title
            self.started_here = self.started_here or title

    def heading_for_page(self) -> str:
        """Call once per page, at its end: what this page's header says."""
        text = self.started_here or self.page_section or self.chapter
        self.page_section, self.started_here = self.section, ""  # the next page opens inside the latest section
        return text

    def reset(self) -> None:
        self.chapter = self.section = self.page_section = self.started_here = ""
        self.pages_seen = 0


def page_templates(decor) -> list[PageTemplate]:
    """The cover (no header or footer) and the body pages."""
    cover_frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, PAGE_HEIGHT - COVER_BAND - 18 * mm - BOTTOM_MARGIN,
                        id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body_frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                       leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return [
        PageTemplate(id=COVER, frames=[cover_frame], onPageEnd=decor.cover, pagesize=A4, autoNextPageTemplate=BODY),
        PageTemplate(id=BODY, frames=[body_frame], onPageEnd=decor.body, pagesize=A4),
    ]


class PageDecor:
    """Draws the artifacts of each page through the tag tree."""

    def __init__(self, styles, tree, running: RunningText, numbers):
        self.styles = styles
        self.tree = tree
        self.running = running
        self.numbers = numbers  # PageNumbers: "Page X of Y" is filled in once Y is known

    def cover(self, canvas: Canvas, doc) -> None:
        self.running.pages_seen = max(self.running.pages_seen, canvas.getPageNumber())
        p = self.styles.palette
        with self.tree.artifact(canvas):
            canvas.saveState()
            canvas.setFillColor(p.primary)
            canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
            canvas.setFillColor(p.secondary)
            canvas.rect(0, PAGE_HEIGHT - COVER_BAND - 4 * mm, PAGE_WIDTH, 4 * mm, stroke=0, fill=1)
            canvas.setFillColor(p.primary)
            canvas.rect(0, 0, PAGE_WIDTH, 10 * mm, stroke=0, fill=1)
            canvas.restoreState()

    def body(self, canvas: Canvas, doc) -> None:
        page = canvas.getPageNumber()
        self.running.pages_seen = max(self.running.pages_seen, page)
        s, p = self.styles, self.styles.palette
        font, size = s.fonts.regular, s.running.fontSize
        with self.tree.artifact(canvas):
            canvas.saveState()
            canvas.setStrokeColor(p.rule)
            canvas.setLineWidth(0.6)
            canvas.line(LEFT_MARGIN, HEADER_Y - 2.5 * mm, PAGE_WIDTH - RIGHT_MARGIN, HEADER_Y - 2.5 * mm)
            canvas.line(LEFT_MARGIN, FOOTER_Y + 4.5 * mm, PAGE_WIDTH - RIGHT_MARGIN, FOOTER_Y + 4.5 * mm)
            canvas.setFillColor(p.primary)
            canvas.setFont(s.fonts.bold, size)
            canvas.drawString(LEFT_MARGIN, HEADER_Y, self.running.title)
            canvas.setFont(font, size)
            canvas.setFillColor(p.text)
            heading = self.running.heading_for_page()
            if heading:
                canvas.drawRightString(PAGE_WIDTH - RIGHT_MARGIN, HEADER_Y, heading)
            canvas.drawString(LEFT_MARGIN, FOOTER_Y, self.running.footer)
            canvas.translate(PAGE_WIDTH - RIGHT_MARGIN, FOOTER_Y)
            canvas.doForm(self.numbers.footer_form(page, font, size, p.text))
            canvas.restoreState()
