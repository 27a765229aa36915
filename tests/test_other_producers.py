"""Returns made by other programs than Word and Excel on Windows: LibreOffice, Google Docs and Sheets, Strict Open
XML, exporters that write their own XML. Each is generated here, and what it says must reach the report (or be
refused with what to ask for); what it hid must not.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from assembler.readers.safety import Rejection
from assembler.readers.xlsx_return import read_xlsx
from tests.conftest import SAMPLE_INPUTS
from test_readers_builders import ABOUT, ACTIVITY, PRIORITIES, rows_workbook

# Transitional namespaces and their Strict Open XML names (ECMA-376 Part 1, Strict conformance).
STRICT_NAMES = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
}


def rewrite_parts(path: Path, change) -> Path:
    """The package at `path` with every part's bytes passed through `change(name, data)`."""
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            package.writestr(info, change(info.filename, data))
    return path


def as_strict(path: Path) -> Path:
    """Every part and relationship in Strict Open XML's namespaces, as Excel's 'Strict Open XML Spreadsheet' saves."""
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data  # content types are the same in both
        for transitional, strict in STRICT_NAMES.items():
            data = data.replace(transitional, strict)
        return data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1) if name == "xl/workbook.xml" else data
    return rewrite_parts(path, change)


def checked(tmp_path: Path, replaced: str, name: str, make) -> dict:
    """check's JSON export for the sample partnership with the return `replaced` swapped for `make(path)`."""
    from assembler.cli import main

    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    (inputs / "returns" / replaced).unlink()
    make(inputs / "returns" / name)
    export = tmp_path / "returns.json"
    main(["check", "--inputs", str(inputs), "--json", str(export), "--chase-out", str(tmp_path / "chase")])
    return json.loads(export.read_text())


def nwas_workbook(path: Path) -> Path:
    return rows_workbook(path, [["North West Ambulance Service NHS Trust"],
                                ["About our agency and what we do", ABOUT],
                                ["2023 activity and what we would like to celebrate", ACTIVITY],
                                ["Planned safeguarding priorities for 2024", PRIORITIES]],
                         [["Indicator", "Value"], ["Referrals raised by crews", 3908]])


# --- Strict Open XML ---------------------------------------------------------------------------------------

def test_a_strict_open_xml_workbook_is_refused_with_what_to_ask_for_not_read_as_empty(tmp_path):
    strict = as_strict(nwas_workbook(tmp_path / "nwas.xlsx"))
    with pytest.raises(Rejection, match="Strict Open XML Spreadsheet") as refused:
        read_xlsx(strict, tmp_path / "img")
    assert "'Excel Workbook (.xlsx)'" in refused.value.fix


def test_check_lists_a_strict_workbook_as_rejected_with_the_fix(tmp_path):
    data = checked(tmp_path, "NWAS_WSCP_return_2324.xlsx", "NWAS strict.xlsx",
                   lambda path: as_strict(nwas_workbook(path)))
    [rejected] = [p for p in data["rejected"] if p["file"].endswith("NWAS strict.xlsx")]
    assert rejected["severity"] == "error"
    assert rejected["message"] == "The file was saved as 'Strict Open XML Spreadsheet', which the report cannot read."
    assert rejected["fix"] == ("Ask the agency to open it in Excel, choose File > Save As, pick 'Excel Workbook (.xlsx)' "
                               "and send that file.")
    assert not [s for s in data["submissions"] if any(src["path"].endswith("NWAS strict.xlsx")
                                                      for src in s["section_sources"].values() if src)]


# --- our Word template filled in or saved by LibreOffice: its block-level boxes are gone ----------------------

def without_block_controls(path: Path) -> Path:
    """The file as LibreOffice saves it: each block-level content control unwrapped to the paragraphs and
    tables it held, the inline ones kept without their tags (LibreOffice 7 keeps only their alias)."""
    from docx.oxml.ns import qn
    from lxml import etree

    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        root = etree.fromstring(data)
        for sdt in list(root.iter(qn("w:sdt"))):
            content = sdt.find(qn("w:sdtContent"))
            if content is not None and any(child.tag in (qn("w:p"), qn("w:tbl")) for child in content):
                for child in list(content):
                    sdt.addprevious(child)
                sdt.getparent().remove(sdt)
        for tag in list(root.iter(qn("w:tag"))):
            tag.getparent().remove(tag)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return rewrite_parts(path, change)


