"""The Word report is laid out with the PDF's numbers, so LibreOffice prints it on the PDF's pages (issue 21):
the same type sizes, line heights and paragraph spaces, the same table column widths, charts as tall, the
same keep rules, and the PDF's print rules (no runt page, a short page only before a chapter) held in
LibreOffice's print of the DOCX."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from lxml import etree

from assembler.build import build
from assembler.config import CONFIG_NAME, load_config
from assembler.document.charts import ChartData
from assembler.schema import ChartRef, Table
from assembler.writers.chart_geometry import chart_height
from assembler.writers.docx.page_numbers import ENVIRONMENT, libreoffice_pdf
from assembler.writers.table_widths import rows_kept_with_next

from conftest import SAMPLE_INPUTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_POINT = 12700


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("word-layout") / "outputs"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENVIRONMENT, raising=False)
        result = build(SAMPLE_INPUTS, out, load_config(SAMPLE_INPUTS / CONFIG_NAME), only={"report"})
    assert result.ok, [str(e) for e in result.errors]
    return out


@pytest.fixture(scope="module")
def pdf_styles(sample_config):
    from assembler.writers.pdf.styles import make_styles

    return make_styles(sample_config.brand, sample_config.brand.fonts.body_size)


def _docx_styles(path: Path) -> dict[str, dict[str, float]]:
    """Each paragraph style's size, line height, space before and after, in points, through its basedOn chain."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"))
    raw = {}
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        values = {}
        spacing = style.find(f"{W}pPr/{W}spacing")
        if spacing is not None:
            for key, attribute in (("before", "before"), ("after", "after"), ("line", "line")):
                if spacing.get(f"{W}{attribute}") is not None:
                    values[key] = int(spacing.get(f"{W}{attribute}")) / 20
        size = style.find(f"{W}rPr/{W}sz")
        if size is not None:
            values["size"] = int(size.get(f"{W}val")) / 2
        based = style.find(f"{W}basedOn")
        raw[style.get(f"{W}styleId")] = (values, based.get(f"{W}val") if based is not None else None)

    def resolved(style_id: str) -> dict[str, float]:
        values, based = raw[style_id]
        return {**(resolved(based) if based in raw else {}), **values}

    return {style_id: resolved(style_id) for style_id in raw}


def test_every_report_style_has_the_pdf_styles_size_line_height_and_spaces(built, pdf_styles):
    word = _docx_styles(built / "annual-report.docx")
    s = pdf_styles
    pairs = {
        "Normal": s.body, "Heading2": s.heading(2), "Heading3": s.heading(3), "Heading4": s.heading(4),
        "SectionHeading": s.heading(2), "Caption": s.caption, "TableText": s.cell, "Quote": s.quote,
        "ListBullet": s.list_item,
    }
    for style_id, pdf in pairs.items():
        got = word[style_id]
        assert got["size"] == pdf.fontSize, (style_id, got, pdf.fontSize)  # Word's half points in both
        assert got["line"] == pytest.approx(pdf.leading, abs=0.03), (style_id, got, pdf.leading)
        assert got.get("after", 0) == pytest.approx(pdf.spaceAfter, abs=0.03) or style_id == "Quote", (style_id, got)
        assert got.get("before", 0) == pytest.approx(pdf.spaceBefore, abs=0.03), (style_id, got)
    heading1 = word["Heading1"]
    assert heading1["size"] == s.heading(1).fontSize and heading1["line"] == pytest.approx(s.heading(1).leading, abs=0.03)
    assert heading1.get("before", 0) == 0  # a chapter opens its page, where the PDF drops the space too


ODD_TABLES = [
    [["Indicator", "Value", "Period"], ["Children looked after assessed within twenty working days", "21", "2023-24"],
     ["Reduction", "20%", "December 2022 to March 2024"]],
    [["Term", "Meaning"], ["Supercalifragilisticexpialidocious-and-then-some", "A word longer than its column could be."],
     ["CP", ""], ["", "An empty term"]],
    [["A"], ["one column, one very long cell " * 6]],
    [["Agency", "Q1", "Q2", "Q3", "Q4", "Total", "Note"], ["Wirral Council", "1", "22", "333", "4,444", "£55,555", "ø ñ ŵ"],
     ["NHS", "—", "", "7"]],  # a short row: the writers pad it
]


