"""The tagged-PDF layer: a small document with every kind of content, checked with pikepdf and pdfua."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from assembler.writers.pdf.fonts import register_pdf_fonts
from assembler.checks.pdf_accessibility import check_pdf, marked_text, structure_text, walk_structure
from assembler.writers.pdf.tagging import TagTree

REPO = Path(__file__).resolve().parent.parent
LOGO = REPO / "inputs" / "brand" / "logo.png"
TITLE = "Tagging test: children’s safeguarding"
SPECIAL = "£1,234 – children’s café “quoted” ≥ 4.5 € ½"
LONG_WORDS = " ".join(f"w{i}" for i in range(1400))  # certainly more than one page


def _styles() -> dict[str, ParagraphStyle]:
    fonts = register_pdf_fonts()
    body = ParagraphStyle("body", fontName=fonts["regular"], fontSize=10, leading=13, spaceAfter=4)
    return {
        "body": body,
        "H1": ParagraphStyle("H1", parent=body, fontName=fonts["bold"], fontSize=18, leading=22, spaceAfter=8),
        "H2": ParagraphStyle("H2", parent=body, fontName=fonts["bold"], fontSize=14, leading=18),
        "toc": ParagraphStyle("toc", parent=body),
    }


class _Doc(SimpleDocTemplate):
    def afterFlowable(self, flowable):  # contents entries for H1s, as the report writer does
        if isinstance(flowable, Paragraph) and flowable.style.name == "H1":
            key = flowable.getPlainText()
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page, key))


def _chart(font: str) -> Drawing:
    drawing = Drawing(200, 80)
    drawing.add(Rect(10, 10, 40, 60, fillColor="#1d4f91"))
    drawing.add(Rect(60, 10, 40, 30, fillColor="#1d4f91"))
    drawing.add(String(10, 0, "2023", fontName=font, fontSize=8))
    return drawing


def build_sample(path: Path, *, tag_footer: bool = True, enabled: bool = True) -> Path:
    """Headings, a split paragraph, a list, a table over pages, a chart, an image, links, artifacts."""
    st = _styles()
    tree = TagTree(lang="en-GB", title=TITLE, enabled=enabled)
    toc = TableOfContents(levelStyles=[st["toc"]])

    def p(text: str, role: str = "P", style: str = "body") -> Paragraph:
        return tree.element(Paragraph(text, st[style]), role)

    rows = [["Agency", "Referrals"]] + [[f"Agency {i}", Paragraph(f"{i * 7}", st["body"])] for i in range(1, 71)]
    story = [
        tree.toc(toc),
        PageBreak(),
        tree.open("Sect", title="Introduction"),
        p("Introduction", "H1", "H1"),
        p("Start " + LONG_WORDS + " end of long paragraph."),
        p(SPECIAL),
        p('Read <a href="https://example.org/plan">the three-year plan</a> and '
          '<a href="#Agencies">the agency section</a>.'),
        p("Numbers", "H2", "H2"),
        tree.list([
            ("1.", Paragraph("First item", st["body"])),
            ("2.", [Paragraph("Second item", st["body"]), Paragraph("Second item, more", st["body"])]),
        ]),
        tree.table(rows, header_rows=1, colWidths=[200, 100], style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)]),
        tree.element(_chart(st["body"].fontName), "Figure", alt="Bar chart: referrals fell from 60 to 30"),
        tree.element(Image(str(LOGO), width=60, height=60), "Figure", alt="Partnership logo"),
        tree.close(),
        tree.open("Sect", title="Agencies"),
        p("Agencies", "H1", "H1"),
        p("Police", "H2", "H2"),
        Spacer(0, 6),
        p("The police return."),
        tree.close(),
    ]

    def on_page(canvas, doc):
        if tag_footer:
            with tree.artifact(canvas, "Pagination"):
                canvas.setFont(st["body"].fontName, 8)
                canvas.drawString(72, 30, f"Page {doc.page} running footer")
        else:  # a writer that forgets to tag its footer
            canvas.setFont(st["body"].fontName, 8)
            canvas.drawString(72, 30, f"Page {doc.page} running footer")

    _Doc(str(path), invariant=1, title=TITLE).multiBuild(story, onFirstPage=on_page, onLaterPages=on_page)
    tree.finish(path)
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("tagging") / "sample.pdf")


def _roles(path: Path) -> list[tuple[int, str]]:
    with pikepdf.open(path) as pdf:
        return [(e.depth, e.role.lstrip("/")) for e in walk_structure(pdf)]


def test_struct_tree_follows_the_story(sample):
    roles = _roles(sample)
    assert roles[0] == (0, "Document")
    assert [role for depth, role in roles if depth == 1] == ["TOC", "Sect", "Sect"]
    assert roles[roles.index((1, "Sect")) + 1] == (2, "H1")
    headings = [(role, text) for role, text in structure_text(sample) if role.startswith("H")]
    assert headings == [("H1", "Introduction"), ("H2", "Numbers"), ("H1", "Agencies"), ("H2", "Police")]
    leaf_roles = [role for role, _ in structure_text(sample)]
    order = [leaf_roles.index(r) for r in ("Link", "H1", "P", "Lbl", "TH", "TD", "Figure")]
    assert order == sorted(order), leaf_roles[:20]


def test_contents_entries_are_toci_with_links(sample):
    entries = [text for role, text in structure_text(sample) if role == "Link"][:2]
    assert "Introduction" in entries[0] and "Agencies" in entries[1]
    roles = _roles(sample)
    assert [r for _, r in roles].count("TOCI") == 2


def test_paragraph_split_over_pages_is_one_element(sample):
    paragraphs = [text for role, text in structure_text(sample) if role == "P" and "w700" in text]
    assert len(paragraphs) == 1
    assert paragraphs[0].startswith("Start w0 w1") and paragraphs[0].endswith("end of long paragraph.")
    with pikepdf.open(sample) as pdf:
        element = next(e.obj for e in walk_structure(pdf) if e.role == "/P")
        pages = {element.Pg.objgen} | {k.Pg.objgen for k in element.K if isinstance(k, pikepdf.Dictionary)}
        assert len(pages) >= 2


def test_table_has_header_cells_and_one_row_per_data_row(sample):
    with pikepdf.open(sample) as pdf:
        table = next(e for e in walk_structure(pdf) if e.role == "/Table")
        rows = [kid for kid in table.obj.K]
        assert len(rows) == 71  # the header repeated on the next page is not a row
        header = list(rows[0].K)
        assert [str(c.S) for c in header] == ["/TH", "/TH"]
        assert all(str(c.A.Scope) == "/Column" and str(c.A.O) == "/Table" for c in header)
        assert {str(c.S) for c in rows[5].K} == {"/TD"}
    cells = [text for role, text in structure_text(sample) if role in ("TH", "TD")]
    assert cells[:4] == ["Agency", "Referrals", "Agency 1", "7"]
    assert cells.count("Agency") == 1
    # ...yet the header is printed on a later page too, as an artifact.
    pages_with_header = [i for i, page in enumerate(pypdf.PdfReader(sample).pages) if "Referrals" in page.extract_text()]
    assert len(pages_with_header) >= 2


def test_list_has_labels_and_bodies(sample):
    with pikepdf.open(sample) as pdf:
        items = [e.obj for e in walk_structure(pdf) if e.role == "/LI"]
        assert len(items) == 2
        assert [str(k.S) for k in items[1].K] == ["/Lbl", "/LBody"]
    leaves = structure_text(sample)
    at = leaves.index(("Lbl", "2."))
    assert leaves[at + 1: at + 3] == [("P", "Second item"), ("P", "Second item, more")]


def test_figures_have_alt_and_links_their_annotations(sample):
    with pikepdf.open(sample) as pdf:
        figures = [e.obj for e in walk_structure(pdf) if e.role == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Bar chart: referrals fell from 60 to 30", "Partnership logo"]
        logo_box = [float(v) for v in figures[1].A.BBox]
        assert logo_box[2] - logo_box[0] == pytest.approx(60) and logo_box[3] - logo_box[1] == pytest.approx(60)
        assert 0 < logo_box[0] and logo_box[3] < float(pdf.pages[0].MediaBox[3])
        links = [e.obj for e in walk_structure(pdf) if e.role == "/Link"]
        objrs = [k for link in links for k in (link.K if isinstance(link.K, pikepdf.Array) else [link.K])
                 if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(objrs) == len(annots) > 0
        assert all("/StructParent" in a and str(a.Contents).strip() for a in annots)
        contents = {str(a.Contents) for a in annots}
        assert "the three-year plan (https://example.org/plan)" in contents
        assert "Go to the agency section" in contents


def test_document_settings(sample):
    with pikepdf.open(sample) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == TITLE
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "children’s safeguarding" in xmp
        assert all(page.obj.Tabs == pikepdf.Name.S for page in pdf.pages)
        assert all("/StructParents" in page.obj for page in pdf.pages)


def test_every_character_extracts_as_itself(sample):
    assert ("P", SPECIAL) in structure_text(sample)


def test_no_text_outside_marked_content_or_artifacts(sample):
    texts, unmarked = marked_text(sample)
    assert unmarked == {}
    assert not any("running footer" in t for t in texts.values())  # the footer is an artifact


def test_pdfua_and_own_checks_find_nothing(sample):
    from pdfua import validate

    report = validate(str(sample))
    assert [f.message for f in report.findings] == []
    assert [o.rule_id for o in report.skipped] == []
    assert check_pdf(sample) == []


def test_untagged_footer_is_reported(tmp_path):
    bad = build_sample(tmp_path / "bad.pdf", tag_footer=False)
    problems = check_pdf(bad)
    assert any("neither tagged nor marked as an artifact" in p and p.startswith("page 1") for p in problems)
    assert marked_text(bad)[1][1].startswith("Page 1 running footer")


def test_build_is_byte_identical(tmp_path):
    first = build_sample(tmp_path / "a.pdf").read_bytes()
    second = build_sample(tmp_path / "b.pdf").read_bytes()
    assert first == second


def test_figure_without_alt_is_refused():
    tree = TagTree(lang="en-GB", title="t")
    with pytest.raises(ValueError, match="alt text"):
        tree.element(_chart("Helvetica"), "Figure")
    with pytest.raises(ValueError, match="standard PDF structure role"):
        tree.element(Paragraph("x"), "Heading")


def test_unbalanced_groups_are_refused(tmp_path):
    tree = TagTree(lang="en-GB", title="t")
    path = tmp_path / "open.pdf"
    SimpleDocTemplate(str(path), invariant=1).build([tree.open("Sect"), tree.element(Paragraph("x"), "P")])
    with pytest.raises(ValueError, match="left open.*Sect"):
        tree.finish(path)


@pytest.mark.poppler
def test_tagging_does_not_change_how_pages_look(sample, tmp_path):
    untagged = build_sample(tmp_path / "untagged.pdf", enabled=False)
    with pikepdf.open(untagged) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
    renders = {}
    for name, pdf in (("tagged", sample), ("untagged", untagged)):
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / name)], check=True)
        renders[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]
    assert len(renders["tagged"]) == len(renders["untagged"]) >= 5
    assert renders["tagged"] == renders["untagged"]


def test_untagged_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASSEMBLER_UNTAGGED_PDF", "1")
    assert TagTree(lang="en-GB", title="t").enabled is False
    monkeypatch.delenv("ASSEMBLER_UNTAGGED_PDF")
    assert TagTree(lang="en-GB", title="t").enabled is True


def test_spanned_cells_carry_colspan_and_rows_stay_regular(tmp_path):
    st = _styles()
    tree = TagTree(lang="en-GB", title="Spans")
    rows = [["Sector", "2023", "2024"], ["Health", "1", "2"], ["Total across all sectors", "", "3"]]
    table = tree.table(rows, header_rows=1, style=[("SPAN", (0, 2), (1, 2)), ("FONT", (0, 0), (-1, -1), st["body"].fontName)])
    path = tmp_path / "spans.pdf"
    SimpleDocTemplate(str(path), invariant=1).build([table])
    tree.finish(path)
    with pikepdf.open(path) as pdf:
        rows_out = [list(tr.K) for tr in next(e.obj for e in walk_structure(pdf) if e.role == "/Table").K]
        widths = [sum(int(c.A.get("/ColSpan", 1)) if "/A" in c else 1 for c in row) for row in rows_out]
        assert widths == [3, 3, 3]
        assert int(rows_out[2][0].A.ColSpan) == 2 and str(rows_out[2][0].S) == "/TD"
    assert check_pdf(path) == []
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:  # lose the ColSpan: irregular
        del next(e.obj for e in walk_structure(pdf) if e.role == "/Table").K[2].K[0].A["/ColSpan"]
        pdf.save(path)
    assert check_pdf(path) == ["page 1: a table's rows have [2, 3] columns; screen readers need a regular grid "
                               "(ColSpan/RowSpan on spanned cells)"]


def test_row_spans_keep_the_grid_regular(tmp_path):
    st = _styles()
    tree = TagTree(lang="en-GB", title="Row spans")
    rows = [["Area", "Year", "Cases"], ["North", "2023", "4"], ["", "2024", "5"]]
    table = tree.table(rows, header_rows=1, style=[("SPAN", (0, 1), (0, 2)), ("FONT", (0, 0), (-1, -1), st["body"].fontName)])
    path = tmp_path / "rowspan.pdf"
    SimpleDocTemplate(str(path), invariant=1).build([table])
    tree.finish(path)
    with pikepdf.open(path) as pdf:
        rows_out = [list(tr.K) for tr in next(e.obj for e in walk_structure(pdf) if e.role == "/Table").K]
        assert [len(r) for r in rows_out] == [3, 3, 2] and int(rows_out[1][0].A.RowSpan) == 2
    assert check_pdf(path) == []


def test_list_and_figure_inside_a_table_cell_nest_under_the_cell(tmp_path):
    st = _styles()
    tree = TagTree(lang="en-GB", title="Nested")
    cell = [tree.list([("•", Paragraph("one", st["body"])), ("•", Paragraph("two", st["body"]))])]
    rows = [["Topic", "Points"], ["Neglect", cell]]
    path = tmp_path / "nested.pdf"
    SimpleDocTemplate(str(path), invariant=1).build(
        [tree.table(rows, header_rows=1, colWidths=[100, 200], style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)]),
         tree.element(Paragraph("After the table", st["body"]), "P")])
    tree.finish(path)
    roles = _roles(path)
    td = roles.index((3, "TD"), roles.index((3, "TD")) + 1)  # the second body cell
    assert roles[td + 1: td + 4] == [(4, "L"), (5, "LI"), (6, "Lbl")]
    assert roles[-1] == (1, "P")
    assert [t for r, t in structure_text(path) if r == "P"] == ["one", "two", "After the table"]
    assert check_pdf(path) == []


def test_row_split_inside_a_cell_stays_one_row(tmp_path):
    st = _styles()
    tree = TagTree(lang="en-GB", title="In-row split")
    tall = Paragraph(" ".join(f"line{i}" for i in range(700)), st["body"])
    rows = [["Agency", "Account"], ["Police", tall], ["Health", "Short"]]
    table = tree.table(rows, header_rows=1, colWidths=[100, 300], splitInRow=1,
                       style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)])
    path = tmp_path / "inrow.pdf"
    SimpleDocTemplate(str(path), invariant=1).build([table])
    tree.finish(path)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 2
        rows_out = list(next(e.obj for e in walk_structure(pdf) if e.role == "/Table").K)
        assert len(rows_out) == 3
    cells = [text for role, text in structure_text(path) if role in ("TH", "TD")]
    assert cells[:3] == ["Agency", "Account", "Police"] and cells[-2:] == ["Health", "Short"]
    assert check_pdf(path) == []


def test_raw_canvas_drawing_with_groups_content_and_frames(tmp_path):
    """The one-pager way: boxes drawn straight on a canvas, each box a Sect."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame

    st = _styles()
    tree = TagTree(lang="en-GB", title="Seven-minute briefing")
    path = tmp_path / "canvas.pdf"
    canvas = Canvas(str(path), invariant=1)
    with tree.content(canvas, "H1"):
        canvas.setFont(st["H1"].fontName, 18)
        canvas.drawString(40, 780, "Neglect toolkit")
    for number, (x, heading) in enumerate([(40, "Background"), (310, "Why it matters")], 1):
        with tree.artifact(canvas, "Layout"):
            canvas.setFillColor("#F1F3F6")
            canvas.rect(x, 500, 250, 250, stroke=0, fill=1)
        with tree.group(canvas, "Sect", title=heading):
            with tree.content(canvas, "H2"):
                canvas.setFillColor("#1B3A6B")
                canvas.setFont(st["H2"].fontName, 14)
                canvas.drawString(x + 10, 725, f"{number} {heading}")
            Frame(x, 500, 250, 215, showBoundary=0).addFromList(
                [tree.element(Paragraph(f"Box {number} text.", st["body"]), "P")], canvas)
    canvas.showPage()
    canvas.save()
    tree.finish(path)
    assert [r for _, r in _roles(path)] == ["Document", "H1", "Sect", "H2", "P", "Sect", "H2", "P"]
    assert [t for r, t in structure_text(path)] == ["Neglect toolkit", "1 Background", "Box 1 text.", "2 Why it matters", "Box 2 text."]
    with pikepdf.open(path) as pdf:
        assert [str(e.obj.T) for e in walk_structure(pdf) if e.role == "/Sect"] == ["Background", "Why it matters"]
    assert check_pdf(path) == []


