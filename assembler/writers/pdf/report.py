"""The annual report as a print-ready, tagged PDF, laid out from the document model.

Layout runs until it is stable, normally twice: the first pass finds the page
where each section starts and how many pages there are; the second prints
those numbers in the contents and in the "Page X of Y" footers. Nothing in the
first pass is written to disk.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak, Paragraph as PdfParagraph, Spacer

from assembler.document import Document, Section
from assembler.writers.pdf.blocks import BlockWriter
from assembler.writers.pdf.contents import ContentsEntry
from assembler.writers.pdf.cover import cover_flowables
from assembler.writers.pdf.markup import text_markup
from assembler.writers.pdf.page import BODY, FRAME_WIDTH, LEFT_MARGIN, BOTTOM_MARGIN, PageDecor, RunningText, page_templates
from assembler.writers.pdf.styles import Styles, make_styles
from assembler.writers.pdf.tagging import TagTree

MAX_PASSES = 4  # two is normal; more only if printing the numbers moved something
CONTENTS_TITLE = "Contents"
CONTENTS_KEY = "contents"
OUTLINE_LEVELS = 2  # chapters and agencies get bookmarks and contents entries


class Layout:
    """What one pass learnt: where each section starts and how many pages there are."""

    def __init__(self, section_pages: dict[str, int] | None = None, total_pages: int | None = None):
        self.section_pages = section_pages or {}
        self.total_pages = total_pages

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layout) and (self.section_pages, self.total_pages) == (other.section_pages, other.total_pages)


class SectionHeading(PdfParagraph):
    """A section's heading that also bookmarks itself and notes its page as it is drawn."""

    def __init__(self, markup: str, style, section: Section, found: dict[str, int], running: RunningText):
        super().__init__(markup, style)
        self.section = section
        self.found = found
        self.running = running

    def draw(self) -> None:
        canvas, section = self.canv, self.section
        self.found[section.id] = canvas.getPageNumber()
        canvas.bookmarkHorizontal(section.id, 0, self.height + self.style.fontSize)
        canvas.addOutlineEntry(section.title, section.id, level=section.level - 1, closed=False)
        if section.level == 1:
            self.running.chapter = section.title
        super().draw()


class ReportDocTemplate(BaseDocTemplate):
    def __init__(self, target, document: Document, decor: PageDecor, font: str):
        super().__init__(
            target, pagesize=A4, leftMargin=LEFT_MARGIN, bottomMargin=BOTTOM_MARGIN,
            title=pdf_title(document), author=document.partnership, subject=f"{document.title} {document.period}",
            creator="assembler", keywords=[document.short_name, document.title, document.period],
            lang=document.language, displayDocTitle=1, invariant=1,
            initialFontName=font,  # else reportlab starts every page in Helvetica, a font it does not embed
        )
        self.addPageTemplates(page_templates(decor))


def pdf_title(document: Document) -> str:
    return f"{document.partnership} {document.title} {document.period}"


def write_pdf_report(document: Document, path: Path) -> None:
    """Lay the report out until its page numbers are stable, then write it and add its structure tree."""
    styles = make_styles(document.brand, document.brand.fonts.body_size)
    layout = Layout()
    for _ in range(MAX_PASSES):
        pdf, tree, learnt = _layout_pass(document, styles, layout)
        if learnt == layout:
            break
        layout = learnt
    path.write_bytes(pdf)
    tree.finish(path)


def _layout_pass(document: Document, styles: Styles, layout: Layout) -> tuple[bytes, TagTree, Layout]:
    tree = TagTree(lang=document.language, title=pdf_title(document))
    running = RunningText(title=document.full_title, footer=document.brand.footer, total_pages=layout.total_pages)
    found: dict[str, int] = {}
    buffer = io.BytesIO()
    template = ReportDocTemplate(buffer, document, PageDecor(styles, tree, running), styles.fonts.regular)
    story = _story(document, styles, tree, layout, found, running)
    template.build(story, canvasmaker=_canvasmaker(tree))
    return buffer.getvalue(), tree, Layout(found, running.pages_seen)


def _canvasmaker(tree: TagTree):
    """The tag tree's canvas class when it needs one, else reportlab's own."""
    from reportlab.pdfgen.canvas import Canvas

    maker = getattr(tree, "canvasmaker", None)
    return maker if maker is not None else Canvas


def _story(document: Document, styles: Styles, tree: TagTree, layout: Layout, found: dict[str, int], running: RunningText) -> list[Flowable]:
    writer = BlockWriter(styles, tree, document.inputs, document.charts, FRAME_WIDTH)
    story: list[Flowable] = [*cover_flowables(document, styles, tree), NextPageTemplate(BODY), PageBreak()]
    story += _contents(document, styles, tree, layout, found, running)
    open_levels: list[int] = []
    for section in document.sections:
        while open_levels and open_levels[-1] >= section.level:
            story.append(tree.close())
            open_levels.pop()
        if section.level == 1:
            story.append(PageBreak())
        story.append(tree.open("Sect", title=section.title))
        open_levels.append(section.level)
        heading = SectionHeading(text_markup(section.title, styles), styles.heading(section.level), section, found, running)
        story.append(tree.element(heading, f"H{section.level}"))
        story += writer.flowables(section.blocks)
    story += [tree.close() for _ in open_levels]
    return story


def _contents(document: Document, styles: Styles, tree: TagTree, layout: Layout, found: dict[str, int], running: RunningText) -> list[Flowable]:
    """The contents, with the page numbers the previous pass found (blank until then: same layout, numbers to come)."""
    contents_section = Section(id=CONTENTS_KEY, title=CONTENTS_TITLE, level=1, blocks=[], kind="chapter")
    title = SectionHeading(CONTENTS_TITLE, styles.contents_title, contents_section, found, running)
    entries = [
        tree.element(ContentsEntry(text_markup(section.title, styles), styles.contents[section.level], layout.section_pages.get(section.id), section.id), "TOCI")
        for section in document.contents(OUTLINE_LEVELS)
    ]
    return [tree.open("Sect", title=CONTENTS_TITLE), tree.element(title, "H1"), tree.open("TOC"), *entries, tree.close(), tree.close()]
