"""The Word report's contents on first open: every entry has its page number, the page LibreOffice lays its
heading on. By default the numbers are the PDF's, since the DOCX paginates as the PDF does under LibreOffice
(tools/word_pages.py measures the two); ASSEMBLER_WORD_PAGES=libreoffice converts a copy to find them. The
same bytes from two builds."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from assembler.build import build
from assembler.checks.pdf_text import pdf_page_texts
from assembler.config import CONFIG_NAME, load_config
from assembler.writers.docx.page_numbers import ENVIRONMENT, destination_pages, libreoffice_pdf, outline_pages

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

from word_pages import compare  # noqa: E402
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _build_report(out: Path) -> Path:
    inputs = REPO / "inputs"
    result = build(inputs, out, load_config(inputs / CONFIG_NAME), only={"report"})
    assert result.ok, [str(e) for e in result.errors]
    return out


def contents_entries(docx: Path) -> list[tuple[str, str, str]]:
    """(title, bookmark, page number) of every entry of the contents field, read from document.xml."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    entries = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or not re.fullmatch(r"TOC[12]", style.get(f"{W}val", "")):
            continue
        link = p.find(f"{W}hyperlink")
        assert link is not None, etree.tostring(p)[:300]
        instructions = "".join(link.itertext(f"{W}instrText"))
        texts = [t.text or "" for t in link.iter(f"{W}t")]
        assert f"PAGEREF {link.get(f'{W}anchor')}" in instructions
        entries.append((texts[0], link.get(f"{W}anchor"), texts[-1]))
    return entries


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample's report as a build writes it by default: the Word contents numbered from the PDF."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENVIRONMENT, raising=False)
        return _build_report(tmp_path_factory.mktemp("word-contents") / "outputs")


@pytest.fixture(scope="module")
def word_as_printed(built, tmp_path_factory) -> Path:
    """LibreOffice's PDF of the built DOCX: the Word report as it prints."""
    return libreoffice_pdf(built / "annual-report.docx", tmp_path_factory.mktemp("word-printed"))


@pytest.mark.libreoffice
@pytest.mark.poppler
def test_every_contents_entry_has_the_page_libreoffice_lays_its_heading_on(built, word_as_printed):
    docx = built / "annual-report.docx"
    entries = contents_entries(docx)
    assert len(entries) >= 30  # the sample's chapters and agencies
    assert all(number.isdigit() and number != "0" for _, _, number in entries), entries
    # LibreOffice's own PDF of the same file: each heading's bookmark and its printed words are on that page.
    pdf = word_as_printed
    pages = destination_pages(pdf)
    texts = pdf_page_texts(pdf)
    for title, bookmark, number in entries:
        assert pages[bookmark] == int(number), (title, pages[bookmark], number)
        assert title.split()[0] in texts[int(number) - 1], (title, number)
    numbers = [int(n) for _, _, n in entries]
    assert numbers == sorted(numbers) and numbers[0] > 1  # in reading order, after the cover


def test_two_builds_give_the_same_word_report(built, tmp_path, monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)  # numbered from the PDF, as `built` was
    again = _build_report(tmp_path / "outputs")
    assert (again / "annual-report.docx").read_bytes() == (built / "annual-report.docx").read_bytes()


def test_by_default_the_contents_has_the_pdf_pages(built):
    entries = contents_entries(built / "annual-report.docx")
    outline = [(title, page) for title, page in outline_pages(built / "annual-report.pdf") if title != "Contents"]
    assert [(title, int(number)) for title, _, number in entries] == outline


@pytest.mark.libreoffice
@pytest.mark.poppler
def test_the_word_report_prints_on_the_pdf_pages(built, word_as_printed):
    """The DOCX's type, spacing, table widths, figure heights and keep rules follow the PDF's: LibreOffice prints
    it on as many pages, every chapter and agency on the page the PDF starts it (tools/word_pages.py)."""
    result = compare(built / "annual-report.docx", built / "annual-report.pdf", word_as_printed)
    assert len(result.entries) >= 30
    assert result.word_pages == result.pdf_pages
    assert [(e.title, e.pdf, e.word) for e in result.differing] == []
    assert result.wrongly_numbered == []


