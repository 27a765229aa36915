"""Nothing an agency hid in an Excel return is published, and a chart sheet does not sink the return.

The workbooks are generated here: a hidden and a 'very hidden' sheet, hidden rows and a hidden
column, and a chart sheet. Their content is never read, and the return's notes say what was left out.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from assembler.checks.nothing_lost import docx_text, pdf_text, words
from assembler.readers.xlsx_return import read_xlsx
from assembler.schema import plain_text
from tests.conftest import build_with_return_replaced

# One made-up word per hiding place: found anywhere in what was read or printed, that place leaked.
SECRETS = {"hidden sheet": "Zanzibarnote", "very hidden sheet": "Quillonvery", "hidden row": "Marrowrow",
           "hidden column": "Pelicancolumn", "hidden indicator row": "Thistlefigure"}
VISIBLE = ("Visibleabout", "Visibleactivity", "Visiblepriority", "Visiblebelow")


def hidden_workbook(path: Path, chart: bool = False) -> Path:
    """A free-form NWAS return that hides something in every way Excel can, and optionally has a chart sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append(["North West Ambulance Service NHS Trust - WSCP return 2023-24"])
    ws.append(["About our agency and what we do", "We are the ambulance service for the North West. Visibleabout.",
               f"{SECRETS['hidden column']} draft wording"])
    ws.append(["2023 activity and what we would like to celebrate", "Our crews raised 3,908 referrals. Visibleactivity."])
    ws.append([f"{SECRETS['hidden row']} child X in case 4411 was missed."])  # under the activity heading: would join it
    ws.row_dimensions[4].hidden = True
    ws.append(["Crews trained in the new pathway. Visiblebelow."])
    ws.append(["Planned safeguarding priorities for 2024", "Improve referral quality. Visiblepriority."])
    ws.append(["E-mail", "safeguarding@nwas.example"])
    ws.column_dimensions["C"].hidden = True
    indicators = wb.create_sheet("Indicators")
    indicators.append(["Indicator", "Value", "Period"])
    indicators.append(["Referrals raised by crews", 3908, "2023-24"])
    indicators.append([f"{SECRETS['hidden indicator row']} draft figure not yet validated", 999, "2023-24"])
    indicators.row_dimensions[3].hidden = True
    notes = wb.create_sheet("Internal notes")
    notes.append(["2023 activity and what we would like to celebrate", f"{SECRETS['hidden sheet']} do not publish."])
    notes.sheet_state = "hidden"
    lookups = wb.create_sheet("Lookups")
    lookups.append([f"{SECRETS['very hidden sheet']} list values"])
    lookups.sheet_state = "veryHidden"
    if chart:
        sheet = wb.create_chartsheet("Chart1")
        bars = BarChart()
        bars.add_data(Reference(indicators, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        sheet.add_chart(bars)
    wb.save(path)
    return path


def _everything_read(content) -> str:
    """Every text the reader handed back, wherever it put it."""
    parts = [plain_text(blocks) for blocks in content.sections.values()]
    parts += [f"{i.label} {i.raw} {i.note}" for i in content.indicators]
    parts += [f"{label} {value}" for label, value in content.labels]
    parts += [content.title_text, content.agency_name or "", content.period or "", str(content.contact)]
    return "\n".join(parts)


def _leaked(text: str) -> list[str]:
    found = set(words(text))
    return [place for place, secret in SECRETS.items() if words(secret)[0] in found]


def test_hidden_sheets_rows_and_columns_are_not_read_and_are_reported(tmp_path):
    content = read_xlsx(hidden_workbook(tmp_path / "nwas.xlsx"), tmp_path / "img")
    text = _everything_read(content)
    assert _leaked(text) == []
    for word in VISIBLE:
        assert word in text, word
    assert "Visiblebelow" in plain_text(content.sections["activity"])  # the row below the hidden one still joins its section
    assert [i.label for i in content.indicators] == ["Referrals raised by crews"]
    [note] = [n for n in content.notes if n.field == "hidden content"]
    assert note.code == "hidden_text" and note.severity == "warning"
    assert note.message.startswith("2 hidden sheets ('Internal notes', 'Lookups'), 2 hidden rows and 1 hidden column")
    assert "were not published" in note.message
    assert _leaked(note.message + note.fix) == []  # the report names no hidden word


def test_an_empty_hidden_row_or_sheet_hides_nothing_and_is_not_reported(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Agency", "Wirral Public Health"])
    ws.append(["About our agency and what we do", "We lead public health."])
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["F"].hidden = True
    wb.create_sheet("Spare").sheet_state = "hidden"
    wb.save(tmp_path / "ph.xlsx")
    content = read_xlsx(tmp_path / "ph.xlsx", tmp_path / "img")
    assert plain_text(content.sections["about"]) == "We lead public health."
    assert not [n for n in content.notes if n.field == "hidden content"]


def test_a_chart_sheet_is_skipped_and_reported_and_the_rest_is_read(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append(["Wirral Public Health"])
    ws.append(["About our agency and what we do", "We lead public health for Wirral. Chartabout."])
    indicators = wb.create_sheet("Indicators")
    indicators.append(["Indicator", "Value", "Period"])
    indicators.append(["School sessions", 40, "2023-24"])
    sheet = wb.create_chartsheet("Chart1")
    bars = BarChart()
    bars.add_data(Reference(indicators, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    sheet.add_chart(bars)
    wb.save(tmp_path / "ph.xlsx")
    content = read_xlsx(tmp_path / "ph.xlsx", tmp_path / "img")
    assert "Chartabout" in plain_text(content.sections["about"])
    assert [(i.label, i.value) for i in content.indicators] == [("School sessions", 40)]
    [note] = [n for n in content.notes if n.field == "chart sheets"]
    assert note.message.startswith("1 chart sheet ('Chart1') was not read")
    assert "copy its figures into the return's table" in note.fix


def test_a_data_workbook_with_a_chart_sheet_reads_its_tables(tmp_path):
    from assembler.content.workbooks import DATA_DIR, load_workbooks

    (tmp_path / DATA_DIR).mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Referrals"
    ws.append(["Quarter", "Referrals"])
    ws.append(["Q1", 120])
    sheet = wb.create_chartsheet("Chart1")
    bars = BarChart()
    bars.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    sheet.add_chart(bars)
    wb.save(tmp_path / DATA_DIR / "figures.xlsx")
    tables, problems = load_workbooks(tmp_path)
    assert problems == [] and list(tables) == ["figures.referrals"]


# --- end to end: the sample partnership with NWAS's return replaced by one that hides things ---------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_with_return_replaced(tmp_path_factory.mktemp("partnership"), "NWAS_WSCP_return_2324.xlsx",
                                      lambda path: hidden_workbook(path, chart=True), "report", "web")


def test_the_outputs_print_the_visible_words_and_nothing_hidden(built):
    from assembler.checks.html_text import html_main_text

    out, _ = built
    pages = "\n".join(html_main_text(page.read_text(encoding="utf-8")) for page in sorted(out.rglob("*.html")))
    for name, text in (("pdf", pdf_text(out / "annual-report.pdf")), ("docx", docx_text(out / "annual-report.docx")),
                       ("web", pages)):
        assert _leaked(text) == [], name
        for word in VISIBLE:
            assert word.casefold() in words(text), (name, word)


def test_check_reports_the_hidden_content_and_the_chart_sheet_for_the_return(built):
    _, data = built
    [nwas] = [s for s in data["submissions"] if s["agency_id"] == "nwas"]
    problems = {p["field"]: p for p in nwas["problems"]}
    for field in ("hidden content", "chart sheets"):
        assert problems[field]["severity"] == "warning" and problems[field]["file"].endswith("NWAS_WSCP_return_2324.xlsx"), field
    assert "hidden sheets ('Internal notes', 'Lookups')" in problems["hidden content"]["message"]
    assert "2 hidden rows" in problems["hidden content"]["message"]
    assert "1 chart sheet ('Chart1') was not read" in problems["chart sheets"]["message"]


# --- a row 0 high and a column 0 wide: how LibreOffice, Google Sheets and some exporters hide them ---------

def _zero_size(path: Path, sheet_part: str, row: int, column: int) -> Path:
    """Rewrite a saved workbook so that `row` is 0 high and `column` 0 wide, neither marked hidden
    (openpyxl leaves a height of 0 unwritten)."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        parts = {info: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.items():
            if info.filename == sheet_part:
                data = data.replace(f'<row r="{row}"'.encode(), f'<row r="{row}" ht="0" customHeight="1"'.encode())
                data = data.replace(b"<sheetData>", f'<cols><col min="{column}" max="{column}" width="0" '
                                                    f'customWidth="1"/></cols><sheetData>'.encode())
                assert b'ht="0"' in data and b'width="0"' in data and b"hidden" not in data
            package.writestr(info, data)
    return path


def zero_size_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append(["North West Ambulance Service NHS Trust - WSCP return 2023-24"])
    ws.append(["About our agency and what we do", "We are the ambulance service for the North West. Visibleabout."])
    ws.append(["2023 activity and what we would like to celebrate", "Our crews raised 3,908 referrals. Visibleactivity."])
    ws.append([f"{SECRETS['hidden row']} child X in case 4411 was missed."])  # row 4: 0 high
    ws.append(["Planned safeguarding priorities for 2024", "Improve referral quality. Visiblepriority."])
    ws.append(["Contact name", "Pat Doyle", f"{SECRETS['hidden column']} draft wording"])  # column C: 0 wide
    wb.save(path)
    return _zero_size(path, "xl/worksheets/sheet1.xml", row=4, column=3)


def test_a_row_of_height_0_and_a_column_of_width_0_are_hidden_not_published(tmp_path):
    content = read_xlsx(zero_size_workbook(tmp_path / "nwas.xlsx"), tmp_path / "img")
    text = _everything_read(content)
    assert _leaked(text) == []
    assert "Visibleactivity" in plain_text(content.sections["activity"]) and content.contact.name == "Pat Doyle"
    [note] = [n for n in content.notes if n.field == "hidden content"]
    assert note.message.startswith("1 hidden row and 1 hidden column (")


def test_check_and_the_report_leave_out_a_row_0_high(tmp_path):
    out, data = build_with_return_replaced(tmp_path, "NWAS_WSCP_return_2324.xlsx", zero_size_workbook, "report")
    for text in (pdf_text(out / "annual-report.pdf"), docx_text(out / "annual-report.docx")):
        assert _leaked(text) == [] and "visibleactivity" in words(text)
    [nwas] = [s for s in data["submissions"] if s["agency_id"] == "nwas"]
    [hidden] = [p for p in nwas["problems"] if p["field"] == "hidden content"]
    assert hidden["message"].startswith("1 hidden row and 1 hidden column (")
    assert hidden["file"].endswith("NWAS_WSCP_return_2324.xlsx")
