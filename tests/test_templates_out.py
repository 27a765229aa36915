"""The blank returns: what an agency receives must carry every field the readers look for."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from assembler.cli import main
from assembler.schema import SectionKey, section_title
from assembler.template_fields import (
    CASE_STUDY_COUNT,
    CONTACT_FIELDS,
    INDICATOR_COLUMNS,
    INDICATOR_ROWS,
    INDICATORS_FIELD,
    SECTION_FIELDS,
    SECTION_GUIDANCE,
    SHEET_CASE_STUDIES,
    SHEET_INDICATORS,
    SHEET_RETURN,
    WORD_PLACEHOLDER,
    case_study_fields,
    parse_identifier,
)
from assembler.templates_out import write_templates
from assembler.templates_out.excel import write_excel_template
from assembler.templates_out.word import word_control_tags, write_word_template

from conftest import REQUIRE_TOOLS, SAMPLE_INPUTS

ALL_FIELDS = (
    ["agency_id", "period", "agency_name", *SECTION_FIELDS, INDICATORS_FIELD]
    + [name for n in range(1, CASE_STUDY_COUNT + 1) for name in case_study_fields(n)]
    + list(CONTACT_FIELDS)
)


@pytest.fixture(scope="module")
def koala(sample_config):
    return sample_config.agency("koala")


@pytest.fixture(scope="module")
def word_file(tmp_path_factory, koala, sample_config) -> Path:
    return write_word_template(tmp_path_factory.mktemp("word") / "koala.docx", koala, sample_config)


@pytest.fixture(scope="module")
def excel_file(tmp_path_factory, koala, sample_config) -> Path:
    return write_excel_template(tmp_path_factory.mktemp("excel") / "koala.xlsx", koala, sample_config)


def _controls(path: Path) -> dict[str, object]:
    body = Document(str(path)).element.body
    return {sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")): sdt for sdt in body.iter(qn("w:sdt"))}


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_word_template_names_agency_year_and_sections(word_file, config):
    document = Document(str(word_file))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Koala North West" in text
    assert "2023-24" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    for key in SectionKey:
        assert section_title(key, 2023, 2024) in headings
    assert "Planned safeguarding priorities for 2024" in headings
    for key, guidance in SECTION_GUIDANCE.items():
        assert f"{guidance} Up to {config.rules.word_limits[key]} words." in text


def test_word_template_has_a_tagged_control_for_every_field(word_file):
    tags = word_control_tags(word_file)
    assert sorted(tags) == sorted(ALL_FIELDS)
    controls = _controls(word_file)
    for key in SECTION_FIELDS:
        pr = controls[key].find(qn("w:sdtPr"))
        assert pr.find(qn("w:showingPlcHdr")) is not None
        assert pr.find(qn("w:richText")) is not None
        assert _text(controls[key]) == WORD_PLACEHOLDER
        # Block level: the control sits in the body, holding paragraphs.
        assert controls[key].getparent().tag == qn("w:body")
    assert controls["about"].find(qn("w:sdtPr")).find(qn("w:alias")).get(qn("w:val")) == "About our agency and what we do"
    for field in CONTACT_FIELDS:
        assert controls[field].find(qn("w:sdtPr")).find(qn("w:text")) is not None


def test_word_template_locks_id_and_period(word_file):
    controls = _controls(word_file)
    for field, value in (("agency_id", "koala"), ("period", "2023-24")):
        pr = controls[field].find(qn("w:sdtPr"))
        assert pr.find(qn("w:lock")).get(qn("w:val")) == "sdtContentLocked"
        assert pr.find(qn("w:showingPlcHdr")) is None
        assert _text(controls[field]) == value
    assert _text(controls["agency_name"]) == "Koala North West"


def test_word_indicator_table_is_inside_its_control(word_file):
    control = _controls(word_file)[INDICATORS_FIELD]
    tables = list(control.iter(qn("w:tbl")))
    assert len(tables) == 1
    rows = tables[0].findall(qn("w:tr"))
    assert len(rows) == 1 + INDICATOR_ROWS
    assert [_text(tc) for tc in rows[0].findall(qn("w:tc"))] == list(INDICATOR_COLUMNS)
    assert all(_text(tc) == "" for row in rows[1:] for tc in row.findall(qn("w:tc")))
    fill = rows[0].find(qn("w:tc")).find(qn("w:tcPr")).find(qn("w:shd")).get(qn("w:fill"))
    assert fill == "1B3A6B"


def test_word_properties_identify_the_return(word_file):
    props = Document(str(word_file)).core_properties
    identity = parse_identifier(props.identifier)
    assert identity is not None and (identity.agency_id, identity.period) == ("koala", "2023-24")
    assert props.language == "en-GB"
    assert "Koala North West" in props.title
    assert props.created.year == 2024 and props.created.month == 7 and props.created.day == 31
    lang = Document(str(word_file)).styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"  # spell-check in British English


def test_word_template_carries_no_leftovers_of_python_docx(word_file):
    """What an agency is sent holds no preview picture of a blank page, no Word 2010 copy of the styles
    and none of python-docx's hundred Office table styles."""
    import zipfile

    names = zipfile.ZipFile(word_file).namelist()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    table_styles = [s.name for s in Document(str(word_file)).styles if s.type == 3]  # WD_STYLE_TYPE.TABLE
    assert sorted(table_styles) == ["Normal Table", "Table Grid"]