FILLED = {
    "about": ["Forum Housing houses young people aged 16 to 25 in Birkenhead.", "- Care leavers", "- Young parents"],
    "activity": "We introduced a night check-in for residents aged 16 and 17.",
    "priorities": ["- Train all night staff in recognising exploitation."],
    "contact_name": "Michelle Owens",
    "contact_email": "safeguarding@forumhousing.example",
    "case_study_2_title": "A safe place for Jay",
    "case_study_2_text": "Jay moved in after sofa-surfing for a month.",
}
TEMPLATE_WORDS = ("Describe your agency", "Tell us what your agency did", "List your agency's",
                  "One figure per row", "A short story of a child", "Click or tap here", "Return reference",
                  "Please write under each heading")


def forum_template(path: Path, values: dict | None = None) -> Path:
    from assembler.config import load_config
    from assembler.templates_out.word import write_word_template
    from test_readers_builders import fill_word_template

    config = load_config(SAMPLE_INPUTS / "report.yaml")
    blank = write_word_template(path.with_name("blank-" + path.name), config.agency("forum-housing"), config)
    if values is None:
        return blank
    return fill_word_template(blank, path, values, indicators=[["Residents", "212", "", "2023-24", ""]])


def _summary(content) -> dict:
    from assembler.schema import plain_text

    return {"sections": {key: [(type(b).__name__, plain_text([b])) for b in blocks] for key, blocks in content.sections.items()},
            "cases": [(c.title, plain_text(c.blocks)) for c in content.case_studies],
            "figures": [(i.label, i.value) for i in content.indicators], "contact": content.contact,
            "name": content.agency_name, "period": content.period, "template": content.is_template}


def test_our_template_without_its_boxes_reads_as_it_does_with_them(tmp_path):
    from assembler.readers.docx_return import read_docx

    filled = forum_template(tmp_path / "forum.docx", FILLED)
    in_word = read_docx(filled, tmp_path / "img")
    saved_elsewhere = read_docx(without_block_controls(filled), tmp_path / "img")
    assert _summary(saved_elsewhere) == _summary(in_word)
    assert [("A safe place for Jay", "Jay moved in after sofa-surfing for a month.")] == _summary(in_word)["cases"]
    [note] = [n for n in saved_elsewhere.notes if n.code == "template_boxes_lost"]
    assert note.severity == "note" and "read by its headings" in note.message
    assert [n.code for n in saved_elsewhere.notes] == ["template_boxes_lost"]


def test_a_blank_template_without_its_boxes_is_still_a_blank_template(tmp_path):
    from assembler.intake import _is_blank_template
    from assembler.readers.docx_return import read_docx

    content = read_docx(without_block_controls(forum_template(tmp_path / "forum.docx")), tmp_path / "img")
    assert _is_blank_template(content), _summary(content)


def _through_libreoffice(source: Path, target: Path) -> Path:
    """Opened and saved as Word by LibreOffice, as an agency without Word does."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    out = target.parent / "lo-out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{target.parent / 'lo-profile'}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    shutil.move(out / (source.stem + ".docx"), target)
    return target


@pytest.mark.libreoffice
def test_check_reads_a_template_saved_by_libreoffice_without_the_template_s_prompts(tmp_path):
    source = forum_template(tmp_path / "made" / "forum.docx", FILLED)
    data = checked(tmp_path, "Forum Housing WSCP return.docx", "Forum Housing WSCP return.docx",
                   lambda path: _through_libreoffice(source, path))
    [forum] = [s for s in data["submissions"] if s["agency_id"] == "forum-housing"]
    text = json.dumps(forum["sections"]) + json.dumps(forum["case_studies"])
    for words in ("houses young people aged 16 to 25", "Care leavers", "night check-in",
                  "recognising exploitation", "A safe place for Jay", "sofa-surfing"):
        assert words in text, words
    assert not [w for w in TEMPLATE_WORDS if w in text]
    assert [c["title"] for c in forum["case_studies"]] == ["A safe place for Jay"]
    assert forum["contact"]["name"] == "Michelle Owens"
    codes = [p["code"] for p in forum["problems"]]
    assert "placeholder_text" not in codes and "text_before_sections" not in codes and "prose_under_indicators" not in codes
    [note] = [p for p in forum["problems"] if p["code"] == "template_boxes_lost"]
    assert note["severity"] == "note" and note["file"].endswith("Forum Housing WSCP return.docx")


# --- tables as Word and other programs write them: rows that start late, and hidden rows ----------------------

HIDDEN_ROW = "Thurstaston secret placement address"


def tables_return(path: Path) -> Path:
    """MFRS's return with a table whose third row starts one column in (w:gridBefore) and whose fourth row is
    hidden (w:trPr/w:hidden), as a row hidden in Word or written by another program is."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def p(text: str, style: str | None = None) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f"<w:p {nsdecls('w')}>{ppr}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"

    def row(cells: list[str], tr_pr: str = "") -> str:
        tcs = "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells)
        return f"<w:tr>{'<w:trPr>' + tr_pr + '</w:trPr>' if tr_pr else ''}{tcs}</w:tr>"

    table = (f"<w:tbl {nsdecls('w')}><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
             + row(["Team", "Station", "Home visits"], "<w:tblHeader/>") + row(["Prevention", "Birkenhead", "120"])
             + row(["Heswall", "40"], '<w:gridBefore w:val="1"/>')
             + row(["Fostering", HIDDEN_ROW, "7"], "<w:hidden/>") + "</w:tbl>")
    document = docx.Document()
    body = document.element.body
    for xml in (p("Merseyside Fire and Rescue Service", "Title"), p("About our agency and what we do", "Heading1"),
                p("We run fire stations across Wirral."), table,
                p("2023 activity and what we would like to celebrate", "Heading1"), p("We fitted 1,204 smoke alarms."),
                p("Planned safeguarding priorities for 2024", "Heading1"), p("Keep training up to date.")):
        body[-1].addprevious(parse_xml(xml))
    document.save(path)
    return path


