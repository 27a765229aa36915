"""Links in print carry their address (issue 21): the PDF and the Word report print the short address in
brackets after a link's words; the document model (what a web edition lays out) keeps the links as they are."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from assembler.config import load_config
from assembler.document import Document, Section
from assembler.document.print_edition import for_print, short_address, with_addresses
from assembler.schema import ListBlock, ListItem, Paragraph, Quote, Run
from assembler.writers.docx.report import write_docx_report
from assembler.writers.pdf.report import write_pdf_report

from conftest import SAMPLE_INPUTS


@pytest.mark.parametrize("target, short", [
    ("https://www.wirralsafeguarding.co.uk/training/education", "wirralsafeguarding.co.uk/training/education"),
    ("https://www.barnardos.org.uk/", "barnardos.org.uk"),
    ("http://example.org/a?b=1#c", "example.org/a?b=1#c"),
    ("mailto:help@nspcc.org.uk?subject=Hi", "help@nspcc.org.uk"),
    ("help@nspcc.org.uk", "help@nspcc.org.uk"),
])
def test_the_short_address_is_what_a_reader_types(target, short):
    assert short_address(target) == short


def test_a_link_gets_its_address_once_after_all_its_words():
    runs = [Run(text="See the "), Run(text="training ", link="https://x.org/t"), Run(text="pages", bold=True, link="https://x.org/t"),
            Run(text=" and "), Run(text="www.x.org", link="https://www.x.org/"), Run(text=".")]
    printed = with_addresses(runs)
    assert "".join(r.text for r in printed) == "See the training pages (x.org/t) and www.x.org."
    address = next(r for r in printed if r.text == "x.org/t")
    assert address.link == "https://x.org/t" and address.bold  # still followable on screen, set as the words before


def _document(blocks) -> Document:
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    document = Document(title=config.title, subtitle="", partnership=config.partnership.name, short_name="WSCP",
                        period=config.period, date=config.publication_date, language="en-GB", brand=config.brand,
                        inputs=SAMPLE_INPUTS)
    document.sections.append(Section(id="chapter-links", title="Where to find help", level=1, blocks=blocks))
    return document


BLOCKS = [
    Paragraph(runs=[Run(text="Reviews are on our "), Run(text="case reviews page", link="https://www.wirralsafeguarding.co.uk/case-reviews"),
                    Run(text=".")]),
    ListBlock(ordered=False, items=[ListItem(runs=[Run(text="Write to "), Run(text="the business team", link="mailto:wscp@wirral.example")])]),
    Quote(runs=[Run(text="The "), Run(text="NSPCC", link="https://www.nspcc.org.uk/")]),
    Paragraph(runs=[Run(text="Or go to "), Run(text="www.barnardos.org.uk", link="https://www.barnardos.org.uk/")]),
]


def test_the_web_edition_keeps_links_as_links():
    document = _document(BLOCKS)
    printed = for_print(document)
    assert document.sections[0].blocks == BLOCKS  # nothing changed in the model a web writer lays out
    assert printed.sections[0].blocks != BLOCKS


def test_the_pdf_and_the_word_report_print_each_link_s_address(tmp_path: Path):
    document = _document(BLOCKS)
    write_pdf_report(document, tmp_path / "r.pdf")
    write_docx_report(document, tmp_path / "r.docx")
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages).split())
    docx = open_docx(str(tmp_path / "r.docx"))
    word = " ".join(" ".join(p.text for p in docx.paragraphs).split())
    for text in (pdf, word):
        assert "case reviews page (wirralsafeguarding.co.uk/case-reviews)." in text
        assert "the business team (wscp@wirral.example)" in text
        assert "NSPCC (nspcc.org.uk)" in text
        assert "www.barnardos.org.uk" in text and "(barnardos.org.uk)" not in text  # the words are the address
    with zipfile.ZipFile(tmp_path / "r.docx") as package:
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert "https://www.wirralsafeguarding.co.uk/case-reviews" in relationships  # still a link on screen
