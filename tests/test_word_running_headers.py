"""The Word report's running header (issue 21, findings 1 and 7): each chapter's header names the chapter; in a
chapter of sections (the agencies) a STYLEREF field names the section starting on the page, in Word, with the
chapter's name as its cached result for readers that do not evaluate it (LibreOffice 7.x, previews)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree

from assembler.build import build
from assembler.config import CONFIG_NAME, load_config
from assembler.writers.docx.page_numbers import destination_pages, libreoffice_pdf
from assembler.writers.docx.running_headers import (RUNNING_HEAD, chapters_with_sections, ensure_running_head_style,
                                                    mark_running_head)

REPO = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
MULTI_AGENCY = "Multi-agency Working"


@dataclass
class WordSection:
    """One Word section of the report: the headings in it and its default header's paragraph."""

    chapters: list[str] = field(default_factory=list)  # Heading 1 texts
    sections: list[str] = field(default_factory=list)  # Section Heading texts (agencies, case studies)
    bookmarks: list[str] = field(default_factory=list)  # each chapter heading's bookmark
    header: etree._Element | None = None
    first_header: etree._Element | None = None  # its opening page's, when it has one ("different first page")
    first_page: bool = False  # w:titlePg
    footers: dict[str, str] = field(default_factory=dict)  # footer part of each page type


def _text(node) -> str:
    """The text Word shows: a hyphen inside a word is written as Word's non-breaking hyphen (w:noBreakHyphen)."""
    pieces = node.xpath(".//w:t/text() | .//w:noBreakHyphen", namespaces=NS)
    return "".join(piece if isinstance(piece, str) else "-" for piece in pieces)


def word_sections(docx: Path) -> tuple[list[WordSection], etree._Element]:
    """The report's Word sections in order, each with its headings and header, and the styles part."""
    package = zipfile.ZipFile(docx)
    body = etree.fromstring(package.read("word/document.xml")).find(f"{{{W}}}body")
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    styles = etree.fromstring(package.read("word/styles.xml"))
    sections, current = [], WordSection()

    def close(sect_pr) -> None:
        nonlocal current
        reference = sect_pr.xpath("w:headerReference[@w:type='default']", namespaces=NS)
        assert reference, "every section has a default header of its own"
        current.header = etree.fromstring(package.read(f"word/{targets[reference[0].get(f'{{{R}}}id')]}"))
        first = sect_pr.xpath("w:headerReference[@w:type='first']", namespaces=NS)
        if first:
            current.first_header = etree.fromstring(package.read(f"word/{targets[first[0].get(f'{{{R}}}id')]}"))
        current.first_page = sect_pr.find(f"{{{W}}}titlePg") is not None
        current.footers = {ref.get(f"{{{W}}}type"): targets[ref.get(f"{{{R}}}id")]
                           for ref in sect_pr.xpath("w:footerReference", namespaces=NS)}
        sections.append(current)
        current = WordSection()

    for child in body:
        if child.tag == f"{{{W}}}p":
            style = child.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)
            if style == "Heading1":
                current.chapters.append(_text(child))
                current.bookmarks += child.xpath("w:bookmarkStart/@w:name", namespaces=NS)
            elif style == "SectionHeading":
                current.sections.append(_text(child))
            sect_pr = child.find(f"{{{W}}}pPr/{{{W}}}sectPr")
            if sect_pr is not None:
                close(sect_pr)
        elif child.tag == f"{{{W}}}sectPr":
            close(child)
    return sections, styles


