"""The reportlab internals the tagged PDF relies on, each checked on its own, so that an upgrade that
moves one fails here, naming it and the code that uses it, instead of as a mislaid tag deep in a report.

pyproject.toml pins reportlab to the minor version these were written against; before widening the
pin, run this file against the new version and mend what it names.
"""

from __future__ import annotations

import io

import pytest
import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen.canvas import Canvas
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Table
from reportlab.platypus.tableofcontents import TableOfContents

BODY = getSampleStyleSheet()["BodyText"]


def relies_on(holds: bool, attribute: str, user: str) -> None:
    if not holds:
        pytest.fail(f"reportlab {reportlab.Version} moved or changed {attribute}, which {user} relies on: "
                    "mend that code (or pin reportlab back in pyproject.toml)", pytrace=False)


def test_canvas_code_is_the_page_content_stream():
    canvas = Canvas(io.BytesIO(), pagesize=A4, pageCompression=0)
    code = getattr(canvas, "_code", None)
    relies_on(isinstance(code, list), "Canvas._code (a list of operators)", "writers/pdf/tagging.py (marked content BDC/EMC)")
    code.append("/P <</MCID 0>> BDC")
    canvas.drawString(10, 10, "tagged")
    code.append("EMC")
    canvas.showPage()
    out = io.BytesIO()
    canvas._filename = out
    canvas.save()
    relies_on(b"/P <</MCID 0>> BDC" in out.getvalue(), "Canvas._code written out as the page's content",
              "writers/pdf/tagging.py")


def test_a_flowable_class_can_be_swapped_for_a_tagged_subclass():
    for flowable in (Paragraph("text", BODY), Table([["a"]]), Drawing(10, 10, Rect(0, 0, 5, 5)), TableOfContents()):
        tagged = type(f"Tagged{type(flowable).__name__}", (type(flowable),), {})
        try:
            object.__setattr__(flowable, "__class__", tagged)
        except TypeError:
            relies_on(False, f"assigning {type(flowable).__name__}.__class__",
                      "writers/pdf/tagged_flowables.py (tag_flowable, tagged_table, tagged_toc)")
        relies_on(isinstance(flowable, tagged), f"{type(flowable).__name__}.__class__ swap", "writers/pdf/tagged_flowables.py")


def test_table_internals_used_to_tag_rows_cells_and_spans():
    table = Table([["head", "x"], ["a", "b"], ["c", "d"]], style=[("SPAN", (0, 1), (1, 1))])
    table.wrap(300, 300)
    relies_on(getattr(table, "_nrows", None) == 3, "Table._nrows", "writers/pdf/tagged_flowables.py (TaggedTable.split)")
    relies_on(bool(getattr(table, "_spanCmds", None)), "Table._spanCmds", "writers/pdf/tagged_flowables.py (_spans)")
    spans = getattr(table, "_spanRanges", None)
    relies_on(isinstance(spans, dict) and spans.get((0, 1)) == (0, 1, 1, 1), "Table._spanRanges[(col, row)] = (c0, r0, c1, r1)",
              "writers/pdf/tagged_flowables.py (_spans)")
    relies_on(len(getattr(table, "_rowHeights", None) or []) == 3, "Table._rowHeights after wrap",
              "writers/pdf/keep.py and tagged_flowables.py (is_short)")
    events = []
    table._renderCB = lambda t, event, *args: events.append(event)
    canvas = Canvas(io.BytesIO())
    table.drawOn(canvas, 0, 0)
    relies_on({"startCell", "endCell", "startBG", "endBG", "startLines", "endLines"} <= set(events),
              "Table._renderCB and its events (startCell, endCell, startBG, endBG, startLines, endLines)",
              "writers/pdf/tagged_flowables.py (_table_render_cb)")


class _Probe(Flowable):
    def __init__(self):
        super().__init__()
        self.seen = {}

    def wrap(self, availWidth, availHeight):
        return 10, 10

    def draw(self):
        frame = getattr(self, "_frame", None)
        self.seen = {"frame": frame, "at_top": getattr(frame, "_atTop", None)}


