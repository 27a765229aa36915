"""The annual report PDF: A4, embedded fonts, bookmarks, contents that match, every word, stable bytes."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from assembler.assemble import load_partnership_content
from assembler.config import load_config
from assembler.document import Document, build_document
from assembler.schema import (
    CaseStudy,
    Heading,
    Indicator,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Run,
    SourceFile,
    Submission,
    Table,
    plain_text,
)
from assembler.writers.pdf.report import write_pdf_report

EXTRA_CHAPTER = "pdf-test-extras"
LONG_TABLE_ROWS = 70
A4_POINTS = (595.28, 841.89)


def _source(agency_id: str) -> SourceFile:
    return SourceFile(path=f"returns/{agency_id}.docx", sha256="0" * 64, format="docx", received=datetime(2024, 4, 20, 9, 0))


def _para(text: str, **run) -> Paragraph:
    return Paragraph(runs=[Run(text=text, **run)])


def _submissions() -> list[Submission]:
    long_table = Table(
        header_rows=[["Month", "Referrals", "Comment"]],
        rows=[[f"Row {n:02d}", f"{n * 7:,}", f"Comment number {n} – Siân’s note on £{n * 13} spent"] for n in range(1, LONG_TABLE_ROWS + 1)],
        caption="Monthly referrals, 2023-24",
    )
    return [
        Submission(
            agency_id="mfrs", agency_name="Merseyside Fire & Rescue Service", period="2023-24", source=_source("mfrs"),
            about=[_para("We run Safe & Well visits <for families> across Wirral; budget £34,000 – ‘fire safety’ for all.")],
            activity=[
                Heading(level=1, text="Our year 🎉 in brief"),
                _para("Łucja and Siân led ♦ fourteen youth engagement sessions 😀 with schools."),
                ListBlock(items=[
                    ListItem(runs=[Run(text="Fire cadets "), Run(text="expanded", bold=True)], children=ListBlock(ordered=True, items=[
                        ListItem(runs=[Run(text="Birkenhead station")]), ListItem(runs=[Run(text="Wallasey station")]),
                    ])),
                    ListItem(runs=[Run(text="Read more at "), Run(text="our website", link="https://www.merseyfire.example/?a=1&b=2")]),
                ]),
                Quote(runs=[Run(text="The cadets gave my son a reason to get up in the morning.")], attribution="A parent"),
            ],
            priorities=[_para("Reach every Year 7 pupil with water safety messages.", italic=True)],
            indicators=[Indicator(label="Safe & Well visits", value=1257), Indicator(label="Share completed on time", value=91.2, unit="%")],
            case_studies=[CaseStudy(title="A cadet’s story", blocks=[_para("Jay joined the cadets at fourteen and now mentors others.")])],
        ),
        Submission(
            agency_id="barnardos", agency_name="Barnardo's", period="2023-24", source=_source("barnardos"),
            about=[_para("Barnardo’s supports children affected by exploitation in Wirral.")],
            activity=[
                _para("Our referrals by month are below."), long_table,
                Table(header_rows=[], rows=[]),  # nothing to print, nothing to fail on
                Table(header_rows=[["Service", "What it does"]], rows=[["Outreach", " ".join(["Outreach workers meet young people where they are."] * 120)]]),
            ],
            priorities=[ListBlock(items=[ListItem(runs=[Run(text=f"Priority item {n:02d} for the missing-from-home service")]) for n in range(1, 61)])],
        ),
        Submission(
            agency_id="cafcass", agency_name="Cafcass", period="2023-24", source=_source("cafcass"),
            about=[_para("Cafcass represents children in family court cases.")],
            activity=[],  # printed as 'did not complete'
            priorities=[_para("Improve the timeliness of safeguarding letters.")],
        ),
    ]


EXTRA_MARKDOWN = """---
title: Extras for the PDF test
---
## Charts and pictures

Spending by category is shown below & compared <carefully> with last year.

