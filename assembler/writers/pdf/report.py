"""The annual report as a print-ready, tagged PDF, laid out from the document model.

The story is laid out once. The numbers known only at the end (each section's
page in the contents, the Y of "Page X of Y") are drawn as PDF forms that are
filled in just before the file is saved (numbers.py).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak

from assembler.document import Document, Section
from assembler.document.print_edition import for_print
from assembler.writers.pdf.bidi import BidiParagraph
from assembler.writers.pdf.blocks import BlockWriter
from assembler.writers.pdf.contents import ContentsEntry
from assembler.writers.pdf.cover import cover_flowables
from assembler.writers.pdf.keep import KeepWithStart, chapter_break
from assembler.writers.pdf.markup import text_markup
from assembler.writers.pdf.numbers import PageNumbers
from assembler.writers.pdf.page import (
    BODY, BOTTOM_MARGIN, FRAME_HEIGHT, FRAME_WIDTH, LEFT_MARGIN, PageDecor, RunningText, page_templates,
)
from assembler.writers.pdf.print_rules import break_anchor, PRINT_RULE_PASSES, PagePlaces, rebalancing_breaks
from assembler.writers.pdf.styles import Styles, make_styles
from assembler.writers.pdf.tagging import TagTree

FRAME_TOP = BOTTOM_MARGIN + FRAME_HEIGHT
CONTENTS_TITLE = "Contents"
CONTENTS_KEY = "contents"
OUTLINE_LEVELS = 2  # chapters and agencies get bookmarks and contents entries


class PassState(Flowable):
    """What the layout shares: the running header's text and the page of each section, as it is drawn."""

    def __init__(self, running: RunningText, numbers: PageNumbers):
        super().__init__()
        self.running = running
        self.numbers = numbers
        self.break_names: dict[int, str] = {}  # id of a story item -> its name should a print-rule break precede it

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class SectionHeading(BidiParagraph):
    """A section's heading that also bookmarks itself and notes its page as it is drawn (a title in a
    right-to-left script, such as a case study's, reads from the right)."""

    def __init__(self, markup: str, style, section: Section, state: PassState):
        super().__init__(markup, style)
        self.section = section
        self.state = state

    def draw(self) -> None:
        canvas, section = self.canv, self.section
        self.state.numbers.section_pages[section.id] = canvas.getPageNumber()
        canvas.bookmarkHorizontal(section.id, 0, self.height + self.style.fontSize)
        canvas.addOutlineEntry(section.title, section.id, level=section.level - 1, closed=False)
        opens_page = bool(getattr(getattr(self, "_frame", None), "_atTop", False))  # nothing drawn above it yet
        self.state.running.start_section(section.title, section.level, opens_page)
        super().draw()


class ReportDocTemplate(BaseDocTemplate):
    def __init__(self, target, document: Document, decor: PageDecor, font: str):
        super().__init__(
            target, pagesize=A4, leftMargin=LEFT_MARGIN, bottomMargin=BOTTOM_MARGIN,
            title=pdf_title(document), author=document.partnership, subject=f"{document.title} {document.period}",
            creator="assembler", keywords=[document.short_name, document.title, document.period],
            lang=document.language, displayDocTitle=1, invariant=1,
            initialFontName=font,  # else reportlab starts every page in Helvetica, a font it does not embed
            keepTogetherClass=KeepWithStart,
        )
        self.addPageTemplates(page_templates(decor))
        self.numbers = decor.numbers
        self.running = decor.running
        self.placed = PagePlaces()

    def handle_flowable(self, flowables) -> None:
        # Where each of the story's own flowables starts (page, height), for the print rules' second pass.
        first = flowables[0] if flowables else None
        frame = getattr(self, "frame", None)
        page, top = self.page, getattr(frame, "_y", None)
        super().handle_flowable(flowables)
        if first is not None and top is not None and self.page == page and self.frame is frame and frame._y < top:
            self.placed.started(id(first), page, top)

    def afterFlowable(self, flowable) -> None:
        super().afterFlowable(flowable)
        if getattr(self, "frame", None) is not None and getattr(flowable, "height", 0):
            self.placed.reached(self.page, self.frame._y)

    def _endBuild(self) -> None:
        # Not saved here: a layout the print rules redo is never saved (save_and_tag, below).
        self._doSave = 0
        super()._endBuild()

    def save_and_tag(self, tree: TagTree) -> None:
        """The page numbers are known only now: fill in their forms, save, then add the structure tree.
        Called for the final layout only: saving and tagging a layout the print rules redo was a tenth of
        the PDF writer's time, spent on a file that was then overwritten."""
        self.numbers.total_pages = self.running.pages_seen  # every page has ended by now
        self.numbers.define_forms(self.canv)
        self.canv.save()
        tree.finish(self.filename)