def test_a_paragraph_wrapped_again_at_the_same_width_keeps_its_lines_and_a_split_one_is_wrapped_anew(monkeypatch):
    text = "Agencies shared what they learned from every review this year. " * 6
    paragraph = TagTree(lang="en-GB", title="t").element(Paragraph(text, ParagraphStyle("body", fontSize=10, leading=12)), "P")
    broken = []
    original = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines", lambda self, widths: broken.append(widths) or original(self, widths))
    narrow = paragraph.wrap(150, 1000)
    assert paragraph.wrap(150, 500) == narrow and len(broken) == 1  # the same width: the lines stand
    wide = paragraph.wrap(400, 1000)
    assert wide[1] < narrow[1] and len(broken) == 2
    assert paragraph.wrap(150, 1000) == narrow and len(broken) == 3  # another width came between
    assert paragraph.split(150, 1) == [] and not hasattr(paragraph, "blPara")  # no room: reportlab drops the lines
    assert paragraph.wrap(150, 1000) == narrow and len(broken) == 4 and hasattr(paragraph, "blPara")


class _Frame:
    def __init__(self, at_top: bool):
        self._atTop = at_top


@pytest.mark.parametrize("body_rows, at_top, splits", [
    (4, False, False),  # a short table with room for its header and one row moves whole to the next page
    (4, True, True),    # at the top of a page it must split
    (12, False, False),  # a long table too: its first row is never left alone at a page's foot
    (12, True, True),
])
def test_a_table_is_not_split_to_leave_its_first_row_alone(body_rows, at_top, splits):
    rows = [["Indicator", "Value"]] + [[f"Row {n}", str(n)] for n in range(body_rows)]
    table = TagTree(lang="en-GB", title="t").table(rows, header_rows=1, colWidths=[200, 100], rowHeights=20)
    table.wrap(300, 1000)
    table._frame = _Frame(at_top)
    parts = table.split(300, 45)  # the header and one row fit
    assert (len(parts) == 2) == splits