@pytest.mark.libreoffice
def test_asked_for_libreoffice_the_numbers_are_the_same(built, tmp_path, monkeypatch):
    """ASSEMBLER_WORD_PAGES=libreoffice numbers the contents from a LibreOffice conversion of the DOCX: on the
    sample it finds the PDF's numbers, so the two ways give the same file."""
    monkeypatch.setenv(ENVIRONMENT, "libreoffice")
    again = _build_report(tmp_path / "outputs")
    assert contents_entries(again / "annual-report.docx") == contents_entries(built / "annual-report.docx")
    assert (again / "annual-report.docx").read_bytes() == (built / "annual-report.docx").read_bytes()


def test_libreoffice_numbers_the_contents_only_when_asked_or_without_a_pdf(monkeypatch):
    import assembler.writers.docx.page_numbers as page_numbers

    monkeypatch.setattr(page_numbers, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert not page_numbers.use_libreoffice(pdf_written=True)
    assert page_numbers.use_libreoffice(pdf_written=False)
    monkeypatch.setenv(ENVIRONMENT, "libreoffice")
    assert page_numbers.use_libreoffice(pdf_written=True)
    monkeypatch.setattr(page_numbers, "soffice", lambda: None)
    assert not page_numbers.use_libreoffice(pdf_written=False)


def test_a_section_the_pdf_starts_on_a_new_page_is_found_from_its_outline(tmp_path):
    """A heading at the top of its page has its outline destination above the text frame's top; one under a
    line of text is below it."""
    from reportlab.pdfgen.canvas import Canvas

    from assembler.writers.docx.page_numbers import pdf_page_starts
    from assembler.writers.report_geometry import PAGE_HEIGHT, PAGE_WIDTH, TOP_MARGIN

    path = tmp_path / "outline.pdf"
    canvas = Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    frame_top = PAGE_HEIGHT - TOP_MARGIN
    for name, top in (("Chapter", frame_top + 16), ("Agency A", frame_top - 200), ("Agency B", frame_top + 10)):
        canvas.bookmarkHorizontal(name, 60, top)
        canvas.addOutlineEntry(name, name, level=0)
        if name != "Chapter":
            canvas.showPage()
    canvas.save()
    assert pdf_page_starts(path, ["Chapter", "Agency A", "Agency B", "Missing"]) == [True, False, True, False]


def test_contents_pages_from_a_pdf_outline_keep_a_repeated_title_on_its_own_page(tmp_path):
    """Two sections of the same name (an agency and a chapter both called 'Early Help') each get their own
    page; a title the outline lacks gets no number rather than another's."""
    from reportlab.pdfgen.canvas import Canvas

    from assembler.writers.docx.page_numbers import pdf_pages

    path = tmp_path / "outline.pdf"
    canvas = Canvas(str(path), invariant=1)
    for page, title in enumerate(["Contents", "Early Help", "Agencies", "Early Help", "Glossary"], 1):
        canvas.drawString(72, 720, title)
        canvas.bookmarkPage(f"p{page}")
        canvas.addOutlineEntry(title, f"p{page}", level=0)
        canvas.showPage()
    canvas.save()
    assert pdf_pages(path, ["Early Help", "Agencies", "Early Help", "Not there", "Glossary"]) == [2, 3, 4, None, 5]


def test_when_libreoffice_fails_the_entries_have_no_number_and_the_report_is_written(tmp_path, monkeypatch):
    """A LibreOffice that exits without converting costs the contents' numbers (Word adds them on open),
    never the report, and never a wrong number."""
    import assembler.writers.docx.page_numbers as page_numbers

    monkeypatch.setattr(page_numbers, "soffice", lambda: "/bin/false")
    monkeypatch.setenv(ENVIRONMENT, "libreoffice")
    out = _build_report(tmp_path / "outputs")
    entries = contents_entries(out / "annual-report.docx")
    assert len(entries) >= 30 and all(number == "" for _, _, number in entries), entries[:3]
