"""The DOCX and PDF accessibility checkers and `assembler check-outputs`, on small good and bad documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from assembler.writers.pdf.fonts import register_pdf_fonts
from assembler.checks.docx_accessibility import check_docx
from assembler.checks.pdf_accessibility import check_pdf
from assembler.cli import main
from assembler.writers.pdf.tagging import TagTree

REPO = Path(__file__).resolve().parent.parent
LOGO = REPO / "inputs" / "brand" / "logo.png"


# ------------------------------------------------------------------------- DOCX

def _set_language(document, lang: str | None) -> None:
    rpr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    if lang:
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), lang)
        rpr.append(element)


def _hyperlink(paragraph, url: str, text: str) -> None:
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _table(document, rows: list[list[str]], *, header: bool, merge: bool = False):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if header:
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))
    if merge:
        table.cell(1, 0).merge(table.cell(1, 1))
    return table


def good_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Annual report 2024-25"
    _set_language(document, "en-GB")
    # python-docx's template colours Heading 2 #4F81BD: 4.0:1 on white, too pale for 13 pt.
    document.styles["Heading 2"].font.color.rgb = RGBColor(0x1D, 0x4F, 0x91)
    document.add_heading("Introduction", level=1)
    document.add_paragraph("The partnership's year in brief.")
    document.add_heading("Our priorities", level=2)
    document.add_picture(str(LOGO))
    document.inline_shapes[0]._inline.docPr.set("descr", "Partnership logo")
    _table(document, [["Agency", "Referrals"], ["Police", "120"]], header=True)
    paragraph = document.add_paragraph("Read ")
    _hyperlink(paragraph, "https://example.org/plan", "the three-year plan")
    document.add_heading("Agencies", level=1)
    document.save(path)
    return path


def bad_docx(path: Path) -> Path:
    document = docx.Document()
    _set_language(document, None)
    document.add_heading("Introduction", level=1)
    document.add_heading("Deep detail", level=3)
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_picture(str(LOGO))
    _table(document, [["Agency", "Referrals"], ["Police", "120"]], header=False, merge=True)
    paragraph = document.add_paragraph("For the plan ")
    _hyperlink(paragraph, "https://example.org/plan", "click here")
    paragraph = document.add_paragraph("Or see ")
    _hyperlink(paragraph, "https://example.org/docs/plan-2024.pdf", "https://example.org/docs/plan-2024.pdf")
    faint = document.add_paragraph().add_run("Pale grey body text")
    faint.font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
    faint.font.size = Pt(11)
    document.save(path)
    return path


def test_good_docx_has_no_findings(tmp_path):
    assert check_docx(good_docx(tmp_path / "good.docx")) == []


def test_bad_docx_findings_name_each_problem(tmp_path):
    found = check_docx(bad_docx(tmp_path / "bad.docx"))
    expected = [
        "document: no title",
        "document: no language",
        "'Deep detail'): Heading 3 follows Heading 1",
        "body: picture",
        "table 1 ('Agency | Referrals'): the first row is not marked as a header row",
        "table 1 ('Agency | Referrals'): has merged cells (gridSpan)",
        "2 empty paragraphs used for spacing",
        "link 'click here' to https://example.org/plan: the text does not say where it goes",
        "'Deep detail'): text #4F81BD on #FFFFFF has contrast 4.03:1",  # python-docx's Heading 3 colour
        "'Pale grey body text'): text #AAAAAA on #FFFFFF has contrast 2.32:1, below 4.5:1",
    ]
    for fragment in expected:
        assert any(fragment in line for line in found), (fragment, found)
    assert len(found) == len(expected), found
    assert not any("plan-2024.pdf" in line for line in found)  # a web address as link text says where it goes


def test_contrast_uses_the_cell_shading_and_allows_large_text(tmp_path):
    document = docx.Document()
    document.core_properties.title = "t"
    table = _table(document, [["Header", "H2"], ["White on navy", "x"]], header=True)
    cell = table.cell(1, 0)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "1D4F91")
    cell._tc.get_or_add_tcPr().append(shading)
    cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    big = document.add_paragraph().add_run("Large grey heading-size text")
    big.font.color.rgb = RGBColor(0x88, 0x88, 0x88)  # 3.5:1: fine at 18 pt, not at 11 pt
    big.font.size = Pt(18)
    document.save(tmp_path / "c.docx")
    assert [f for f in check_docx(tmp_path / "c.docx") if "contrast" in f] == []


def test_empty_paragraph_word_needs_after_a_table_is_not_spacing(tmp_path):
    document = docx.Document()
    document.core_properties.title = "t"
    document.add_paragraph("Text")
    _table(document, [["A", "B"], ["1", "2"]], header=True)
    document.add_paragraph("")  # Word's paragraph between two tables
    _table(document, [["C", "D"], ["3", "4"]], header=True)
    document.add_paragraph("")  # and after a table that ends the document
    document.save(tmp_path / "tables.docx")
    assert check_docx(tmp_path / "tables.docx") == []
    document.add_paragraph("")
    document.save(tmp_path / "tables.docx")
    assert check_docx(tmp_path / "tables.docx") == [
        "paragraph 11: 2 empty paragraphs used for spacing; use space before/after instead"]


def test_declared_layout_table_needs_no_header_row_but_no_merges(tmp_path):
    document = docx.Document()
    document.core_properties.title = "t"
    layout = _table(document, [["Box one", "Box two"], ["Box three", "Box four"]], header=False)
    tbl_pr = layout._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    look = OxmlElement("w:tblLook")
    look.set(qn("w:firstRow"), "0")
    description = OxmlElement("w:tblDescription")
    description.set(qn("w:val"), "The four parts of the briefing, two to a row")
    tbl_pr.append(look)
    tbl_pr.append(description)
    badge = layout.cell(0, 0).paragraphs[0].runs[0]
    badge.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)  # white on its own dark shading: fine
    shading = OxmlElement("w:shd")
    shading.set(qn("w:fill"), "00797A")
    badge._r.get_or_add_rPr().append(shading)
    document.save(tmp_path / "layout.docx")
    assert check_docx(tmp_path / "layout.docx") == []
    layout.cell(1, 0).merge(layout.cell(1, 1))
    document.save(tmp_path / "layout.docx")
    assert check_docx(tmp_path / "layout.docx") == [
        "table 1 ('Box one | Box two'): has merged cells (gridSpan); screen readers lose the column headers"]


def test_decorative_pictures_need_no_alt_but_header_pictures_do(tmp_path):
    good_docx(tmp_path / "d.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    document.add_picture(str(LOGO))
    doc_pr = document.inline_shapes[-1]._inline.docPr
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", "{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    decorative = ext.makeelement("{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", {"val": "1"})
    ext.append(decorative)
    ext_list.append(ext)
    doc_pr.append(ext_list)
    document.sections[0].header.paragraphs[0].add_run().add_picture(str(LOGO))
    document.save(tmp_path / "d.docx")
    assert check_docx(tmp_path / "d.docx") == ["header of section 1: picture 'Picture 1' has no alt text (descr)"]


def test_unreadable_docx_is_one_finding(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    [finding] = check_docx(broken)
    assert finding.startswith("broken.docx: not a readable Word document")


# -------------------------------------------------------------------------- PDF

def _tagged_pdf(path: Path, headings: list[tuple[str, str]]) -> Path:
    fonts = register_pdf_fonts()
    style = ParagraphStyle("s", fontName=fonts["regular"], fontSize=11, leading=14)
    tree = TagTree(lang="en-GB", title="A small tagged document")
    story = [tree.element(Paragraph(text, style), role) for role, text in headings]
    SimpleDocTemplate(str(path), invariant=1).build(story)
    tree.finish(path)
    return path


def test_clean_tagged_pdf_has_no_findings(tmp_path):
    assert check_pdf(_tagged_pdf(tmp_path / "ok.pdf", [("H1", "Title"), ("P", "Body"), ("H2", "Part")])) == []


def test_unreadable_pdf_is_one_finding(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    [finding] = check_pdf(broken)
    assert finding.startswith("broken.pdf: not a readable PDF")


def test_untagged_pdf_findings(tmp_path):
    path = tmp_path / "plain.pdf"
    SimpleDocTemplate(str(path), invariant=1).build([Paragraph("Plain text in Helvetica")])
    found = "\n".join(check_pdf(path))
    for fragment in ("no /StructTreeRoot", "no /Lang", "/MarkInfo /Marked is not true", "DisplayDocTitle",
                     "pdfuaid:part 1", "/Tabs is not /S", "font Helvetica is not embedded"):
        assert fragment in found, (fragment, found)


def test_untagged_rule_is_found(tmp_path):
    from reportlab.platypus.flowables import HRFlowable

    fonts = register_pdf_fonts()
    tree = TagTree(lang="en-GB", title="Rules")
    path = tmp_path / "rule.pdf"
    story = [tree.element(Paragraph("Text", ParagraphStyle("s", fontName=fonts["regular"])), "P"), HRFlowable()]
    SimpleDocTemplate(str(path), invariant=1).build(story)
    tree.finish(path)
    assert check_pdf(path) == ["page 1: 1 shape/image painting operator(s) outside marked content; "
                               "rules, backgrounds and decoration must be artifacts"]
    tree = TagTree(lang="en-GB", title="Rules")
    story = [tree.element(Paragraph("Text", ParagraphStyle("s", fontName=fonts["regular"])), "P"),
             tree.element(HRFlowable(), "Artifact")]
    SimpleDocTemplate(str(path), invariant=1).build(story)
    tree.finish(path)
    assert check_pdf(path) == []


def test_skipped_heading_level_and_missing_alt_are_found(tmp_path):
    path = _tagged_pdf(tmp_path / "skip.pdf", [("H1", "Title"), ("H3", "Too deep"), ("P", "Body")])
    assert "page 1: heading H3 follows H1 (a level is skipped)" in check_pdf(path)
    # A Figure whose /Alt was lost on the way (the API itself refuses a Figure without alt).
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        paragraph = next(k for k in pdf.Root.StructTreeRoot.K.K if str(k.S) == "/P")
        paragraph.S = pikepdf.Name.Figure
        pdf.save(path)
    assert any("Figure has no alternative text" in f for f in check_pdf(path))


BROKEN_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Broken def
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <00> <FF> <E000> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def test_text_that_does_not_extract_is_found(tmp_path):
    path = _tagged_pdf(tmp_path / "cmap.pdf", [("H1", "Title"), ("P", "Body")])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            font.ToUnicode = pdf.make_stream(BROKEN_CMAP)  # every code to a private-use character
        pdf.save(path)
    [finding] = check_pdf(path)
    assert finding.startswith("page 1: text extracts as U+E") and "ToUnicode" in finding


def test_broken_parent_tree_is_found(tmp_path):
    fonts = register_pdf_fonts()
    style = ParagraphStyle("s", fontName=fonts["regular"], fontSize=11, leading=14)
    tree = TagTree(lang="en-GB", title="Links")
    path = tmp_path / "links.pdf"
    SimpleDocTemplate(str(path), invariant=1).build(
        [tree.element(Paragraph('See <a href="https://example.org/">the example site</a>.', style), "P")])
    tree.finish(path)
    assert check_pdf(path) == []
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Annots[0].StructParent = 0  # the page's own entry: an array, not a Link
        pdf.Root.StructTreeRoot.ParentTree.Nums[1] = pikepdf.Array([])  # page 1's MCIDs now belong to nothing
        pdf.save(path)
    assert check_pdf(path) == [
        "page 1: marked content [0] belongs to no struct element",
        "page 1: a link annotation's /StructParent 0 is not a Link element",
    ]


# --------------------------------------------------------------- check-outputs

def test_check_outputs_command(tmp_path, capsys):
    outputs = tmp_path / "outputs"
    (outputs / "briefings").mkdir(parents=True)
    _tagged_pdf(outputs / "summary.pdf", [("H1", "Summary"), ("P", "Body")])
    good_docx(outputs / "briefings" / "one.docx")
    (outputs / "notes.txt").write_text("not checked")
    (outputs / ".work").mkdir()
    (outputs / ".work" / "half-written.pdf").write_bytes(b"not checked")
    (outputs / "briefings" / "~$one.docx").write_bytes(b"Word's lock file")
    assert main(["check-outputs", "--out", str(outputs)]) == 0
    printed = capsys.readouterr().out
    assert "summary.pdf" in printed and "briefings/one.docx" in printed and "notes.txt" not in printed

    bad_docx(outputs / "briefings" / "two.docx")
    assert main(["check-outputs", "--out", str(outputs)]) == 1
    printed = capsys.readouterr().out
    assert "briefings/two.docx" in printed and "Heading 3 follows Heading 1" in printed

    assert main(["check-outputs", "--out", str(tmp_path / "missing")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["check-outputs", "--out", str(tmp_path / "empty")]) == 1  # nothing checked is not a pass


def test_check_outputs_json(tmp_path, capsys):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    good_docx(outputs / "a.docx")
    assert main(["check-outputs", "--out", str(outputs), "--json"]) == 0
    assert '"a.docx": []' in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("pdfua") is None, reason="the pdfua command is not installed")
def test_pdfua_command_agrees(tmp_path):
    import subprocess

    path = _tagged_pdf(tmp_path / "ok.pdf", [("H1", "Title"), ("P", "Body")])
    result = subprocess.run(["pdfua", "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "no findings" in result.stdout


# ------------------------------------------------------- the real outputs, built once

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample inputs built into a private outputs folder (report, summary, briefings)."""
    from assembler.build import build
    from assembler.config import CONFIG_NAME, load_config

    inputs = REPO / "inputs"
    out = tmp_path_factory.mktemp("built") / "outputs"
    result = build(inputs, out, load_config(inputs / CONFIG_NAME))
    assert result.ok, [str(e) for e in result.errors]
    return out