def test_without_the_templates_folder_the_plain_template_is_made_in_memory(tmp_path, monkeypatch, config):
    """An installed package has no templates/ folder: the Word return is then the same, from python-docx's
    default slimmed the way tools/make_docx_template.py slims it."""
    import zipfile

    import assembler.word_templates as word_templates

    agency = next(a for a in config.agencies if a.id == "koala")
    from_file = write_word_template(tmp_path / "file.docx", agency, config)
    monkeypatch.setattr(word_templates, "PLAIN_TEMPLATE", tmp_path / "missing.docx")
    in_memory = write_word_template(tmp_path / "memory.docx", agency, config)
    parts = [{n: zipfile.ZipFile(f).read(n) for n in zipfile.ZipFile(f).namelist()} for f in (from_file, in_memory)]
    assert parts[0].keys() == parts[1].keys()
    # The same bytes, except that the document properties may be written in another order.
    assert [n for n in parts[0] if parts[0][n] != parts[1][n]] in ([], ["docProps/core.xml"])
    properties = [Document(str(f)).core_properties for f in (from_file, in_memory)]
    names = ("title", "subject", "author", "keywords", "comments", "identifier", "language", "created", "last_printed")
    assert [getattr(properties[0], n) for n in names] == [getattr(properties[1], n) for n in names]


def test_excel_template_named_cells_and_protection(excel_file, config):
    workbook = openpyxl.load_workbook(excel_file)
    assert workbook.sheetnames == [SHEET_RETURN, SHEET_INDICATORS, SHEET_CASE_STUDIES]
    names = workbook.defined_names
    for field in ["agency_id", "agency_name", "period", *SECTION_FIELDS, *CONTACT_FIELDS]:
        sheet_name, cells = next(names[field].destinations)
        assert sheet_name == SHEET_RETURN
        cell = workbook[sheet_name][cells.replace("$", "")]
        assert cell.column_letter == "B"
        label = workbook[sheet_name].cell(cell.row, 1)
        assert label.value and label.protection.locked
        expected_locked = field in ("agency_id", "period")
        assert cell.protection.locked is expected_locked, field
    sheet = workbook[SHEET_RETURN]
    assert sheet.protection.sheet and not sheet.protection.password
    value = lambda name: workbook[SHEET_RETURN][next(names[name].destinations)[1].replace("$", "")].value
    assert (value("agency_id"), value("period"), value("agency_name")) == ("koala", "2023-24", "Koala North West")
    assert value("about") is None
    about_label = sheet.cell(int(next(names["about"].destinations)[1].split("$")[-1]), 1).value
    assert about_label.startswith("About our agency and what we do") and "Up to 300 words" in about_label
    for number in range(1, CASE_STUDY_COUNT + 1):
        for field in case_study_fields(number):
            assert next(names[field].destinations)[0] == SHEET_CASE_STUDIES


def test_excel_indicators_sheet(excel_file):
    workbook = openpyxl.load_workbook(excel_file)
    sheet = workbook[SHEET_INDICATORS]
    assert [c.value for c in sheet[1]] == list(INDICATOR_COLUMNS)
    assert sheet["A1"].fill.fgColor.rgb == "FF1B3A6B"
    assert not sheet["B2"].protection.locked and sheet["A1"].protection.locked
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    unit = rules[f"C2:C{INDICATOR_ROWS + 1}"]
    assert unit.type == "list" and unit.formula1 == '"%,£,count"'
    assert rules[f"B2:B{INDICATOR_ROWS + 1}"].prompt


def test_excel_properties_identify_the_return(excel_file):
    props = openpyxl.load_workbook(excel_file).properties
    assert parse_identifier(props.identifier).agency_id == "koala"
    assert props.language == "en-GB"


def test_templates_are_deterministic(tmp_path, config):
    agencies = config.model_copy(update={"agencies": config.agencies[:2]})
    first = write_templates(tmp_path / "a", agencies)
    second = write_templates(tmp_path / "b", agencies)
    for one, two in zip(first, second):
        for a, b in ((one.word, two.word), (one.excel, two.excel)):
            assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest(), a.name