def field_parts(paragraph) -> tuple[str, str]:
    """(instruction, cached result) of the one complex field in a paragraph, its runs checked in order."""
    state, instruction, result = "outside", [], []
    for run in paragraph.iter(f"{{{W}}}r"):
        char = run.find(f"{{{W}}}fldChar")
        if char is not None:
            kind = char.get(f"{{{W}}}fldCharType")
            state = {("outside", "begin"): "code", ("code", "separate"): "result", ("result", "end"): "done"}[(state, kind)]
            continue
        if state == "code":
            instruction.append("".join(run.xpath("w:instrText/text()", namespaces=NS)))
        elif state == "result":
            result.append(_text(run))
    assert state == "done", "the field is begun, separated and ended"
    return "".join(instruction).strip(), "".join(result)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample report (the conftest numbers its Word contents from the PDF: no LibreOffice in the build)."""
    inputs = REPO / "inputs"
    out = tmp_path_factory.mktemp("running-headers") / "outputs"
    config = load_config(inputs / CONFIG_NAME)
    result = build(inputs, out, config, only={"report"})
    assert result.ok, [str(e) for e in result.errors]
    return out / "annual-report.docx", f"{config.partnership.short_name} {config.title} {config.period}"


@pytest.fixture(scope="module")
def sections(built):
    return word_sections(built[0])


def _running_head_id(styles) -> str:
    found = styles.xpath(f"w:style[w:name/@w:val='{RUNNING_HEAD}']", namespaces=NS)
    assert len(found) == 1, "the running-head style is defined once"
    assert found[0].get(f"{{{W}}}type") == "character"
    # No look of its own: marking a heading with it changes nothing printed.
    assert found[0].find(f"{{{W}}}rPr") is None
    return found[0].get(f"{{{W}}}styleId")


def test_the_multi_agency_chapters_header_holds_a_styleref_field_cached_as_the_chapter(built, sections):
    word, styles = sections
    chapter = [s for s in word if MULTI_AGENCY in s.chapters]
    assert len(chapter) == 1 and len(chapter[0].sections) >= 20  # the sample's agencies, in one Word section
    _running_head_id(styles)  # the style the fields name exists
    # Every page but the opening one: the first agency starting on the page (no \l: the first, the PDF's rule).
    header = chapter[0].header.find(f"{{{W}}}p")
    instruction, result = field_parts(header)
    assert re.fullmatch(rf'STYLEREF "{RUNNING_HEAD}"( \\\* MERGEFORMAT)?', instruction), instruction
    assert result == MULTI_AGENCY  # what a reader that does not evaluate the field prints
    assert _text(header) == f"{built[1]}{MULTI_AGENCY}"  # the short title before it, as every header
    # The opening page: the last marked text on it, the agency starting lower on the page, else the chapter.
    assert chapter[0].first_page and chapter[0].first_header is not None
    first = chapter[0].first_header.find(f"{{{W}}}p")
    instruction, result = field_parts(first)
    assert re.fullmatch(rf'STYLEREF "{RUNNING_HEAD}" \\l( \\\* MERGEFORMAT)?', instruction), instruction
    assert result == MULTI_AGENCY and _text(first) == f"{built[1]}{MULTI_AGENCY}"
    # The opening page keeps the one footer (page X of Y), as every page.
    assert chapter[0].footers["first"] == chapter[0].footers["default"] == word[1].footers["default"]


def test_the_running_head_style_is_on_every_chapter_and_agency_heading_and_nothing_else(built, sections):
    word, styles = sections
    style_id = _running_head_id(styles)
    body = etree.fromstring(zipfile.ZipFile(built[0]).read("word/document.xml"))
    marked = body.xpath(f"//w:p[.//w:rStyle/@w:val='{style_id}']", namespaces=NS)  # held: lxml keeps their proxies
    headings = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1' or w:pPr/w:pStyle/@w:val='SectionHeading']",
                          namespaces=NS)
    agencies = [s for w_section in word for s in w_section.sections]
    assert "Merseyside Police" in agencies and "YMCA Wirral" in agencies
    for heading in headings:
        runs = heading.findall(f"{{{W}}}r")
        assert runs and all(r.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS) == style_id for r in runs), _text(heading)
        # rStyle first in the run's properties (schema order: Word rejects it elsewhere).
        assert all(r.find(f"{{{W}}}rPr")[0].tag == f"{{{W}}}rStyle" for r in runs)
    # The field can find nothing else: no other paragraph carries the style.
    assert set(marked) == set(headings)
    assert len(headings) == sum(len(s.chapters) + len(s.sections) for s in word)
    assert open_docx(str(built[0])).styles[RUNNING_HEAD].type == 2  # python-docx opens it: a character style


def test_every_other_chapters_header_names_the_chapter_as_plain_text(built, sections):
    word, _ = sections
    assert word[0].chapters == []  # cover and contents
    for section in word:
        header = section.header.find(f"{{{W}}}p")
        name = section.chapters[0] if section.chapters else "Contents"
        assert _text(header) == f"{built[1]}{name}", (_text(header), name)  # title, tab, name
        has_field = bool(header.xpath(".//w:fldChar", namespaces=NS))
        assert has_field == bool(section.sections), name  # a field only where sections start inside the chapter
        if section is not word[0]:  # the cover has its own first page: the bands, no header text
            assert section.first_page == bool(section.sections), name
    assert sum(1 for s in word if s.sections) == 1  # the sample: the multi-agency chapter alone


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory) -> Path:
    """LibreOffice's PDF of the DOCX (bookmarks as named destinations)."""
    return libreoffice_pdf(built[0], tmp_path_factory.mktemp("running-headers-printed"))


