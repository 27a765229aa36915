"""Keep headings and captions with what follows, without pushing a long table to the next page.

reportlab's KeepTogether moves a heading and the whole of what follows to a new
page when they do not fit, which leaves a large gap before every long table.
Here, when what follows can split (a table, paragraph or list) and its first part
fits under the heading, the group stays where it is and splits there; a heading
still never ends a page on its own.
"""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import NotAtTopPageBreak

from assembler.writers.pdf.tagged_flowables import TaggedTable, fresh_frame_height
from assembler.writers.report_geometry import ITEMS_EACH_SIDE


def chapter_break() -> NotAtTopPageBreak:
    """The page break before a chapter, taken only when the page has something on it: a chapter whose last
    table or paragraph fills its page to the foot leaves nothing but zero-size tag markers for the next page,
    and a plain PageBreak there printed an empty page (as Word does not: its chapters break before their heading)."""
    return NotAtTopPageBreak()


class KeepWithStart(KeepTogether):
    def split(self, aW: float, aH: float):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        *heads, last = self._content
        frame = getattr(self, "_frame", None)
        if self._H > aH and heads and getattr(frame, "_atTop", False) and isinstance(last, TaggedTable):
            last.split_anyway = True  # moving on would not help: the heading stays with the table's first part
        if self._H > aH and heads and self._first_part_fits(heads, last, aW, aH):
            return list(self._content)
        return super().split(aW, aH)

    def _first_part_fits(self, heads: list, last, aW: float, aH: float) -> bool:
        if not isinstance(last, (Table, Paragraph)) and not _is_list(last):
            return False
        # The frame has already taken the first heading's space before out of aH (or dropped it at the top of a
        # page), and between two flowables it leaves the larger of the one's space after and the next's space
        # before: counting every space in full moved a heading and two lines that fitted to the next page.
        used, after = 0.0, None
        for flowable in heads:
            _, height = flowable.wrapOn(self.canv, aW, aH)
            if after is not None:
                used += max(after, flowable.getSpaceBefore())
            used += height
            after = flowable.getSpaceAfter()
        room = aH - used - max(after or 0.0, last.getSpaceBefore())
        return room >= _first_part_height(last, aW, aH, fresh_frame_height(getattr(self, "_frame", None)))


def _first_part_height(flowable, aW: float, aH: float, fresh_height: float) -> float:
    """The least of it worth starting on this page: header rows and one row (all of a short table, which will
    not split), or two lines."""
    if isinstance(flowable, Table):
        heights = getattr(flowable, "_rowHeights", None)
        if not heights:
            return float("inf")
        if isinstance(flowable, TaggedTable) and not flowable.split_anyway and flowable.is_short(fresh_height):
            return sum(heights)
        return sum(heights[: flowable.repeatRows + 1])
    if _is_list(flowable):  # its first two items, which keep together (tagged_flowables._keep_items_in_twos)
        return _first_items_height(flowable, aW, aH)
    return flowable.style.leading * 2


def _first_items_height(flowable, aW: float, aH: float) -> float:
    """The height of a list's parts up to its second item's first part (the parts between are zero-size tag
    markers, or the first item's further paragraphs); all of it, for a list of one item."""
    height, items = 0.0, 0
    for part in flowable.parts:
        if getattr(part, "label", None) is not None:
            items += 1
        height += part.wrap(aW, aH)[1]
        if items == ITEMS_EACH_SIDE:
            break
    return height


def _is_list(flowable) -> bool:
    """The tag tree's list, which splits between its items."""
    return isinstance(getattr(flowable, "parts", None), list) and bool(flowable.parts)