def test_templates_command_writes_both_formats_for_every_agency(tmp_path, config, capsys):
    assert main(["templates", "--out", str(tmp_path), "--inputs", str(SAMPLE_INPUTS)]) == 0
    for agency in config.agencies:
        assert (tmp_path / f"{agency.id}.docx").is_file()
        assert (tmp_path / f"{agency.id}.xlsx").is_file()
    printed = capsys.readouterr().out
    assert "Koala North West" in printed and "koala.xlsx" in printed


def test_templates_command_reports_a_broken_config(tmp_path, capsys):
    (tmp_path / "report.yaml").write_text("partnership: {}\n", encoding="utf-8")
    assert main(["templates", "--out", str(tmp_path / "out"), "--inputs", str(tmp_path)]) == 1
    assert not (tmp_path / "out").exists()


def test_templates_command_writes_the_briefing_template_beside_the_returns(tmp_path):
    out = tmp_path / "out"
    assert main(["templates", "--out", str(out), "--inputs", str(SAMPLE_INPUTS)]) == 0
    briefing = Document(str(out / "7-minute-briefing.docx"))
    tags = {t.get(qn("w:val")) for t in briefing.element.body.iter(qn("w:tag"))}
    assert {"briefing_title", "briefing_date", "briefing_audience", "section_7_text"} <= tags
    assert briefing.paragraphs[0].text == "7-minute briefing"


def _type_into_word(path: Path, answers: dict[str, str]) -> None:
    """What a person does: click a control and type; Word then stops showing the placeholder."""
    document = Document(str(path))
    for sdt in document.element.body.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        tag = pr.find(qn("w:tag")).get(qn("w:val"))
        if tag not in answers:
            continue
        pr.remove(pr.find(qn("w:showingPlcHdr")))
        texts = list(sdt.find(qn("w:sdtContent")).iter(qn("w:t")))
        texts[0].text = answers[tag]
        for extra in texts[1:]:
            extra.text = ""
    document.save(path)


def test_filled_templates_come_back_through_check(tmp_path, config):
    pytest.importorskip("assembler.intake")
    from assembler.intake import read_returns

    answers = {
        "about": "We are a small charity supporting families in Birkenhead.",
        "activity": "This year we ran forty parenting groups.",
        "priorities": "Next year we will train every volunteer again.",
    }
    koala, catch22 = config.agency("koala"), config.agency("catch22")
    returns = tmp_path / "returns"
    word = write_word_template(returns / "renamed by the agency.docx", koala, config)
    _type_into_word(word, answers)
    excel = write_excel_template(returns / "catch22.xlsx", catch22, config)
    workbook = openpyxl.load_workbook(excel)
    for name, text in answers.items():
        sheet, cell = next(workbook.defined_names[name].destinations)
        workbook[sheet][cell.replace("$", "")].value = text
    workbook[SHEET_INDICATORS]["A2"], workbook[SHEET_INDICATORS]["B2"] = "Families supported", "1,257"
    workbook.save(excel)

    intake = read_returns([returns], config, tmp_path / "images")
    by_agency = {s.agency_id: s for s in intake.accepted}
    assert set(by_agency) == {"koala", "catch22"}
    for submission in by_agency.values():
        for key, text in answers.items():
            assert " ".join(b.runs[0].text for b in submission.section(SectionKey(key))) == text
    assert by_agency["catch22"].indicators[0].value == 1257


def test_excel_cells_to_fill_are_shaded_as_the_instructions_say(excel_file):
    book = openpyxl.load_workbook(excel_file)
    assert "shaded cells" in book["Return"]["A2"].value
    unlocked = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.protection.locked is False]
    assert len(unlocked) > 20
    for cell in unlocked:
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb not in ("FFFFFFFF", "00000000"), cell.coordinate
    locked_shaded = [cell.coordinate for row in book["Return"].iter_rows(min_row=7) for cell in row
                     if cell.protection.locked is not False and cell.fill.fgColor.rgb == "FFFFF4CE"]
    assert locked_shaded == [], "only the cells to fill in are shaded"


def test_word_instructions_describe_what_every_program_shows(word_file):
    text = " ".join(p.text for p in Document(str(word_file)).paragraphs)
    assert "grey prompt text" in text and "grey boxes" not in text


@pytest.mark.libreoffice
def test_excel_return_prints_one_page_wide(excel_file, tmp_path):
    """Printed (LibreOffice's PDF of it), each label and its answer column share a page: before, column B
    printed on pages of its own."""
    import shutil
    import subprocess

    from pypdf import PdfReader

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(excel_file)],
                   check=True, capture_output=True, timeout=120, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    if not (tmp_path / "koala.pdf").is_file() and not REQUIRE_TOOLS:
        pytest.skip("LibreOffice Calc is not installed (.ci/run installs libreoffice-calc-nogui)")
    pages = [page.extract_text() for page in PdfReader(tmp_path / "koala.pdf").pages]
    first = next(text for text in pages if "Agency name" in text)
    assert "Your answer" in first
    assert len(pages) <= 4, f"{len(pages)} pages for three sheets"