@pytest.mark.libreoffice
@pytest.mark.poppler
def test_libreoffice_prints_the_cached_chapter_name_on_every_page_of_each_chapter(built, sections, printed):
    """LibreOffice 7.4 does not evaluate STYLEREF: each page of a chapter prints the field's cached result."""
    pdf = printed
    starts = destination_pages(pdf)
    word, _ = sections
    chapters = [(s.chapters[0], starts[s.bookmarks[0]]) for s in word if s.chapters]
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout)[1])
    agencies = {a for s in word for a in s.sections}
    checked = set()
    for (name, first), following in zip(chapters, chapters[1:] + [("", pages + 1)]):
        assert following[1] > first, (name, first)
        for page in range(first, following[1]):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout
            top = next(line for line in text.splitlines() if line.strip())
            assert re.fullmatch(rf"\s*{re.escape(built[1])}\s+{re.escape(name)}\s*", top), (page, top)
            assert "STYLEREF" not in text and not any(top.strip().endswith(a) for a in agencies - {name})
            checked.add(page)
    multi = next(first for name, first in chapters if name == MULTI_AGENCY)
    assert len([p for p in checked if p >= multi]) > 20  # the agencies' pages were among those read


def styleref_in_header(page: int, marked: list[tuple[int, str]], last: bool = False) -> str:
    """What Word's STYLEREF in a header gives on `page` (ECMA-376 Part 1, 17.16.5 STYLEREF): the first (`last`:
    the last) marked text on the page; none there, the last one before the page, else the first after it."""
    on_page = [text for at, text in marked if at == page]
    if on_page:
        return on_page[-1] if last else on_page[0]
    before = [text for at, text in marked if at < page]
    return before[-1] if before else next(text for at, text in marked if at > page)


@pytest.mark.libreoffice
def test_by_the_fields_rule_each_agency_is_named_on_the_page_it_starts_on(built, sections, printed):
    """Finding 7 in Word: the field's documented search, run on LibreOffice's layout of the DOCX over the text
    the DOCX marks with the style, names each agency on the page the contents gives for it (unless an agency
    before it starts on that page too: the first is named, as in the PDF), and no page names another chapter's."""
    word, styles = sections
    style_id = _running_head_id(styles)
    starts = destination_pages(printed)
    body = etree.fromstring(zipfile.ZipFile(built[0]).read("word/document.xml"))
    marked = [(starts[p.xpath("string(w:bookmarkStart/@w:name)", namespaces=NS)], _text(p))
              for p in body.xpath(f"//w:p[.//w:rStyle/@w:val='{style_id}']", namespaces=NS)]
    chapter = next(s for s in word if MULTI_AGENCY in s.chapters)
    opening = starts[chapter.bookmarks[0]]
    following = next(starts[s.bookmarks[0]] for s in word[word.index(chapter) + 1:] if s.bookmarks)
    heads = {page: styleref_in_header(page, marked, last=page == opening) for page in range(opening, following)}
    assert set(heads.values()) <= set(chapter.sections) | {MULTI_AGENCY}
    for agency in chapter.sections:
        page = next(at for at, text in marked if text == agency)
        first_on_page = next(text for at, text in marked if at == page and text in chapter.sections)
        assert heads[page] == first_on_page, (agency, page, heads[page])
    assert heads[opening] == chapter.sections[0]  # the sample: Barnardo's starts on the chapter's opening page


def test_chapters_with_sections_follows_the_outline():
    assert chapters_with_sections([1, 2, 2, 1, 3, 1, 2]) == [True, False, True]
    assert chapters_with_sections([2, 1, 1]) == [False, False]  # a section before any chapter belongs to none
    assert chapters_with_sections([]) == []


def test_a_heading_in_several_scripts_is_marked_in_every_run(tmp_path):
    """Odd but valid: a heading of mixed scripts is several runs, some with properties already."""
    from assembler.writers.docx.blocks import add_script_text

    docx = open_docx()
    style_id = ensure_running_head_style(docx)
    assert ensure_running_head_style(docx) == style_id  # once
    paragraph = docx.add_paragraph(style="Heading 2")
    add_script_text(paragraph, "Łucja’s centre مركز الشباب 2024", "Arial")
    mark_running_head(paragraph._p, style_id)
    docx.save(tmp_path / "mixed.docx")
    reopened = open_docx(str(tmp_path / "mixed.docx"))
    runs = reopened.paragraphs[-1].runs
    assert len(runs) >= 2 and all(run.style.name == RUNNING_HEAD for run in runs)
    assert "".join(run.text for run in runs) == "Łucja’s centre مركز الشباب 2024"


