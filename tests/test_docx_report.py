"""The DOCX annual report: structure, accessibility and reproducibility, checked with python-docx."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from assembler.assemble import load_partnership_content
from assembler.config import load_config
from assembler.document import Document, build_document
from assembler.schema import (
    CaseStudy,
    Heading,
    Image,
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
from assembler.writers.docx.chart import chart_png
from assembler.writers.docx.report import write_docx_report

AGENCY_CHAPTER = """---
title: Multi-agency Working
---
Every partner agency sent an account of its year. They follow in alphabetical order.
"""


def _source(name: str) -> SourceFile:
    return SourceFile(path=f"returns/{name}.docx", sha256="0" * 64, format="docx")


def _submissions() -> list[Submission]:
    fire = Submission(
        agency_id="mfrs", agency_name="Merseyside Fire & Rescue Service", period="2023-24", source=_source("mfrs"),
        about=[Paragraph(runs=[Run(text="We run the Fire Cadets – a youth scheme led by Siân Hughes – across Wirral’s stations.")])],
        activity=[
            Paragraph(runs=[Run(text="Highlights ♦ of the year 🚒, "), Run(text="funded", bold=True), Run(text=" with £12,500 of "), Run(text="grant money", italic=True), Run(text=".")]),
            ListBlock(items=[
                ListItem(runs=[Run(text="Home safety visits")], children=ListBlock(ordered=True, items=[
                    ListItem(runs=[Run(text="Birkenhead households")]), ListItem(runs=[Run(text="Wallasey households")]),
                ])),
                ListItem(runs=[Run(text="School talks")]),
            ]),
            Paragraph(runs=[Run(text="Read more on "), Run(text="the Merseyside Fire & Rescue website", link="https://www.merseyfire.gov.uk"), Run(text=".")]),
        ],
        priorities=[
            Heading(level=1, text="Our three aims"),
            ListBlock(ordered=True, items=[ListItem(runs=[Run(text="Reach more families")]), ListItem(runs=[Run(text="Train every crew")])]),
            ListBlock(ordered=True, items=[ListItem(runs=[Run(text="A second numbered list")])]),
        ],
        indicators=[Indicator(label="Home safety visits", value=1257), Indicator(label="Referrals made", value=91.2, unit="%")],
    )
    lighthouse = Submission(
        agency_id="lighthouse", agency_name="The Lighthouse Centre", period="2023-24", source=_source("lighthouse"),
        about=[Paragraph(runs=[Run(text="Our trustee Łucja Wiśniewska chairs the youth panel.")])],
        activity=[
            Table(header_rows=[["Service", "Children helped"]], rows=[["Drop-in", "312"], ["Counselling", "88"]], caption="Table: children helped"),
            Quote(runs=[Run(text="They listened to me.")], attribution="A young person, aged 14"),
        ],
        priorities=[Paragraph(runs=[Run(text="Open a second centre in Wallasey.")])],
        case_studies=[CaseStudy(title="Sam’s story", blocks=[Paragraph(runs=[Run(text="Sam found a safe adult at the drop-in.")])])],
    )
    barnardos = Submission(
        agency_id="barnardos", agency_name="Barnardo's", period="2023-24", source=_source("barnardos"),
        about=[Paragraph(runs=[Run(text="We support children affected by exploitation.")]),
               Image(path="brand/logo.png", alt="Barnardo's project logo", caption="Our project")],
        activity=[Paragraph(runs=[Run(text="Contact us at "), Run(text="wirral.services@barnardos.example", link="wirral.services@barnardos.example")])],
        priorities=[],
    )
    return [fire, lighthouse, barnardos]


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Document:
    inputs = tmp_path_factory.mktemp("docx") / "inputs"
    shutil.copytree(Path(__file__).resolve().parent.parent / "inputs", inputs)
    chapters = inputs / "chapters"
    if not (chapters / "multi-agency-working.md").is_file():  # the sample chapter, once written, is used as it is
        (chapters / "multi-agency-working.md").write_text(AGENCY_CHAPTER, encoding="utf-8")
    config = load_config(inputs / "report.yaml")
    present = [c for c in config.chapters if (chapters / f"{c}.md").is_file()]
    config = config.model_copy(update={"chapters": present})
    content = load_partnership_content(inputs, config, submissions=_submissions())
    return build_document(content.report, config, inputs, content.charts)


@pytest.fixture(scope="module")
def written(model, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "annual-report.docx"
    write_docx_report(model, path)
    return path


@pytest.fixture(scope="module")
def docx(written):
    return open_docx(str(written))


def _headings(docx) -> list[tuple[int, str]]:
    found = []
    for p in docx.paragraphs:
        match = re.fullmatch(r"Heading (\d)", p.style.name)
        if match:
            found.append((int(match.group(1)), p.text))
        elif p.style.name == "Section Heading":  # the agencies and case studies: level 2, listed in the contents
            found.append((2, p.text))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'£%.,♦🚒–-]+", text)


def test_every_section_is_a_heading_of_its_level_in_order(model, docx):
    headings = _headings(docx)
    expected = [(s.level, s.title) for s in model.sections]
    assert [h for h in headings if h in expected] == expected
    assert (1, next(s.title for s in model.sections if s.id == "chapter-multi-agency-working")) in headings
    assert (2, "Merseyside Fire & Rescue Service") in headings


def test_heading_levels_never_skip(docx):
    previous = 0
    for level, text in _headings(docx):
        assert level <= previous + 1, f"'{text}' jumps from level {previous} to {level}"
        previous = level


def test_every_word_of_every_agency_section_is_in_the_document(model, docx):
    body = "\n".join(p.text for p in docx.paragraphs)
    body += "\n".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    for section in model.sections:
        if section.kind == "chapter":
            continue
        for word in _words(plain_text(section.blocks)):
            assert word in body, f"{word!r} from {section.title} is missing"
    for name in ("Łucja Wiśniewska", "Siân Hughes", "Wirral’s", "£12,500", "♦", "🚒", "–"):
        assert name in body


def test_tables_repeat_a_header_row_and_have_no_merged_cells(docx):
    assert docx.tables
    for table in docx.tables:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert not table._tbl.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge")
    assert any(t.rows[0].cells[0].text == "Service" for t in docx.tables)


def test_every_picture_has_alt_text(model, docx):
    doc_prs = docx.element.body.xpath(".//wp:docPr")
    assert len(doc_prs) >= 1 + len(model.charts)  # the logo, the charts and the agency's picture
    for doc_pr in doc_prs:
        assert doc_pr.get("descr", "").strip(), f"picture {doc_pr.get('name')} has no alt text"
    descriptions = {d.get("descr") for d in doc_prs}
    assert model.charts["income-by-partner"].alt_text in descriptions
    assert "Barnardo's project logo" in descriptions
    assert model.brand.logo_alt in descriptions


def test_properties_title_author_language_and_fixed_dates(model, docx):
    props = docx.core_properties
    assert props.title == "Wirral Safeguarding Children Partnership Annual Report 2023-24"
    assert props.author == model.partnership
    assert props.language == "en-GB"
    assert props.created.date() == model.date and props.modified.date() == model.date
    lang = docx.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"


def test_hyperlinks_are_real_links(docx):
    targets = {rel.target_ref for rel in docx.part.rels.values() if rel.is_external}
    assert "https://www.merseyfire.gov.uk" in targets
    assert "mailto:wirral.services@barnardos.example" in targets
    links = docx.element.body.xpath(".//w:hyperlink[@r:id]")
    assert any("Merseyside Fire & Rescue website" in "".join(link.xpath(".//w:t/text()")) for link in links)


def test_contents_field_is_refreshed_on_open_and_prefilled(model, docx):
    instructions = " ".join(docx.element.body.xpath(".//w:instrText/text()"))
    assert 'TOC \\o "1-1" \\h \\z \\t "Section Heading,2"' in instructions
    assert " TC " not in instructions  # agencies are real headings, not hidden contents entries
    fire = next(p for p in docx.paragraphs if p.text == "Merseyside Fire & Rescue Service" and not p.style.name.startswith("TOC"))
    assert fire.style.name == "Section Heading" and fire.style.base_style.name == "Heading 2"
    assert fire.style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == "1"
    assert docx.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    toc_text = [p.text.split("\t")[0] for p in docx.paragraphs if p.style.name.startswith("TOC ") and p.style.name != "TOC Heading"]
    assert "Introduction" in toc_text and "Merseyside Fire & Rescue Service" in toc_text
    # Like the PDF's: chapters and agencies, not every sub-heading of a chapter.
    assert len(toc_text) == len(model.contents(2))


def test_footer_has_page_x_of_y_and_each_chapter_its_running_header(model, docx):
    chapters = [section.title for section in model.sections if section.level == 1]
    assert len(docx.sections) == len(chapters) + 1  # cover and contents, then one section per chapter
    footers = {section.footer.part.partname for section in docx.sections}
    assert len(footers) == 1  # one footer, page numbers running on
    section = docx.sections[0]
    footer_fields = " ".join(section.footer._element.xpath(".//w:instrText/text()"))
    assert "PAGE" in footer_fields and "NUMPAGES" in footer_fields
    assert model.brand.footer in section.footer.paragraphs[0].text
    # As the PDF's: the short title, then the chapter's name (as text, or as the cached result of the field that
    # names the agency starting on the page in the multi-agency chapter: tests/test_word_running_headers.py).
    headers = [section.header.paragraphs[0].text for section in docx.sections]
    assert headers == [f"{model.full_title}\t{name}" for name in ["Contents", *chapters]]
    with_field = []
    for section, name in zip(docx.sections, ["Contents", *chapters]):
        assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
        assert not section.header.is_linked_to_previous
        if section.header._element.xpath(".//w:fldChar"):
            with_field.append(name)
    assert with_field == [next(s.title for s in model.sections if s.id == "chapter-multi-agency-working")]


def test_the_cover_has_the_pdfs_bands_as_decorative_pictures_on_its_page_only(model, docx):
    first = docx.sections[0]
    assert first.different_first_page_header_footer
    # After the cover, only the multi-agency chapter's opening page has a header of its own (running_headers.py).
    assert [section.header.paragraphs[0].text.split("\t")[-1] for section in docx.sections[1:]
            if section.different_first_page_header_footer] == ["Multi-agency Working"]
    anchors = first.first_page_header._element.xpath(".//wp:anchor")
    assert len(anchors) == 3 and all(a.get("behindDoc") == "1" for a in anchors)
    decorative = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    assert all(any(n.tag == decorative for n in a.iter()) for a in anchors)
    widths = {int(a.xpath("./wp:extent")[0].get("cx")) for a in anchors}
    assert widths == {int(210 * 36000)}  # the page's full width, as the PDF's bands


def test_cover_is_filled_and_chapters_start_on_a_new_page(model, docx):
    text = "\n".join(p.text for p in docx.paragraphs[:6])
    assert "{{" not in text and model.partnership in text and "31 July 2024" in text
    assert docx.styles["Heading 1"].paragraph_format.page_break_before


def test_lists_are_numbered_and_each_numbered_list_restarts(docx):
    numbered = [p for p in docx.paragraphs if p.style.name.startswith("List Number")]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert len(set(num_ids)) >= 3  # the nested list and two separate lists each count from 1
    nested = next(p for p in numbered if p.text == "Birkenhead households")
    assert nested._p.pPr.numPr.ilvl.val == 1


def _ends_a_section(p) -> bool:
    """A chapter that ends in a table ends its Word section in a paragraph of its own, one point high."""
    return bool(p._p.xpath("./w:pPr/w:sectPr"))


def test_no_empty_paragraphs_in_the_body(docx):
    for p in docx.paragraphs:
        has_drawing = p._p.xpath(".//w:drawing")
        assert p.text.strip() or has_drawing or _ends_a_section(p), f"empty paragraph in style {p.style.name}"


def test_brand_colours_come_from_the_config(model, docx):
    primary = model.brand.colours.primary.lstrip("#")
    assert str(docx.styles["Heading 1"].font.color.rgb) == primary
    header_fill = docx.tables[0].rows[0].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert header_fill == primary


def test_same_document_gives_identical_bytes(model, written, tmp_path):
    again = tmp_path / "again.docx"
    write_docx_report(model, again)
    assert again.read_bytes() == written.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert all(info.date_time[:3] == (2024, 7, 31) for info in z.infolist())


def test_chart_png_is_deterministic_and_labelled(model):
    chart = model.charts["income-by-partner"]
    assert chart.value_label(chart.values[0]) == "£139,936 (52%)"
    first = chart_png(chart, model.brand, 1890, 800)
    assert first == chart_png(chart, model.brand, 1890, 800)
    from PIL import Image as PILImage
    import io
    with PILImage.open(io.BytesIO(first)) as image:
        assert image.size == (1890, 800)
        assert round(image.info["dpi"][0]) >= 200


@pytest.mark.libreoffice
def test_libreoffice_converts_it_and_the_pdf_has_every_agency(model, written, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tmp_path / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(written)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "annual-report.pdf"
    assert pdf.is_file()
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    for section in model.sections:
        if section.kind == "agency":
            assert section.title in text


def test_charts_are_at_least_200_dpi_at_printed_size(model, docx):
    from PIL import Image as PILImage
    import io

    chart_titles = {c.title for c in model.charts.values()}
    checked = 0
    for inline in docx.inline_shapes:
        doc_pr = inline._inline.docPr
        if doc_pr.get("title") not in chart_titles:
            continue
        blip = inline._inline.graphic.graphicData.pic.blipFill.blip
        image = docx.part.related_parts[blip.embed].image
        with PILImage.open(io.BytesIO(image.blob)) as png:
            assert png.width / inline.width.inches >= 200
        checked += 1
    assert checked == len([b for s in model.sections for b in s.blocks if getattr(b, "kind", "") == "chart"])
    assert checked >= 1


def test_pictures_fit_the_text_width_and_half_a_page(docx):
    section = docx.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU to mm
    assert abs(text_width - 168) < 0.5  # the PDF's frame: A4 less 22 mm and 20 mm margins
    for inline in docx.inline_shapes:
        assert inline.width.mm <= text_width + 0.5 and inline.height.mm <= 150


def test_the_report_passes_the_accessibility_checks(model, written):
    from assembler.checks.docx_accessibility import check_docx

    assert check_docx(written) == []


def test_the_accessibility_checks_find_each_kind_of_fault(model, written, tmp_path):
    from assembler.checks.docx_accessibility import check_docx

    broken = open_docx(str(written))
    broken.core_properties.title = ""
    broken.element.body.xpath(".//wp:docPr")[1].set("descr", "")
    header_flag = broken.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader"))
    header_flag.getparent().remove(header_flag)
    broken.add_paragraph("")
    broken.add_heading("Jumps two levels", level=1).insert_paragraph_before("Deep", style="Heading 4")
    vague = broken.add_paragraph("See ")
    from assembler.schema import Run as SchemaRun
    from assembler.writers.docx.blocks import BlockWriter, add_runs

    add_runs(vague, [SchemaRun(text="here", link="https://example.org")], BlockWriter(broken, model.brand, model.inputs))
    path = tmp_path / "broken.docx"
    broken.save(str(path))
    found = " | ".join(check_docx(path))
    for expected in ("no title", "no alt text", "not marked as a header row", "empty paragraph",
                     "Heading 4 follows Heading 2", "does not say where it goes"):
        assert expected in found


def test_the_brand_is_applied_from_the_model_not_the_template(model, tmp_path):
    from dataclasses import replace

    colours = model.brand.colours.model_copy(update={"primary": "#4B0F5C"})
    rebranded = replace(model, brand=model.brand.model_copy(update={"colours": colours}))
    path = tmp_path / "rebranded.docx"
    write_docx_report(rebranded, path)
    docx = open_docx(str(path))
    assert str(docx.styles["Heading 1"].font.color.rgb) == "4B0F5C"
    assert docx.tables[0].rows[0].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "4B0F5C"


def test_figures_are_right_aligned_in_tables(docx):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = next(t for t in docx.tables if t.rows[0].cells[0].text == "Indicator")
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment is None


def test_add_blocks_works_on_a_plain_python_docx_document(model, tmp_path):
    """The one-page writers may start from another template: prepare_document gives them the styles."""
    from docx import Document as new_docx

    from assembler.writers.docx.blocks import BlockWriter, add_blocks, prepare_document

    plain = new_docx()
    prepare_document(plain, model.brand, model.language)
    agency = next(s for s in model.sections if s.id == "agency-mfrs")
    add_blocks(plain, agency.blocks, BlockWriter(plain, model.brand, model.inputs, model.charts))
    path = tmp_path / "plain.docx"
    plain.save(str(path))
    reopened = open_docx(str(path))
    assert any(p.style.name == "List Number 2" for p in reopened.paragraphs)
    assert reopened.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_template_tool_is_reproducible(tmp_path):
    import importlib.util

    tool = Path(__file__).resolve().parent.parent / "tools" / "make_docx_template.py"
    spec = importlib.util.spec_from_file_location("make_docx_template", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = module.make_template(module.DEFAULT_CONFIG, tmp_path / "a.docx").read_bytes()
    second = module.make_template(module.DEFAULT_CONFIG, tmp_path / "b.docx").read_bytes()
    assert first == second
    template = open_docx(str(tmp_path / "a.docx"))
    texts = [p.text for p in template.paragraphs]
    assert "{{ title }}" in texts and "{{ partnership }}" in texts
    for name in ("Title", "Heading 1", "Heading 4", "List Bullet 3", "List Number 2", "Caption", "Quote", "Brand Table"):
        assert name in {s.name for s in template.styles}
    assert template.styles["List Bullet 2"].element.pPr.numPr is not None


def test_a_missing_picture_or_chart_is_an_input_error_naming_it(model, tmp_path):
    from dataclasses import replace

    from assembler.document import Section
    from assembler.errors import InputError
    from assembler.schema import ChartRef

    missing_picture = replace(model, sections=[Section(id="x", title="X", level=1, blocks=[Image(path="photos/missing.png", alt="A photo")])])
    with pytest.raises(InputError, match="missing") as raised:
        write_docx_report(missing_picture, tmp_path / "a.docx")
    assert "missing.png" in str(raised.value.file)
    unknown_chart = replace(model, sections=[Section(id="x", title="X", level=1, blocks=[ChartRef(chart="no-such-chart")])])
    with pytest.raises(InputError, match="no-such-chart"):
        write_docx_report(unknown_chart, tmp_path / "b.docx")


def test_without_a_logo_the_cover_has_no_empty_paragraph(model, tmp_path):
    from dataclasses import replace

    plain = replace(model, brand=model.brand.model_copy(update={"logo": None}))
    path = tmp_path / "nologo.docx"
    write_docx_report(plain, path)
    docx = open_docx(str(path))
    assert not docx.inline_shapes or all(s._inline.docPr.get("descr") != model.brand.logo_alt for s in docx.inline_shapes)
    assert all(p.text.strip() or p._p.xpath(".//w:drawing") or _ends_a_section(p) for p in docx.paragraphs)
    assert docx.paragraphs[0].text == model.partnership


def test_text_runs_keep_spaces_tabs_and_breaks():
    import docx

    from assembler.writers.docx.blocks import add_text_run

    paragraph = docx.Document().add_paragraph()
    add_text_run(paragraph, " leading and trailing ")
    add_text_run(paragraph, "a\tb\nc")
    assert paragraph.text == " leading and trailing a\tb\nc"
    first_t = paragraph._p.r_lst[0].find(qn("w:t"))
    assert first_t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_without_the_template_file_the_report_is_made_from_the_same_template_in_memory(model, written, tmp_path):
    """An installed package has no templates folder: the writer makes the template as the tool does."""
    in_memory = tmp_path / "in-memory.docx"
    write_docx_report(model, in_memory, template=tmp_path / "missing.docx")
    parts = [{n: zipfile.ZipFile(f).read(n) for n in zipfile.ZipFile(f).namelist()} for f in (written, in_memory)]
    assert parts[0].keys() == parts[1].keys()
    assert [name for name in parts[0] if parts[0][name] != parts[1][name]] == []