def _pdfs(out: Path) -> list[Path]:
    return [out / "annual-report.pdf", out / "summary.pdf", *sorted((out / "briefings").glob("*.pdf"))]


def test_every_pdf_passes_pdfua_and_our_checks(built):
    from pdfua import validate

    pdfs = _pdfs(built)
    assert len(pdfs) >= 3 and all(p.exists() for p in pdfs)
    for pdf in pdfs:
        report = validate(str(pdf))
        assert [(f.rule_id, f.message) for f in report.findings] == [], pdf.name
        assert [o.rule_id for o in report.skipped] == [], pdf.name
        assert check_pdf(pdf) == [], pdf.name


def test_every_font_a_page_names_is_embedded(built):
    """A print shop's preflight lists every font a page's resources name, drawn with or not: reportlab starts a
    canvas in Helvetica, which it never embeds, unless told to start in the brand's font (veraPDF looks only at
    fonts that show text, so it passed the one-pagers while each named Helvetica)."""
    for pdf_path in _pdfs(built):
        with pikepdf.open(pdf_path) as pdf:
            named = 0
            for number, page in enumerate(pdf.pages, 1):
                for font in (page.obj.Resources.get("/Font") or {}).values():
                    target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                    descriptor = target.get("/FontDescriptor")
                    assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                        f"{pdf_path.name} page {number}: {font.get('/BaseFont')} is not embedded"
                    named += 1
            assert named, pdf_path.name