![](chart:expenditure-by-category "Expenditure by category")

![The partnership logo, a navy shield](brand/logo.png "Our logo")

> Safeguarding is everybody's business.
>
> — A board member
"""


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> Document:
    return make_test_document(tmp_path_factory.mktemp("pdf") / "inputs")


def make_test_document(inputs: Path) -> Document:
    """The sample partnership with three test returns and a chapter of charts, pictures and quotes."""
    # The returns are not read: the test's own submissions stand in for them.
    shutil.copytree(Path(__file__).resolve().parent.parent / "inputs", inputs, ignore=shutil.ignore_patterns("returns"))
    config = load_config(inputs / "report.yaml")
    for chapter in config.chapters:  # chapters still being written elsewhere get a stub
        path = inputs / "chapters" / f"{chapter}.md"
        if not path.exists():
            path.write_text(f"---\ntitle: {chapter.replace('-', ' ').title()}\n---\nText of {chapter}.\n", encoding="utf-8")
    (inputs / "chapters" / f"{EXTRA_CHAPTER}.md").write_text(EXTRA_MARKDOWN, encoding="utf-8")
    chapters = list(config.chapters)
    chapters.insert(len(chapters) - 1, EXTRA_CHAPTER)
    config = config.model_copy(update={"chapters": chapters})
    content = load_partnership_content(inputs, config, _submissions())
    assert not content.problems, content.problems
    return build_document(content.report, config, inputs, content.charts)


@pytest.fixture(scope="module")
def pdf_path(document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "annual-report.pdf"
    write_pdf_report(document, path)
    return path


@pytest.fixture(scope="module")
def reader(pdf_path) -> PdfReader:
    return PdfReader(pdf_path)


@pytest.fixture(scope="module")
def page_texts(reader) -> list[str]:
    return [_normalise(page.extract_text()) for page in reader.pages]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_page_is_a4(reader):
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))


def test_every_font_is_embedded(reader):
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            seen += 1
    assert seen


def test_a_bookmark_for_every_chapter_and_agency(reader, document):
    titles = _outline_titles(reader.outline)
    for section in document.contents(2):
        assert section.title in titles
    for name in ("Merseyside Fire & Rescue Service", "Barnardo\u2019s", "Cafcass", "Introduction", "Glossary"):  # names print typeset
        assert name in titles


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def test_contents_page_numbers_are_where_sections_start(page_texts, document):
    contents_text = page_texts[1]
    sections = document.contents(2)  # every chapter and every agency
    assert len(sections) > 10
    for section in sections:
        match = re.search(re.escape(_normalise(section.title)) + r"[ .]*?(\d+)(?!\d)", contents_text)
        assert match, f"{section.title} is not in the contents"
        page = int(match.group(1))
        assert _normalise(section.title) in page_texts[page - 1], f"{section.title} is not on page {page}"
        if section.level == 1:  # a chapter opens a new page (the running header is drawn last, so comes last)
            assert page_texts[page - 1].startswith(_normalise(section.title)), f"{section.title} does not open page {page}"


def test_bookmarks_point_at_the_section_pages(reader, page_texts):
    for item in _flatten(reader.outline):
        page = reader.get_destination_page_number(item)
        assert _normalise(item.title) in page_texts[page], f"bookmark {item.title} points at page {page + 1}"


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_every_word_of_every_section_is_printed(page_texts, document):
    printed = set(re.findall(r"\w+", " ".join(page_texts)))
    for section in document.sections:
        words = set(re.findall(r"\w+", section.title + "\n" + plain_text(section.blocks)))
        missing = words - printed
        assert not missing, f"{section.title}: {sorted(missing)[:10]} not printed"


def test_special_characters_extract_as_themselves(page_texts):
    text = " ".join(page_texts)
    for fragment in ("£34,000", "‘fire safety’", "Łucja and Siân", "♦", "😀", "🎉", "Safe & Well visits <for families>", "Merseyside Fire & Rescue Service"):
        assert fragment in text, fragment


def test_page_x_of_y_on_every_page_but_the_cover(page_texts):
    total = len(page_texts)
    assert "Page 1 of" not in page_texts[0]
    for number, text in enumerate(page_texts[1:], start=2):
        assert f"Page {number} of {total}" in text


def test_metadata(reader, document):
    assert reader.metadata.title == f"{document.partnership} {document.title} {document.period}"
    assert reader.metadata.author == document.partnership
    assert reader.trailer["/Root"]["/Lang"] == document.language


def test_long_table_repeats_its_header_on_the_next_page(page_texts):
    first = next(i for i, text in enumerate(page_texts) if "Row 01" in text)
    last = next(i for i, text in enumerate(page_texts) if f"Row {LONG_TABLE_ROWS}" in text)
    assert last > first, "the test table should cross a page break"
    for text in page_texts[first + 1:last + 1]:
        assert "Month Referrals Comment" in text
    assert "Our referrals by month are below." in page_texts[first], "the table should start under its heading, not on a new page"
    assert "Barnardo\u2019s" in page_texts[first + 1], "the running header names the agency the page belongs to"


def test_long_list_starts_under_its_heading(page_texts):
    first = next(i for i, text in enumerate(page_texts) if "Priority item 01" in text)
    assert "Outreach workers meet young people" in page_texts[first]
    assert "Priority item 60" not in page_texts[first]


def test_chart_alt_text_source_and_value_labels(page_texts, document):
    chart = document.charts["expenditure-by-category"]
    text = " ".join(page_texts)
    for label in chart.labels:
        assert label in text
    assert "Expenditure by category" in text


def test_same_document_same_bytes(document, pdf_path, tmp_path):
    again = tmp_path / "again.pdf"
    write_pdf_report(document, again)
    assert again.read_bytes() == pdf_path.read_bytes()


def test_a_layout_the_print_rules_redo_is_neither_saved_nor_tagged(document, pdf_path, tmp_path, monkeypatch):
    """Only the final layout is saved and given its structure tree: saving and tagging the ones the print
    rules lay out again cost time for a file that was then overwritten."""
    from reportlab.pdfgen.canvas import Canvas

    from assembler.checks.pdf_accessibility import check_pdf
    from assembler.writers.pdf import report, tagging

    layouts, saved, tagged = [], [], []
    build, save, structure = report.ReportDocTemplate.build, Canvas.save, tagging.write_structure

    def counted_build(template, *args, **kwargs):
        layouts.append(template)
        return build(template, *args, **kwargs)

    def counted_save(canvas):
        saved.append(canvas._filename)
        return save(canvas)

    def counted_structure(path, *args, **kwargs):
        tagged.append(Path(path))
        return structure(path, *args, **kwargs)

    monkeypatch.setattr(report.ReportDocTemplate, "build", counted_build)
    monkeypatch.setattr(Canvas, "save", counted_save)
    monkeypatch.setattr(tagging, "write_structure", counted_structure)
    path = tmp_path / "report.pdf"
    write_pdf_report(document, path)
    assert len(layouts) >= 2  # the test report has a runt page in its first layout, so it is laid out again
    assert saved == [str(path)] and tagged == [path]
    # What was saved is the last layout (which moved something), tagged, and the same bytes as the fixture's
    final = layouts[-1].placed
    assert final.starts != layouts[0].placed.starts
    assert len(PdfReader(path).pages) == max(final.lowest)
    assert path.read_bytes() == pdf_path.read_bytes()
    assert check_pdf(path, with_pdfua=False) == []


def test_chart_value_labels_are_printed(page_texts, document):
    chart = document.charts["expenditure-by-category"]
    text = " ".join(page_texts)
    for value in chart.values:
        assert chart.value_label(value) in text


def test_chart_drawing_is_vector_with_a_label_per_bar(document):
    from reportlab.graphics.shapes import Rect, String

    from assembler.document.charts import ChartData
    from assembler.writers.pdf.chart import chart_drawing

    chart = ChartData("income", "Income by partner, 2023-24", ("Wirral Council", "Merseyside Police"), (139936.0, 129000.0), "£")
    drawing = chart_drawing(chart, document.brand, 400, 60)
    strings = [item.text for item in drawing.contents if isinstance(item, String)]
    bars = [item for item in drawing.contents if isinstance(item, Rect)]
    assert "£139,936 (52%)" in strings and "£129,000 (48%)" in strings
    assert "Wirral Council" in strings
    assert len(bars) == 2 and bars[0].width > bars[1].width > 0
    assert bars[0].fillColor != bars[1].fillColor


def test_missing_picture_names_the_file(document, tmp_path):
    from assembler.errors import InputError
    from assembler.schema import Image
    from assembler.writers.pdf.blocks import block_flowables
    from assembler.writers.pdf.styles import make_styles
    from assembler.writers.pdf.tagging import TagTree

    styles = make_styles(document.brand, 11)
    with pytest.raises(InputError, match="cannot be read") as error:
        block_flowables([Image(path="missing.png", alt="A chart")], styles, TagTree("en-GB", "t"), tmp_path, {})
    assert error.value.file.endswith("missing.png")


def test_markup_escapes_agency_text(document):
    from assembler.writers.pdf.markup import runs_markup
    from assembler.writers.pdf.styles import make_styles

    styles = make_styles(document.brand, 11)
    markup = runs_markup([Run(text="Fish & <chips>", bold=True), Run(text="site", link='https://x.example/?a=1&b="2"')], styles)
    assert "<b>Fish &amp; &lt;chips&gt;</b>" in markup
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in markup


def test_a_cell_longer_than_a_page_continues_on_the_next(page_texts):
    pages = [i for i, text in enumerate(page_texts) if "Outreach workers meet young people" in text]
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[-1] + 1))


def test_no_page_ends_with_a_heading(page_texts, document):
    headings = {_normalise(s.title) for s in document.sections}
    headings |= {_normalise(b.text) for s in document.sections for b in s.blocks if isinstance(b, Heading)}
    for number, text in enumerate(page_texts[2:], start=3):
        body = text.split(document.full_title)[0].strip()  # the running header and footer come last
        for heading in headings:
            assert not body.endswith(heading), f"page {number} ends with the heading '{heading}'"


def test_missing_logo_names_the_file_and_the_setting(document, tmp_path):
    from dataclasses import replace

    from assembler.errors import InputError

    broken = replace(document, brand=document.brand.model_copy(update={"logo": "brand/no-such-logo.png"}))
    with pytest.raises(InputError) as error:
        write_pdf_report(broken, tmp_path / "report.pdf")
    assert error.value.file.endswith("no-such-logo.png") and error.value.field == "brand.logo"


def test_the_fast_font_encodes_exactly_as_reportlab_does():
    """SubsetFont's shortcut must give the codes reportlab's own splitString gives, new characters included."""
    from reportlab.pdfbase.ttfonts import TTFont

    from assembler.brand import FONT_DIR, PDF_FONT_FILES
    from assembler.writers.pdf.fast_font import SubsetFont

    path = str(FONT_DIR / PDF_FONT_FILES["regular"])
    fast, plain = SubsetFont("FastCheck", path), TTFont("PlainCheck", path)
    class Doc:  # reportlab keeps a font's codes per document, in a weak dictionary
        pass

    doc_fast, doc_plain = Doc(), Doc()
    lines = ["Children's social care", "£34,000 – 91.2%", "Children\u00a0seen", "", "Łukasz Wójcik, Llŷr", "Children's"]
    lines += [chr(c) for c in range(0x100, 0x1F0)]  # enough new characters to open a second subset
    lines += ["Ǳ Children's ŉ"]
    for line in lines:
        assert fast.splitString(line, doc_fast) == plain.splitString(line, doc_plain), line
