"""The print rules a typographer holds the report's pages to (issue 21), applied between layouts.

- No page is less than a tenth full: a runt page (the last lines of a chapter, one line of the contents)
  is rebalanced with the page before, which gives it enough of its end to fill more than that.
- A page less than a quarter full comes only before a chapter opening (a chapter starts a new page); a
  short page elsewhere is rebalanced the same way.

The first layout records where each of the story's flowables starts (`PagePlaces`); `rebalancing_breaks`
names the flowables a page break goes before in the next layout. Moving whole flowables keeps every
keep-with-next and keep-together rule of the first layout. checks/page_fill.py measures the written PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFString
from reportlab.platypus import Flowable

from assembler.writers.report_geometry import PRINT_BREAK_PREFIX

RUNT = 0.10          # less full than this, a page is a runt
SHORT = 0.25         # less full than this, a page may only end a chapter
# What a rebalanced page is given: comfortably above the rule, so the next layout does not fall under it again.
TARGET_BEFORE_CHAPTER = 0.16
TARGET_ELSEWHERE = 0.30
PRINT_RULE_PASSES = 3  # layouts at most: the first, then rebalanced ones (each fixes the runts it finds)


@dataclass
class PagePlaces:
    """Where the story's flowables start and how far down each page is filled, as the layout goes."""

    ids: dict[int, int] = field(default_factory=dict)                 # id(flowable) -> its index in the story
    starts: dict[int, tuple[int, float]] = field(default_factory=dict)  # story index -> (page, height of its top)
    lowest: dict[int, float] = field(default_factory=dict)             # page -> lowest height reached
    chapter_ids: set[str] = field(default_factory=set)
    chapter_pages: set[int] = field(default_factory=set)               # pages that open a chapter (or the contents)

    kept: set[int] = field(default_factory=set)                        # story items a page break must not precede

    def index(self, story: list) -> None:
        """Number the story; a break never goes between a flowable that keeps with the next (a heading, a
        line ending in a colon) and that next one, whatever zero-size tag markers lie between them."""
        self.ids = {id(item): index for index, item in enumerate(story)}
        previous = None
        for index, item in enumerate(story):
            if previous is not None and _keeps_with_next(previous):
                self.kept.add(index)
            if not _is_marker(item):
                previous = item

    def started(self, flowable_id: int, page: int, top: float) -> None:
        index = self.ids.get(flowable_id)
        if index is not None and index not in self.starts:
            self.starts[index] = (page, top)

    def reached(self, page: int, height: float) -> None:
        self.lowest[page] = min(self.lowest.get(page, height), height)

    def fills(self, frame_top: float, frame_bottom: float) -> dict[int, float]:
        height = frame_top - frame_bottom
        return {page: max(0.0, min(1.0, (frame_top - low) / height)) for page, low in self.lowest.items()}


def rebalancing_breaks(placed: PagePlaces, frame_top: float, frame_bottom: float) -> set[int]:
    """The story items to start a new page at, so that no page is a runt and none is short except before a
    chapter: for each such page, the item on the page before whose move gives it enough, and leaves the
    page before at least a quarter full."""
    height = frame_top - frame_bottom
    fills = placed.fills(frame_top, frame_bottom)
    last_page = max(fills, default=0)
    breaks: set[int] = set()
    for page, fill in sorted(fills.items()):
        if page <= 1 or page - 1 not in fills:
            continue
        before_chapter = page + 1 in placed.chapter_pages or page == last_page
        if fill >= SHORT or (fill >= RUNT and before_chapter) or page in placed.chapter_pages:
            continue  # a page that opens a chapter holds its heading and what follows: never a runt to mend
        needed = ((TARGET_BEFORE_CHAPTER if before_chapter else TARGET_ELSEWHERE) - fill) * height
        bottom = placed.lowest[page - 1]
        candidates = [(top - bottom, index) for index, (on, top) in placed.starts.items()
                      if on == page - 1 and top < frame_top - 1            # not the page's first item
                      and index not in placed.kept                        # nor what a heading keeps with it
                      and top - bottom >= needed                          # gives the runt enough
                      and (frame_top - top) / height >= SHORT]            # and leaves the page before full enough
        if candidates:
            breaks.add(min(candidates)[1])  # the least that is enough
    return breaks


def _keeps_with_next(flowable) -> bool:
    if type(flowable).__name__ == "SectionHeading":  # a chapter's or agency's heading opens what follows it
        return True
    keeps = getattr(flowable, "getKeepWithNext", None)
    return bool(keeps() if callable(keeps) else getattr(flowable, "keepWithNext", False))


def _is_marker(flowable) -> bool:
    """A zero-size flowable that only opens or closes a tag group, or carries the layout's state."""
    return type(flowable).__name__ in ("GroupMarker", "GroupEnd", "PassState") or (
        getattr(flowable, "width", None) == 0 and getattr(flowable, "height", None) == 0)


class _BreakAnchor(Flowable):
    """Zero-size: a named destination at the top of the page a print-rule break starts, named after the item
    it precedes ('s3': section 3's heading, 'b3.5': its sixth block, 'c7': the contents' eighth entry), so the
    Word report, which paginates as the PDF, can start a page at the same place."""

    _ZEROSIZE = True

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        name = PRINT_BREAK_PREFIX + self.name
        canvas.bookmarkHorizontal(name, x, y)
        # reportlab writes a destination only where a link or outline entry refers to it: these go in the
        # catalog's name tree of destinations (kept sorted, as a name tree must be), where a reader finds them.
        document = canvas._doc
        anchors = document.__dict__.setdefault("_print_break_anchors", {})
        anchors[name] = canvas._bookmarkReference(name)
        entries = []
        for key in sorted(anchors):
            entries += [PDFString(key), anchors[key]]
        document.Catalog.Names = PDFDictionary({"Dests": PDFDictionary({"Names": PDFArray(entries)})})

    def draw(self) -> None:
        pass


def break_anchor(name: str | None) -> Flowable | None:
    return _BreakAnchor(name) if name else None