def test_a_row_that_starts_late_keeps_its_cells_under_their_headings_and_a_hidden_row_is_not_read(tmp_path):
    from assembler.readers.docx_return import read_docx
    from assembler.schema import Table

    content = read_docx(tables_return(tmp_path / "mfrs.docx"), tmp_path / "img")
    [table] = [b for b in content.sections["about"] if isinstance(b, Table)]
    assert table.header_rows == [["Team", "Station", "Home visits"]]
    assert table.rows == [["Prevention", "Birkenhead", "120"], ["", "Heswall", "40"]]
    [hidden] = [n for n in content.notes if n.code == "hidden_text"]
    assert hidden.message.startswith("1 passage of hidden text (6 words) was not published")


def test_a_hidden_bold_first_row_does_not_make_the_first_row_read_a_header(tmp_path):
    """With no row marked as the header, a first row all in bold is one: the first row that is read, not a hidden
    one above it ('Ashgrove | 40' was made the header because the hidden row was bold)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from assembler.readers.docx_return import read_docx
    from assembler.schema import Table

    def row(cells: list[str], bold: bool = False, hidden: bool = False) -> str:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        tcs = "".join(f"<w:tc><w:p><w:r>{rpr}<w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells)
        return f"<w:tr>{'<w:trPr><w:hidden/></w:trPr>' if hidden else ''}{tcs}</w:tr>"

    document = docx.Document()
    document.add_paragraph("About our agency and what we do", style="Heading 1")
    document.element.body[-1].addprevious(parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        + row(["Internal", HIDDEN_ROW], bold=True, hidden=True) + row(["Ashgrove", "40"]) + row(["Fernley", "12"])
        + "</w:tbl>"))
    document.save(tmp_path / "return.docx")
    [table] = [b for b in read_docx(tmp_path / "return.docx", tmp_path / "img").sections["about"] if isinstance(b, Table)]
    assert table.header_rows == [] and table.rows == [["Ashgrove", "40"], ["Fernley", "12"]]


def test_the_report_leaves_out_a_hidden_table_row_and_check_reports_it(tmp_path):
    from conftest import build_with_return_replaced

    from assembler.checks.nothing_lost import docx_text, pdf_text, words

    out, data = build_with_return_replaced(tmp_path, "MFRS WSCP return 2023-24.docx", tables_return, "report")
    for text in (docx_text(out / "annual-report.docx"), pdf_text(out / "annual-report.pdf")):
        assert "thurstaston" not in words(text) and "heswall" in words(text)
    [mfrs] = [s for s in data["submissions"] if s["agency_id"] == "mfrs"]
    [hidden] = [p for p in mfrs["problems"] if p["code"] == "hidden_text"]
    assert hidden["message"].startswith("1 passage of hidden text (6 words) was not published")
    assert "Thurstaston" not in hidden["message"] + hidden["fix"]


# --- error values in a workbook's figures: questioned, never printed as a figure -------------------------------

def figures_with_errors(path: Path) -> Path:
    """NWAS's figures as another program saved them: one cell the error #N/A, one a formula whose saved result
    is #DIV/0! (openpyxl writes neither, so the sheet's XML is rewritten)."""
    nwas_workbook(path)
    book_rows = [["Indicator", "Value"], ["Referrals raised by crews", 3908], ["Crews trained at level 3", "NA-CELL"],
                 ["Referrals per crew", "DIV-CELL"]]
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Indicators"]
    for row in book_rows[2:]:
        sheet.append(row)
    book.save(path)

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet2.xml":
            return data
        data = data.replace(b'<c r="B3" t="inlineStr"><is><t>NA-CELL</t></is></c>', b'<c r="B3" t="e"><v>#N/A</v></c>')
        data = data.replace(b'<c r="B4" t="inlineStr"><is><t>DIV-CELL</t></is></c>',
                            b'<c r="B4" t="e"><f>B2/0</f><v>#DIV/0!</v></c>')
        assert b"#N/A" in data and b"#DIV/0!" in data
        return data
    return rewrite_parts(path, change)


