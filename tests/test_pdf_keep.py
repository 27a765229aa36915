"""Keep rules of the report's PDF (writers/pdf/keep.py) found wrong while making the Word report paginate as the
PDF: each laid out on a real reportlab page with the report's styles, frame and keep class, and checked by the
page every flowable lands on."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer

from assembler.writers.pdf.keep import KeepWithStart, chapter_break
from assembler.writers.pdf.styles import make_styles
from assembler.writers.pdf.tagged_flowables import tagged_list
from assembler.writers.pdf.tagging import TagTree

FRAME_HEIGHT = 400.0


class _Doc(BaseDocTemplate):
    """One frame a page, no padding; records the page each flowable is drawn on."""

    def __init__(self, path: Path):
        super().__init__(str(path), pagesize=(400, FRAME_HEIGHT), leftMargin=0, rightMargin=0, topMargin=0,
                         bottomMargin=0, keepTogetherClass=KeepWithStart, invariant=1)
        frame = Frame(0, 0, 400, FRAME_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("body", [frame])])
        self.pages_of: dict[int, int] = {}

    def afterFlowable(self, flowable):
        self.pages_of.setdefault(id(flowable), self.page)


@pytest.fixture(scope="module")
def styles(sample_config):
    return make_styles(sample_config.brand, sample_config.brand.fonts.body_size)


def _lines(styles, count: int) -> Paragraph:
    """A body paragraph of exactly `count` lines (one short word a line)."""
    return Paragraph("<br/>".join(f"line{n}" for n in range(count)), styles.body)


def _lay_out(tmp_path: Path, story: list) -> _Doc:
    doc = _Doc(tmp_path / "keep.pdf")
    doc.build(story)
    return doc


def test_a_chapter_after_a_page_filled_to_its_foot_starts_on_the_next_page_not_after_an_empty_one(tmp_path, styles):
    """The last table of a chapter fills its page, its space after running past the foot; the section's closing
    tag marker (zero size) is all that is left for the next page. A plain page break there printed an empty
    page (the sample's PDF did, after its glossary); the chapter break does not."""
    for make_break, pages in ((chapter_break, 2), (PageBreak, 3)):
        tree = TagTree(lang="en-GB", title="t")
        heading = Paragraph("Next chapter", styles.heading(1))
        table = Spacer(400, FRAME_HEIGHT - 2)
        table.spaceAfter = 8.8  # as the report's tables (blocks._spaced)
        story = [tree.open("Sect", title="Glossary"), table, tree.close(), make_break(), heading]
        doc = _lay_out(tmp_path, story)
        assert doc.page == pages, make_break.__name__
    assert doc.pages_of[id(heading)] == 3  # the plain PageBreak's empty page: what the test guards against


def test_a_heading_and_two_lines_that_fit_stay_at_the_foot_of_the_page(tmp_path, styles):
    """Room for the heading, the larger of its space after and the paragraph's space before, and two lines: the
    heading stays (its space before was counted twice, and every gap as a sum, so it moved)."""
    heading_style = styles.heading(3)
    body = styles.body
    room = (heading_style.spaceBefore + heading_style.leading + max(heading_style.spaceAfter, body.spaceBefore)
            + 2 * body.leading + 0.5)
    heading = Paragraph("Planned safeguarding priorities", heading_style)
    paragraph = _lines(styles, 6)
    doc = _lay_out(tmp_path, [Spacer(400, FRAME_HEIGHT - room), heading, paragraph])
    assert doc.pages_of[id(heading)] == 1
    # One point less and the two lines do not fit: heading and paragraph go on together.
    heading = Paragraph("Planned safeguarding priorities", heading_style)
    doc = _lay_out(tmp_path, [Spacer(400, FRAME_HEIGHT - room + 1.5), heading, _lines(styles, 6)])
    assert doc.pages_of[id(heading)] == 2


def test_an_introduction_never_ends_a_page_without_its_list(tmp_path, styles):
    """'What we are proud of:' keeps with its list; the list's first part is its first item, not the zero-size
    tag marker that opens it, so an introduction with room for itself alone moves on with the list."""
    tree = TagTree(lang="en-GB", title="t")
    intro = Paragraph("What we are proud of:", styles.body)
    intro.keepWithNext = 1
    items = [("•", [Paragraph(f"Item {n} of the list.", styles.list_item)]) for n in range(4)]
    listed = tagged_list(tree, items, indent=15, label_style=styles.list_item)
    room = styles.body.leading + styles.body.spaceAfter + 3  # the introduction and its gap fit, the first item not
    doc = _lay_out(tmp_path, [Spacer(400, FRAME_HEIGHT - room), intro, listed])
    assert doc.pages_of[id(intro)] == 2


def _list(styles, count: int):
    tree = TagTree(lang="en-GB", title="t")
    items = [("•", [Paragraph(f"Item {n} of the list.", styles.list_item)]) for n in range(count)]
    return tagged_list(tree, items, indent=15, label_style=styles.list_item)


def _item_pages(doc: _Doc, listed) -> list[int]:
    """The page each item's first part was drawn on, in order."""
    return [doc.pages_of[id(part)] for part in listed.parts if getattr(part, "label", None) is not None]


def test_a_list_never_leaves_its_last_item_alone_overleaf_nor_its_first_at_a_page_s_foot(tmp_path, styles):
    """The sample's highlights printed their fifth item alone at the top of a page, and an introduction with
    one item under it at a page's foot: two items a side, as a table keeps two rows."""
    item = styles.list_item.leading + styles.list_item.spaceBefore + styles.list_item.spaceAfter
    listed = _list(styles, 5)
    doc = _lay_out(tmp_path, [Spacer(400, FRAME_HEIGHT - 4.5 * item), listed])  # room for four items, not five
    assert _item_pages(doc, listed) == [1, 1, 1, 2, 2]
    listed = _list(styles, 5)
    doc = _lay_out(tmp_path, [Spacer(400, FRAME_HEIGHT - 1.5 * item), listed])  # room for one item
    assert _item_pages(doc, listed) == [2, 2, 2, 2, 2]
