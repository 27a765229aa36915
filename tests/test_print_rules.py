"""Print rules in the report's PDF (issue 21): no page under a tenth full, none under a quarter full except
before a chapter, and a running header that names the first section starting on its page, as the contents
does. Tested by laying out the sample and measuring each page's fill from the PDF's text and drawing positions."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from pypdf import PdfReader

from assembler.checks.page_fill import page_fills, print_rule_breaches
from assembler.cli import main
from assembler.writers.pdf.page import BOTTOM_MARGIN, HEADER_Y, PAGE_HEIGHT, PAGE_WIDTH, TOP_MARGIN, RunningText
from assembler.writers.pdf.print_rules import PagePlaces, rebalancing_breaks

from conftest import SAMPLE_INPUTS

FRAME_TOP = PAGE_HEIGHT - TOP_MARGIN


def test_a_runt_page_takes_the_least_of_the_page_before_that_is_enough():
    placed = PagePlaces()
    placed.lowest = {1: 100.0, 2: 90.0, 3: FRAME_TOP - 20, 4: 100.0}  # page 3 holds 20 points: a runt
    placed.starts = {5: (2, FRAME_TOP), 6: (2, 400.0), 7: (2, 200.0), 8: (2, 150.0), 9: (3, FRAME_TOP)}
    placed.chapter_pages = {4}                                    # page 3 ends a chapter
    assert rebalancing_breaks(placed, FRAME_TOP, BOTTOM_MARGIN) == {7}  # 110 points moved: enough, and the least
    placed.chapter_pages = set()                                  # not before a chapter: it needs a quarter
    assert rebalancing_breaks(placed, FRAME_TOP, BOTTOM_MARGIN) == {6}


def test_a_chapter_opening_or_a_full_page_is_left_alone():
    placed = PagePlaces()
    placed.lowest = {1: 100.0, 2: 90.0, 3: FRAME_TOP - 20}
    placed.starts = {5: (2, FRAME_TOP), 6: (2, 400.0)}
    placed.chapter_pages = {3}                                    # a short chapter: its opening page stays
    assert rebalancing_breaks(placed, FRAME_TOP, BOTTOM_MARGIN) == set()


def test_the_running_header_names_the_first_section_starting_on_the_page():
    running = RunningText(title="t", footer="f")
    running.start_section("Multi-agency working", 1)
    assert running.heading_for_page() == "Multi-agency working"
    running.start_section("Barnardo's", 2)
    running.start_section("Blue Skies Ahead", 2)               # two agencies start on one page: the first is named
    assert running.heading_for_page() == "Barnardo's"
    assert running.heading_for_page() == "Blue Skies Ahead"     # a page inside it names the one it continues


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print-rules")
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "report"]) == 0
    return out / "annual-report.pdf"


def test_the_sample_report_has_no_runt_and_no_short_page_but_before_a_chapter(sample_pdf: Path):
    fills = page_fills(sample_pdf, FRAME_TOP, BOTTOM_MARGIN)
    assert len(fills) > 40
    assert print_rule_breaches(fills) == []
    assert sum(f.fill > 0.75 for f in fills) > len(fills) * 0.8  # and rebalancing did not empty the pages before


def _header(page) -> str:
    text = page.get_textpage()
    return text.get_text_bounded(PAGE_WIDTH / 2, HEADER_Y - 4, PAGE_WIDTH, HEADER_Y + 12).strip()


def test_each_agency_page_in_the_contents_has_the_agency_in_its_running_header(sample_pdf: Path):
    import pypdfium2

    reader = PdfReader(str(sample_pdf))
    starts: dict[int, str] = {}
    for entry in reader.outline:
        if isinstance(entry, list):  # the agencies, under their chapter
            for agency in entry:
                if not isinstance(agency, list):
                    starts.setdefault(reader.get_destination_page_number(agency) + 1, agency.title)
    assert len(starts) > 20
    document = pypdfium2.PdfDocument(str(sample_pdf))
    try:
        for page, title in starts.items():
            assert _header(document[page - 1]) == title, (page, title)
    finally:
        document.close()


@pytest.mark.parametrize("heading, caption", [("Funding and resourcing", "Figure 1: Income by partner"),
                                              ("Who came", "Figure 3: Training attendance by sector")])
def test_a_figure_is_on_the_page_of_its_heading(sample_pdf: Path, heading, caption):
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(str(sample_pdf)).pages]
    with_caption = [number for number, text in enumerate(pages) if caption in text]
    assert len(with_caption) == 1
    assert heading in pages[with_caption[0]]
