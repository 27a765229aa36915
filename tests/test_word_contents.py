"""The Word report's contents on first open: every entry has its page number, the page LibreOffice lays its
heading on; without LibreOffice the PDF's pages; the same bytes from two builds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from assembler.build import build
from assembler.checks.pdf_text import pdf_page_texts
from assembler.config import CONFIG_NAME, load_config
from assembler.writers.docx.page_numbers import ENVIRONMENT, destination_pages, libreoffice_pdf, outline_pages

REPO = Path(__file__).resolve().parent.parent
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
    with pytest.MonkeyPatch.context() as patch:  # the tests number from the PDF (conftest); here, LibreOffice's way
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


@pytest.mark.libreoffice
def test_two_builds_give_the_same_word_report(built, tmp_path, monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)  # numbered from LibreOffice's layout, as `built` was
    again = _build_report(tmp_path / "outputs")
    assert (again / "annual-report.docx").read_bytes() == (built / "annual-report.docx").read_bytes()


def test_without_libreoffice_the_contents_has_the_pdf_pages(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "pdf")
    out = _build_report(tmp_path / "outputs")
    entries = contents_entries(out / "annual-report.docx")
    outline = [(title, page) for title, page in outline_pages(out / "annual-report.pdf") if title != "Contents"]
    assert [(title, int(number)) for title, _, number in entries] == outline


@pytest.mark.libreoffice
def test_the_word_report_prints_within_a_page_of_the_pdf(built, word_as_printed):
    """The DOCX's styles, spacing and page breaks follow the PDF's: the two lay out within a page of each other,
    and each chapter and agency starts within two pages of where the PDF starts it."""
    import pikepdf

    with pikepdf.open(word_as_printed) as word, pikepdf.open(built / "annual-report.pdf") as pdf:
        assert abs(len(word.pages) - len(pdf.pages)) <= 1, (len(word.pages), len(pdf.pages))
    entries = contents_entries(built / "annual-report.docx")
    outline = [(title, page) for title, page in outline_pages(built / "annual-report.pdf") if title != "Contents"]
    assert [title for title, _, _ in entries] == [title for title, _ in outline]
    assert max(abs(int(number) - page) for (_, _, number), (_, page) in zip(entries, outline)) <= 2


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
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    out = _build_report(tmp_path / "outputs")
    entries = contents_entries(out / "annual-report.docx")
    assert len(entries) >= 30 and all(number == "" for _, _, number in entries), entries[:3]