def test_an_error_value_in_the_figures_is_questioned_and_prints_not_available_once_accepted(tmp_path):
    from assembler.checks.nothing_lost import docx_text, pdf_text
    from assembler.cli import main

    data = checked(tmp_path, "NWAS_WSCP_return_2324.xlsx", "NWAS_WSCP_return_2324.xlsx", figures_with_errors)
    [nwas] = [s for s in data["submissions"] if s["agency_id"] == "nwas"]
    found = {p["field"]: p for p in nwas["problems"] if p["code"] == "spreadsheet_error"}
    assert found["indicator 'Crews trained at level 3'"]["message"] == (
        "the value is the spreadsheet error '#N/A' (a formula that could not be worked out), so the key figure "
        "would print 'not available'")
    assert found["indicator 'Referrals per crew'"]["severity"] == "error"  # rules: not_available, as a blank figure
    assert found["indicator 'Referrals per crew'"]["fix"] == (
        "ask the agency to correct the formula, or to type the figure for 'Referrals per crew'; or accept it "
        "under indicators: not_available: in report.yaml")
    assert not [p for p in nwas["problems"] if p["code"] == "not_a_number"]
    # The officer accepts both as not available: the report prints that, never the error.
    config = tmp_path / "inputs" / "report.yaml"
    accepted = "".join(f"    - agency: nwas\n      indicator: {label}\n      reason: the agency's formula fails\n"
                       for label in ("Crews trained at level 3", "Referrals per crew"))
    config.write_text(config.read_text().replace("  not_available:\n", "  not_available:\n" + accepted, 1))
    out = tmp_path / "out"
    assert main(["build", "--inputs", str(tmp_path / "inputs"), "--out", str(out), "--only", "report"]) == 0
    for text in (docx_text(out / "annual-report.docx"), pdf_text(out / "annual-report.pdf")):
        assert "#N/A" not in text and "#DIV/0!" not in text
        assert " ".join(text.split()).count("Referrals per crew not available") == 1, text[-3000:]


def test_an_agency_s_own_document_carrying_the_template_s_identifier_is_read_as_before(tmp_path):
    """No template line in it (the agency kept the file's properties and typed its own document): no note, and
    its first line is still its name."""
    import sys

    from assembler.readers.docx_return import read_docx

    sys.path.insert(0, str(SAMPLE_INPUTS.parent / "bench"))
    from make_partnership import make_partnership

    inputs = make_partnership(2, tmp_path / "partnership")
    word = sorted(p for p in (inputs / "returns").iterdir() if p.suffix == ".docx")[0]
    content = read_docx(word, tmp_path / "img")
    assert content.identity is not None and not content.is_template
    assert not [n for n in content.notes if n.code == "template_boxes_lost"]
    assert content.agency_name and content.agency_name.split()[0] in word.name


def test_an_agency_s_own_document_carrying_the_identifier_is_read_once(tmp_path):
    """It was read twice into the same return (once looking for the template's lines, then as before): each
    warning came twice and each count doubled ('2 pictures' for one)."""
    import io

    import docx

    from assembler.readers.docx_return import read_docx
    from test_readers_builders import png_bytes

    document = docx.Document()
    document.add_paragraph("Fernley Youth Trust", style="Title")
    document.add_picture(io.BytesIO(png_bytes()))
    for heading, text in (("About our agency and what we do", "We run clubs."),
                          ("2023 activity and what we would like to celebrate", "We ran a camp."),
                          ("Planned safeguarding priorities for 2024", "More camps."),
                          ("Who to contact about this return", "Jane Smith, who has led our safeguarding work for "
                                                               "ten years, would be glad to hear from you.")):
        document.add_heading(heading, 1)
        document.add_paragraph(text)
    document.save(tmp_path / "own.docx")
    document.core_properties.identifier = "assembler-return;agency=fernley;period=2023-24;version=1"
    document.save(tmp_path / "own-with-identifier.docx")

    def notes(name: str) -> list[tuple[str, str]]:
        return [(n.code, n.message) for n in read_docx(tmp_path / name, tmp_path / "img").notes]

    assert notes("own-with-identifier.docx") == notes("own.docx")
    assert [code for code, _ in notes("own.docx")] == ["prose_under_contact", "pictures_outside_sections"]