def pdf_title(document: Document) -> str:
    return f"{document.partnership} {document.title} {document.period}"


def write_pdf_report(document: Document, path: Path) -> None:
    """Lay the report out, fill in its page numbers, then add its structure tree. A layout that leaves a runt
    page (print_rules.py) is laid out again with the page before it rebalanced: at most PRINT_RULE_PASSES times.
    Only the final layout is saved and tagged."""
    document = for_print(document)  # links carry their address: a printed page cannot be clicked
    breaks: set[int] = set()
    for _ in range(PRINT_RULE_PASSES):
        template, tree = _lay_out(document, path, breaks)
        more = rebalancing_breaks(template.placed, FRAME_TOP, BOTTOM_MARGIN) - breaks
        if not more:
            template.save_and_tag(tree)
            return
        breaks |= more
    template, tree = _lay_out(document, path, breaks)
    template.save_and_tag(tree)


def _lay_out(document: Document, path: Path, breaks: set[int]) -> tuple[ReportDocTemplate, TagTree]:
    """One layout of the whole report, for `path` but not yet saved; a page break before each story item in
    `breaks`. Its `placed` says where the story's flowables went, for the print rules."""
    styles = make_styles(document.brand, document.brand.fonts.body_size)
    tree = TagTree(lang=document.language, title=pdf_title(document))
    state = PassState(RunningText(title=document.full_title, footer=document.brand.footer), PageNumbers())
    story = [state, *_story(document, styles, tree, state)]
    template = ReportDocTemplate(str(path), document, PageDecor(styles, tree, state.running, state.numbers), styles.fonts.regular)
    template.placed.index(story)
    template.placed.chapter_ids = {s.id for s in document.sections if s.level == 1}
    # Each print-rule break is also a named destination (print_rules.break_anchor): the DOCX starts a page there too.
    laid: list[Flowable] = []
    for index, item in enumerate(story):
        if index in breaks:
            anchor = break_anchor(state.break_names.get(id(item)))
            laid += [PageBreak(), anchor] if anchor else [PageBreak()]
        laid.append(item)
    template.build(laid)
    template.placed.chapter_pages = {page for key, page in state.numbers.section_pages.items()
                                     if key in template.placed.chapter_ids or key == CONTENTS_KEY}
    return template, tree


def _story(document: Document, styles: Styles, tree: TagTree, state: PassState) -> list[Flowable]:
    writer = BlockWriter(styles, tree, document.inputs, document.charts, FRAME_WIDTH)
    story: list[Flowable] = [*cover_flowables(document, styles, tree), NextPageTemplate(BODY), PageBreak()]
    story += _contents(document, styles, tree, state)
    open_levels: list[int] = []
    for number, section in enumerate(document.sections):
        while open_levels and open_levels[-1] >= section.level:
            story.append(tree.close())
            open_levels.pop()
        if section.level == 1:
            story.append(chapter_break())
        opening = tree.open("Sect", title=section.title)
        story.append(opening)
        open_levels.append(section.level)
        heading = SectionHeading(text_markup(section.title, styles), styles.heading(section.level), section, state)
        story.append(tree.element(heading, f"H{section.level}"))
        state.break_names.update({id(opening): f"s{number}", id(story[-1]): f"s{number}"})
        story += writer.flowables(section.blocks)
        state.break_names.update({key: f"b{number}.{index}" for key, index in writer.block_starts.items()})
    story += [tree.close() for _ in open_levels]
    return story


def _contents(document: Document, styles: Styles, tree: TagTree, state: PassState) -> list[Flowable]:
    """The contents: one linked line per chapter and agency; the page numbers are filled in after layout."""
    contents_section = Section(id=CONTENTS_KEY, title=CONTENTS_TITLE, level=1, blocks=[], kind="chapter")
    title = SectionHeading(CONTENTS_TITLE, styles.contents_title, contents_section, state)
    entries = [
        tree.element(ContentsEntry(text_markup(section.title, styles), styles.contents[section.level], section.id, state.numbers), "TOCI")
        for section in document.contents(OUTLINE_LEVELS)
    ]
    state.break_names.update({id(entry): f"c{number}" for number, entry in enumerate(entries)})
    return [tree.open("Sect", title=CONTENTS_TITLE), tree.element(title, "H1"), tree.open("TOC"), *entries, tree.close(), tree.close()]