def test_frame_internals_used_to_know_the_top_of_a_page():
    frame = Frame(0, 0, 200, 300, topPadding=7, bottomPadding=5)
    first, second = _Probe(), _Probe()
    canvas = Canvas(io.BytesIO())
    frame.add(first, canvas)
    frame.add(second, canvas)
    relies_on(first.seen.get("frame") is frame, "Flowable._frame (set while a frame draws it)",
              "writers/pdf/report.py (SectionHeading), keep.py, tagged_flowables.py")
    relies_on(first.seen.get("at_top") in (1, True) and second.seen.get("at_top") in (0, False), "Frame._atTop",
              "writers/pdf/report.py (running header), keep.py, tagged_flowables.py")
    relies_on(getattr(frame, "_height", None) == 300 and frame._topPadding == 7 and frame._bottomPadding == 5,
              "Frame._height, _topPadding, _bottomPadding", "writers/pdf/tagged_flowables.py (fresh_frame_height)")


def test_keep_together_height_after_wrap():
    keep = KeepTogether([Paragraph("one", BODY), Paragraph("two", BODY)])
    keep.wrapOn(Canvas(io.BytesIO()), 300, 300)
    relies_on(isinstance(getattr(keep, "_H", None), (int, float)), "KeepTogether._H after wrap", "writers/pdf/keep.py (KeepWithStart)")


def test_doc_template_end_build_and_do_save():
    filled = []

    class Template(BaseDocTemplate):
        def _endBuild(self):
            self._doSave = 0
            super()._endBuild()
            filled.append(self.canv)
            self.canv.save()

    out = io.BytesIO()
    template = Template(out, pagesize=A4)
    template.addPageTemplates([PageTemplate(frames=[Frame(0, 0, 300, 300)])])
    relies_on(hasattr(BaseDocTemplate, "_endBuild"), "BaseDocTemplate._endBuild",
              "writers/pdf/report.py (ReportDocTemplate: page numbers filled in before saving)")
    template.build([Paragraph("x", BODY)])
    # Saved once, by the override: had _doSave=0 not stopped reportlab's own save, the canvas would be saved twice.
    relies_on(len(filled) == 1 and out.getvalue().count(b"%%EOF") == 1, "BaseDocTemplate._endBuild honouring _doSave",
              "writers/pdf/report.py (ReportDocTemplate)")


def test_paragraph_lines_after_wrap():
    paragraph = Paragraph("a few words " * 30, BODY)
    paragraph.wrap(100, 1000)
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    relies_on(bool(lines) and len(lines) > 1, "Paragraph.blPara.lines after wrap",
              "writers/pdf/bidi.py, contents.py and one_page.py (line_count)")


def test_ttfont_subset_state_used_by_the_fast_font():
    from assembler.brand import FONT_DIR, PDF_FONT_FILES
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("ProbeFont", str(FONT_DIR / PDF_FONT_FILES["regular"]))
    canvas = Canvas(io.BytesIO())
    font.splitString("abc", canvas._doc)
    state = getattr(font, "state", {}).get(canvas._doc)
    assignments = getattr(state, "assignments", None)
    relies_on(isinstance(assignments, dict) and set(map(chr, assignments)) >= set("abc"),
              "TTFont.state[doc].assignments (code point -> code in the subset)", "writers/pdf/fast_font.py (SubsetFont)")


def test_the_pinned_range_is_what_is_installed():
    """pyproject.toml's pin and the installed reportlab agree: the tests above ran on a version the pin allows."""
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [Requirement(r) for r in project["project"]["dependencies"] if Requirement(r).name == "reportlab"]
    assert pins and pins[0].specifier.contains(reportlab.Version), f"reportlab {reportlab.Version} is outside {pins}"
    assert any(spec.operator == "<" for spec in pins[0].specifier), "reportlab needs an upper bound: the tagging uses its internals"