def test_annual_report_structure(built):
    assert_report_is_tagged(built)


def test_report_structure_test_fails_when_text_is_drawn_untagged(tmp_path, monkeypatch):
    """Running headers and footers drawn without tree.artifact(): the same assertions must fail."""
    import contextlib

    from assembler.build import build
    from assembler.config import CONFIG_NAME, load_config

    @contextlib.contextmanager
    def forgotten(self, canvas, kind=None):
        yield canvas

    monkeypatch.setattr(TagTree, "artifact", forgotten)
    out = tmp_path / "outputs"
    config = load_config(REPO / "inputs" / CONFIG_NAME)
    # The build's own accessibility step refuses it...
    refused = build(REPO / "inputs", out, config, only={"report"})
    assert not refused.ok and not (out / "annual-report.pdf").exists()
    assert any(e.file == "annual-report.pdf" and "outside marked content" in e.message for e in refused.errors)
    # ...and, forced through, the structure assertions fail too.
    assert build(REPO / "inputs", out, config, only={"report"}, force=True).outputs
    with pytest.raises(AssertionError):
        assert_report_is_tagged(out)
    assert any("neither tagged nor marked as an artifact" in f for f in check_pdf(out / "annual-report.pdf"))


def assert_report_is_tagged(outputs: Path) -> None:
    """The issue's acceptance checks on outputs/annual-report.pdf."""
    import json

    from assembler.checks.pdf_accessibility import marked_text, structure_text, walk_structure
    from assembler.config import CONFIG_NAME, load_config
    from assembler.typography import typeset_text

    built = outputs
    pdf_path = built / "annual-report.pdf"
    config = load_config(REPO / "inputs" / CONFIG_NAME)
    leaves = structure_text(pdf_path)
    h1s = [text for role, text in leaves if role == "H1" and text != "Contents"]
    contents = [text for role, text in leaves if role == "Link"]  # the contents' entries come first
    # One H1 per chapter, in the order of the contents.
    assert len(h1s) == len(config.chapters)
    positions = [next(i for i, entry in enumerate(contents) if entry.startswith(h1)) for h1 in h1s]
    assert positions == sorted(positions)
    # Every agency whose return was accepted is a heading.
    manifest = json.loads((built / "manifest.json").read_text())
    headings = {text for role, text in leaves if role in ("H2", "H3")}
    # Names print typeset (Barnardo's as Barnardo’s), as the report's printed_name does.
    agency_headings = {typeset_text(a.name) for a in config.agencies} & headings
    assert len(agency_headings) == len(manifest["returns_accepted"])
    with pikepdf.open(pdf_path) as pdf:
        elements = list(walk_structure(pdf))
        figures = [e.obj for e in elements if e.role == "/Figure"]
        assert len(figures) >= len(config.charts) + 1  # every chart, and the logo
        assert all(str(f.get("/Alt", "")).strip() for f in figures)
        for chart in config.charts:
            assert any(str(f.Alt).startswith(chart.title) for f in figures), chart.title
        tables = [e for e in elements if e.role == "/Table"]
        assert tables
        for table in tables:
            first_row = table.obj.K[0] if isinstance(table.obj.K, pikepdf.Array) else table.obj.K
            cells = first_row.K if isinstance(first_row.K, pikepdf.Array) else [first_row.K]
            assert {str(c.S) for c in cells} == {"/TH"}
        # Reading order: the tree visits marked content in the order it was drawn (the story).
        page_of = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        visited = []
        for element in elements:
            page = page_of.get(element.obj.Pg.objgen) if "/Pg" in element.obj else None
            kids = element.obj.K if isinstance(element.obj.K, pikepdf.Array) else [element.obj.K]
            for kid in kids:
                if isinstance(kid, int):
                    visited.append((page, kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    visited.append((page_of[kid.Pg.objgen], int(kid.MCID)))
        assert visited == sorted(visited)
    # Every page's text is tagged or an artifact.
    assert marked_text(pdf_path)[1] == {}


def test_report_docx_passes_the_word_checks(built):
    assert check_docx(built / "annual-report.docx") == []


def test_onepager_docx_pass_the_word_checks(built):
    docxs = [built / "summary.docx", *sorted((built / "briefings").glob("*.docx"))]
    assert len(docxs) >= 2
    assert {d.name: check_docx(d) for d in docxs} == {d.name: [] for d in docxs}


@pytest.mark.verapdf
def test_every_pdf_passes_verapdf_pdf_ua_1(built, tmp_path):
    """veraPDF, the reference validator, finds 0 failed PDF/UA-1 rules in the report, the summary and every
    briefing; in the same run it fails an untagged PDF on the rules it breaks (so the check can fail)."""
    from assembler.checks.verapdf import validate_pdf_ua

    plain = tmp_path / "plain.pdf"
    SimpleDocTemplate(str(plain), invariant=1).build([Paragraph("Plain text in Helvetica")])
    small = _tagged_pdf(tmp_path / "small.pdf", [("H1", "Title"), ("P", "Body"), ("H2", "Part")])
    pdfs = sorted(p for p in built.rglob("*.pdf") if not any(part.startswith(".") for part in p.relative_to(built).parts))
    assert set(_pdfs(built)) <= set(pdfs) and len(pdfs) >= 5, pdfs  # report, summary and the three briefings at least
    results = validate_pdf_ua([*pdfs, small, plain])
    for pdf in [*pdfs, small]:
        assert [str(rule) for rule in results[pdf]] == [], pdf.name
    failed = {rule.rule for rule in results[plain]}
    # untagged content, no structure tree, no metadata stream, no /Lang for the text, font not embedded
    assert {"7.1-3", "7.1-11", "7.1-8", "7.2-34", "7.21.4.1-1"} <= failed, results[plain]