@pytest.mark.parametrize("body_rows", [7, 12])
def test_a_table_s_last_row_is_never_alone_overleaf_it_takes_the_one_before(body_rows):
    """The sample's committees table left 'Task and finish groups' alone at the top of page 6."""
    rows = [["Group", "Who takes part"]] + [[f"Row {n}", str(n)] for n in range(body_rows)]
    table = TagTree(lang="en-GB", title="t").table(rows, header_rows=1, colWidths=[200, 100], rowHeights=20)
    table.wrap(300, 1000)
    table._frame = _Frame(False)
    first, second = table.split(300, 20 * body_rows + 5)  # all but the last row fit
    assert [row[0] for row in second._cellvalues[1:]] == [f"Row {body_rows - 2}", f"Row {body_rows - 1}"]
    assert len(first._cellvalues) == body_rows - 1  # the header and the rest


def test_a_paragraph_ending_in_a_colon_stays_with_the_table_or_list_it_introduces():
    from assembler.document import introduces_next
    from assembler.schema import ListBlock, ListItem, Paragraph as Para, Run, Table as TableBlock

    lead = Para(runs=[Run(text="Training compliance at the end of the year: ")])
    table = TableBlock(header_rows=[["Training", "Compliance"]], rows=[["Level 3", "86.2%"]])
    items = ListBlock(items=[ListItem(runs=[Run(text="one")])])
    assert introduces_next(lead, table) and introduces_next(lead, items)
    assert not introduces_next(lead, lead) and not introduces_next(lead, None)
    assert not introduces_next(Para(runs=[Run(text="A full stop.")]), table)