@pytest.mark.parametrize("rows", ODD_TABLES, ids=["indicators", "glossary", "one-column", "wide-and-ragged"])
def test_a_table_has_the_same_column_widths_in_both_writers(rows, sample_config, pdf_styles, tmp_path):
    from assembler.writers.docx.blocks import BlockWriter, add_table, prepare_document
    from assembler.writers.docx.report_layout import TEXT_WIDTH
    from assembler.writers.pdf.blocks import BlockWriter as PdfBlockWriter
    from assembler.writers.pdf.page import FRAME_WIDTH
    from assembler.writers.pdf.tagging import TagTree

    block = Table(header_rows=[rows[0]], rows=rows[1:])
    story = PdfBlockWriter(pdf_styles, TagTree(lang="en-GB", title="t"), tmp_path, {}, FRAME_WIDTH).table(block)
    pdf_widths = list(story[-1]._colWidths)
    document = docx.Document()
    prepare_document(document, sample_config.brand, "en-GB")
    add_table(document, block, BlockWriter(document, sample_config.brand, tmp_path, width=int(TEXT_WIDTH)))
    grid = document.element.body.find(f"{W}tbl/{W}tblGrid")
    word_widths = [int(col.get(f"{W}w")) / 20 for col in grid.findall(f"{W}gridCol")]
    assert len(word_widths) == len(pdf_widths) == max(map(len, rows))
    assert word_widths == pytest.approx(pdf_widths, abs=0.1)  # twips against points
    assert sum(word_widths) == pytest.approx(FRAME_WIDTH, abs=0.1)


def test_a_chart_is_as_tall_in_the_docx_as_in_the_pdf(sample_config, tmp_path):
    from assembler.writers.docx.blocks import BlockWriter, add_chart, prepare_document
    from assembler.writers.docx.report_layout import TEXT_WIDTH

    for bars in (1, 4, 11):
        chart = ChartData(id="c", title="Referrals by source", labels=tuple(f"Source {n}" for n in range(bars)),
                          values=tuple(float(10 * n + 3) for n in range(bars)), unit="count")
        document = docx.Document()
        prepare_document(document, sample_config.brand, "en-GB")
        add_chart(document, ChartRef(chart="c"), BlockWriter(document, sample_config.brand, tmp_path, {"c": chart},
                                                             width=int(TEXT_WIDTH)))
        extent = document.element.body.find(f".//{WP}extent")
        assert int(extent.get("cy")) / EMU_PER_POINT == pytest.approx(chart_height(chart), abs=0.01), bars


def test_a_short_table_keeps_its_rows_as_the_pdf_does():
    assert rows_kept_with_next(1, 3) == [True, True, True, False]  # two a side cannot be: it moves whole
    assert rows_kept_with_next(1, 4) == [True, True, False, True, False]  # a split leaves two rows each side
    assert rows_kept_with_next(1, 4, after_kept=True) == [True] * 4 + [False]  # with its heading: whole
    # A long table splits anywhere but under its header, after its first row or before its last (as the PDF's).
    assert rows_kept_with_next(1, 9) == [True, True] + [False] * 6 + [True, False]