def _generated_report(tmp_path: Path) -> tuple[Path, list]:
    """Odd but valid: two chapters of sections (one the last chapter, whose section properties are the body's
    own; one whose first section follows its heading directly), a chapter without, a section title in two
    scripts."""
    from assembler.document import Document, Section
    from assembler.schema import Paragraph, Run
    from assembler.writers.docx.report import write_docx_report

    config = load_config(REPO / "inputs" / CONFIG_NAME)
    text = lambda words: [Paragraph(runs=[Run(text=words)])]  # noqa: E731
    sections = [
        Section(id="chapter-alpha", title="Alpha Chapter", level=1, blocks=text("Alpha's introduction.")),
        Section(id="a1", title="Łódź Youth Centre مركز الشباب", level=2, blocks=text("First agency."), kind="agency"),
        Section(id="a2", title="Second Agency", level=2, blocks=text("Second agency."), kind="agency"),
        Section(id="chapter-gamma", title="Gamma Chapter", level=1, blocks=text("Gamma has no sections.")),
        Section(id="chapter-omega", title="Omega Chapter", level=1, blocks=[]),
        Section(id="o1", title="Omega Agency", level=2, blocks=text("Straight after its chapter's heading."), kind="agency"),
    ]
    document = Document(title="Annual Report", subtitle="A Partnership", partnership="A Partnership", short_name="AP",
                        period="2030-31", date=config.publication_date, language=config.partnership.language,
                        brand=config.brand, inputs=REPO / "inputs", sections=sections)
    path = tmp_path / "generated.docx"
    write_docx_report(document, path)
    return path, sections


def test_every_chapter_of_sections_gets_the_field_and_its_opening_page_header(tmp_path):
    path, model = _generated_report(tmp_path)
    word, styles = word_sections(path)
    style_id = _running_head_id(styles)
    assert [s.chapters for s in word] == [[], ["Alpha Chapter"], ["Gamma Chapter"], ["Omega Chapter"]]
    assert [s.sections for s in word] == [[], ["Łódź Youth Centre مركز الشباب", "Second Agency"], [], ["Omega Agency"]]
    for section in word[1:]:
        name = section.chapters[0]
        header = section.header.find(f"{{{W}}}p")
        if section.sections:
            assert field_parts(header) == (f'STYLEREF "{RUNNING_HEAD}" \\* MERGEFORMAT', name)
            assert field_parts(section.first_header.find(f"{{{W}}}p")) == (f'STYLEREF "{RUNNING_HEAD}" \\l \\* MERGEFORMAT', name)
            assert section.first_page and section.footers["first"] == section.footers["default"]
        else:
            assert not header.xpath(".//w:fldChar", namespaces=NS) and _text(header) == f"AP Annual Report 2030-31{name}"
            assert not section.first_page and section.first_header is None
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    marked = [_text(p) for p in body.xpath(f"//w:p[.//w:rStyle/@w:val='{style_id}']", namespaces=NS)]
    assert marked == [s.title for s in model if s.level <= 2]  # every chapter and section, nothing else
    mixed = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='SectionHeading']", namespaces=NS)[0]
    assert len(mixed.findall(f"{{{W}}}r")) >= 2  # the two scripts are runs of their own, each marked


@pytest.mark.libreoffice
@pytest.mark.poppler
def test_libreoffice_prints_each_generated_chapters_name_and_page_number(tmp_path):
    """The opening pages with a header of their own (Alpha's, and Omega's in the body's last section properties)
    keep the short title, the chapter's name and the footer's page number."""
    path, _ = _generated_report(tmp_path)
    pdf = libreoffice_pdf(path, tmp_path / "printed")
    names = ["Contents", "Alpha Chapter", "Gamma Chapter", "Omega Chapter"]
    for page, name in enumerate(names, 2):
        lines = [line for line in subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                                                 capture_output=True, text=True, check=True).stdout.splitlines() if line.strip()]
        assert re.fullmatch(rf"\s*AP Annual Report 2030-31\s+{name}\s*", lines[0]), (page, lines[0])
        assert lines[-1].strip().endswith(f"Page {page} of {len(names) + 1}"), (page, lines[-1])