def _pages_of(story_for, tmp_path: Path) -> list[str]:
    """Lay out a story as the report does (headings kept with what follows by KeepWithStart); page texts."""
    from assembler.writers.pdf.keep import KeepWithStart

    st = _styles()
    tree = TagTree(lang="en-GB", title="t")
    path = tmp_path / "pages.pdf"
    SimpleDocTemplate(str(path), invariant=1, keepTogetherClass=KeepWithStart).build(story_for(tree, st))
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_a_heading_kept_with_a_short_table_too_tall_to_share_a_page_is_not_left_alone(tmp_path):
    def story(tree, st):
        heading = tree.element(Paragraph("KEPT HEADING", st["H2"]), "H2")
        heading.keepWithNext = 1
        rows = [["Indicator", "Value"]] + [[Paragraph(f"Row {n} " + "word " * 250, st["body"]), "1"] for n in range(4)]
        return [tree.element(Paragraph("Opening text.", st["body"]), "P"), heading,
                tree.table(rows, header_rows=1, colWidths=[380, 60], style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)])]

    pages = _pages_of(story, tmp_path)
    # The table is taller than a page, so it splits anyway: heading and first rows start under the opening
    # text rather than leaving that page nearly blank (or the heading on a page of its own).
    assert "KEPT HEADING" in pages[0] and "Row 0" in pages[0]