def test_the_sample_docx_keeps_headings_captions_and_short_tables(built):
    root = etree.fromstring(zipfile.ZipFile(built / "annual-report.docx").read("word/document.xml"))
    tables = list(root.iter(f"{W}tbl"))
    assert len(tables) > 20
    for table in tables:
        rows = table.findall(f"{W}tr")
        kept = [any(p.find(f"{W}pPr/{W}keepNext") is not None or p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TableHeaderText"
                    for p in row.iter(f"{W}p")) for row in rows]
        assert kept[0] and not kept[-1]  # the header stays with a row; the last row keeps with nothing after
    figures = [p for p in root.iter(f"{W}p") if p.find(f".//{WP}inline") is not None
               and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Figure"]  # not the cover's logo
    assert len(figures) >= 4
    for figure in figures:  # a picture keeps with the next paragraph only when that is its caption
        following = figure.getnext()
        style = following.find(f"{W}pPr/{W}pStyle") if following is not None else None
        captioned = style is not None and style.get(f"{W}val") == "Caption"
        direct = figure.find(f"{W}pPr/{W}keepNext")
        keeps = direct.get(f"{W}val", "1") not in ("0", "false") if direct is not None else True  # the Figure style keeps
        assert keeps == captioned, etree.tostring(following)[:200] if following is not None else None


@pytest.mark.libreoffice
def test_libreoffice_prints_the_docx_to_the_pdfs_print_rules(built, tmp_path):
    """No runt page and no short page but before a chapter in LibreOffice's print of the DOCX (the chapters are
    the PDF's, on the same pages), and the two have as many pages."""
    from assembler.checks.page_fill import page_fills, print_rule_breaches
    from assembler.writers.report_geometry import BOTTOM_MARGIN, PAGE_HEIGHT, TOP_MARGIN

    printed = libreoffice_pdf(built / "annual-report.docx", tmp_path)
    frame_top = PAGE_HEIGHT - TOP_MARGIN
    word = page_fills(printed, frame_top, BOTTOM_MARGIN)
    pdf = page_fills(built / "annual-report.pdf", frame_top, BOTTOM_MARGIN)
    assert len(word) == len(pdf) > 40
    fills = [replace(w, before_chapter=p.before_chapter) for w, p in zip(word, pdf)]
    assert print_rule_breaches(fills) == []
    assert [round(w.fill, 1) for w in word] == pytest.approx([round(p.fill, 1) for p in pdf], abs=0.11)


def test_what_the_pdfs_print_rules_start_a_page_with_starts_one_in_the_docx(built):
    """The PDF names each page its print rules start early (a named destination per break); the DOCX gives the
    same paragraph, contents entry or heading a page break before it."""
    from assembler.writers.docx.page_numbers import pdf_print_breaks

    breaks = pdf_print_breaks(built / "annual-report.pdf")
    assert breaks and all(re.fullmatch(r"c\d+|s\d+|b\d+\.\d+", name) for name in breaks), breaks
    root = etree.fromstring(zipfile.ZipFile(built / "annual-report.docx").read("word/document.xml"))
    broken = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    styles = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in broken]
    entries = [name for name in breaks if name.startswith("c")]
    assert styles.count("TOC1") + styles.count("TOC2") == len(entries)
    blocks = [name for name in breaks if name.startswith("b")]
    assert sum(not (style.startswith("TOC") or style.startswith("Heading") or style == "SectionHeading")
               for style in styles) >= len(blocks)


def test_the_sample_docx_lists_keep_their_first_two_and_last_two_items_together(built):
    """As the PDF splits a list: never its first item alone at a page's foot, nor its last alone overleaf."""
    root = etree.fromstring(zipfile.ZipFile(built / "annual-report.docx").read("word/document.xml"))
    body = root.find(f"{W}body")
    lists, current = [], []
    for child in body:  # runs of top-level list paragraphs (one numbering id each: one list)
        num = child.find(f"{W}pPr/{W}numPr")
        level = num.find(f"{W}ilvl").get(f"{W}val") if num is not None else None
        if level == "0":
            current.append(child)
        elif level is None:
            if current:
                lists.append(current)
            current = []
    flat = [items for items in lists if len(items) >= 3]
    assert len(flat) > 10
    kept = lambda p: p.find(f"{W}pPr/{W}keepNext") is not None  # noqa: E731
    for items in flat:
        assert kept(items[0]) and kept(items[-2]) and not kept(items[-1])