def test_a_short_table_taller_than_a_page_is_not_moved_to_leave_a_blank_page(tmp_path):
    def story(tree, st):
        rows = [["Indicator", "Value"]] + [[Paragraph(f"Row {n} " + "word " * 600, st["body"]), "1"] for n in range(3)]
        return [tree.element(Paragraph("Opening text.", st["body"]), "P"),
                tree.table(rows, header_rows=1, colWidths=[380, 60], style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)])]

    pages = _pages_of(story, tmp_path)
    assert "Row 0" in pages[0]  # it starts under the opening text, as it must split anyway


def test_a_heading_at_the_top_of_a_page_with_a_short_table_that_fits_a_page_only_alone_starts_it(tmp_path):
    def story(tree, st):
        heading = tree.element(Paragraph("KEPT HEADING", st["H2"]), "H2")
        heading.keepWithNext = 1
        rows = [["Indicator", "Value"]] + [[f"Row {n}", "1"] for n in range(4)]
        table = tree.table(rows, header_rows=1, colWidths=[380, 60], rowHeights=[20, 165, 165, 165, 165],
                           style=[("FONT", (0, 0), (-1, -1), st["body"].fontName)])
        return [tree.element(Paragraph("Opening text.", st["body"]), "P"), PageBreak(), heading, table]

    pages = _pages_of(story, tmp_path)
    page = next(text for text in pages if "KEPT HEADING" in text)
    assert "Row 0" in page  # not the heading alone on a page, with the table whole on the next
