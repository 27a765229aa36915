"""The Excel reader: the generated template by defined names, and agencies' own label/value sheets."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from assembler.config import load_config
from assembler.readers.xlsx_return import read_xlsx
from assembler.schema import ListBlock, plain_text
from assembler.templates_out.excel import write_excel_template
from assembler.template_fields import SHEET_CASE_STUDIES, SHEET_INDICATORS
from test_readers_builders import ABOUT, ACTIVITY, PRIORITIES, rows_workbook

REPO = Path(__file__).resolve().parent.parent
HEADER = ["Indicator", "Value", "Period", "Note"]


def test_label_value_rows_and_indicators(tmp_path):
    path = rows_workbook(tmp_path / "wchc.xlsx", [
        ["Agency", "Wirral Community Health & Care NHS FT"],
        ["Period", "2023/24"],
        ["About our agency and what we do", ABOUT + "\n• Health visiting\n• School nursing"],
        ["2023 activity and what we would like to celebrate", ACTIVITY],
        ["Planned safeguarding priorities for 2024", PRIORITIES],
        ["Contact name", "Claire Devlin"],
        ["Contact e-mail", "safeguarding@wchc.example"],
    ], [
        HEADER,
        ["CLA with an up-to-date review health assessment", 0.912, "Q2 2023-24", None],
        ["CLA with a named health professional", "98.7 %", "Q2 2023-24", None],
        ["Calls to the safeguarding advice line", "1,257", "2023-24", None],
        ["Budget", "£34,000", "2023-24", "core grant"],
    ], formats={"B2": "0.0%"})
    content = read_xlsx(path, tmp_path / "img")
    assert content.agency_name == "Wirral Community Health & Care NHS FT"
    assert content.period == "2023-24" and content.activity_year == 2023
    about = content.sections["about"]
    assert plain_text(about) == f"{ABOUT}\nHealth visiting\nSchool nursing" and isinstance(about[1], ListBlock)
    assert plain_text(content.sections["activity"]) == ACTIVITY
    assert plain_text(content.sections["priorities"]) == PRIORITIES
    assert [(i.value, i.unit, i.raw) for i in content.indicators] == [
        (91.2, "%", "0.912"), (98.7, "%", "98.7 %"), (1257, None, "1,257"), (34000, "£", "£34,000")]
    assert content.indicators[3].note == "core grant"
    assert content.contact.name == "Claire Devlin" and content.contact.email == "safeguarding@wchc.example"


def test_section_text_in_the_rows_below_its_heading(tmp_path):
    path = rows_workbook(tmp_path / "nwas.xlsx", [
        ["North West Ambulance Service"],
        ["About our agency and what we do"],
        ["First paragraph."],
        ["- a bullet"],
        ["2023 activity and what we would like to celebrate"],
        [ACTIVITY],
        ["Planned safeguarding priorities for 2024"],
        [PRIORITIES],
    ])
    content = read_xlsx(path, tmp_path / "img")
    assert content.agency_name == "North West Ambulance Service"
    assert plain_text(content.sections["about"]) == "First paragraph.\na bullet"
    assert plain_text(content.sections["priorities"]) == PRIORITIES


def test_formula_without_a_saved_value_is_named(tmp_path):
    path = rows_workbook(tmp_path / "eh.xlsx", [["About our agency and what we do", ABOUT]], [
        HEADER,
        ["Family Hubs", 1620, "31/03/2024", None],
        ["Targeted teams", 1314, "31/03/2024", None],
        ["Total", "=B2+B3", "31/03/2024", None],
    ])
    content = read_xlsx(path, tmp_path / "img")
    total = content.indicators[2]
    assert total.label == "Total" and total.value is None
    [note] = content.notes
    assert "Indicators!B4" in note.message and "=B2+B3" in note.message and "no saved result" in note.message


def test_filled_template_round_trip(tmp_path):
    config = load_config(REPO / "inputs" / "report.yaml")
    agency = config.agency("nwas")
    path = write_excel_template(tmp_path / "blank.xlsx", agency, config)
    book = openpyxl.load_workbook(path)
    names = {name: list(d.destinations)[0] for name, d in book.defined_names.items()}

    def put(name, value):
        sheet, cell = names[name]
        book[sheet][cell.replace("$", "")] = value

    put("about", ABOUT + "\n- Crews see inside homes")
    put("activity", ACTIVITY)
    put("priorities", PRIORITIES)
    put("contact_email", "safeguarding@nwas.example")
    put("case_study_1_title", "A crew's referral")
    put("case_study_1_text", "The crew noticed a baby sleeping on a sofa.")
    indicators = book[SHEET_INDICATORS]
    indicators["A2"], indicators["B2"], indicators["D2"] = "Referrals raised by crews", "3,908", "2023-24"
    indicators["A3"], indicators["B3"] = "Referrals sent within 24 hours", 0.981
    indicators["B3"].number_format = "0.0%"
    book.save(tmp_path / "renamed.xlsx")

    content = read_xlsx(tmp_path / "renamed.xlsx", tmp_path / "img")
    assert content.is_template and content.identity.agency_id == "nwas"
    assert plain_text(content.sections["about"]) == f"{ABOUT}\nCrews see inside homes"
    assert plain_text(content.sections["activity"]) == ACTIVITY
    assert plain_text(content.sections["priorities"]) == PRIORITIES
    assert [(i.label, i.value, i.unit, i.period) for i in content.indicators] == [
        ("Referrals raised by crews", 3908, None, "2023-24"), ("Referrals sent within 24 hours", 98.1, "%", None)]
    assert content.contact.email == "safeguarding@nwas.example"
    assert [(c.title, plain_text(c.blocks)) for c in content.case_studies] == [("A crew's referral", "The crew noticed a baby sleeping on a sofa.")]
    assert SHEET_CASE_STUDIES in book.sheetnames
    assert not [n for n in content.notes if n.code == "cells_outside_template"]  # the template's own text is not reported


def test_text_typed_outside_a_filled_template_s_boxes_is_reported_per_sheet(tmp_path):
    """A filled template is read from its named boxes: a column added, a sheet put first, a column added to the
    figures were read by nothing and said by nothing."""
    config = load_config(REPO / "inputs" / "report.yaml")
    book = openpyxl.load_workbook(write_excel_template(tmp_path / "blank.xlsx", config.agency("nwas"), config))
    names = {name: list(d.destinations)[0] for name, d in book.defined_names.items()}
    sheet, cell = names["about"]
    book[sheet][cell.replace("$", "")] = ABOUT
    book[sheet]["C10"] = "Please note: we have merged with Cheshire's team"
    book[SHEET_INDICATORS]["A2"], book[SHEET_INDICATORS]["B2"] = "Referrals raised by crews", 3908
    book[SHEET_INDICATORS]["F1"], book[SHEET_INDICATORS]["F2"] = "Previous year", 3550
    first = book.create_sheet("Note from comms", 0)
    first["A1"] = "Note for the partnership: please use our new logo."
    book.save(tmp_path / "nwas.xlsx")

    content = read_xlsx(tmp_path / "nwas.xlsx", tmp_path / "img")
    assert plain_text(content.sections["about"]) == ABOUT
    reported = {n.field: n.message for n in content.notes if n.code == "cells_outside_template"}
    assert set(reported) == {"sheet 'Return'", "sheet 'Note from comms'"}
    assert "C10 'Please note: we have merged with Chesh" in reported["sheet 'Return'"]
    assert "A1 'Note for the partnership: please use ou…'" in reported["sheet 'Note from comms'"]
    # The figures sheet is read by its headings: the column they do not take is reported there, once.
    figures = [n for n in content.notes if n.code == "figures_column_not_read"]
    assert [n.field for n in figures] == [f"sheet '{SHEET_INDICATORS}'"]
    assert "F ('Previous year', '3550')" in figures[0].message


def test_a_column_inserted_in_the_middle_of_the_template_s_figures_is_reported_and_the_rest_read(tmp_path):
    """'Last year' inserted between Value and Unit: the unit, period and note moved one column right and are read
    by their headings; last year's figures are read by nothing, and were said by nothing (or the note's column
    was reported as outside the template while it was read)."""
    config = load_config(REPO / "inputs" / "report.yaml")
    book = openpyxl.load_workbook(write_excel_template(tmp_path / "blank.xlsx", config.agency("nwas"), config))
    figures = book[SHEET_INDICATORS]
    figures.insert_cols(3)
    figures["C1"] = "Last year"
    for row, values in enumerate([("Referrals raised by crews", 3908, 3550, "count", "2023-24", "all calls"),
                                  ("Staff trained", "96%", "90%", "%", "2023-24", None)], start=2):
        for column, value in enumerate(values, start=1):
            figures.cell(row, column).value = value
    book.save(tmp_path / "nwas.xlsx")

    content = read_xlsx(tmp_path / "nwas.xlsx", tmp_path / "img")
    assert [(i.label, i.value, i.unit, i.period, i.note) for i in content.indicators] == [
        ("Referrals raised by crews", 3908, "count", "2023-24", "all calls"), ("Staff trained", 96, "%", "2023-24", None)]
    assert not [n for n in content.notes if n.code == "cells_outside_template"]
    unread = [n.message for n in content.notes if n.code == "figures_column_not_read"]
    assert len(unread) == 1 and "C ('Last year', '3550', '90%')" in unread[0]


def test_what_a_figures_table_s_headings_do_not_take_is_reported(tmp_path):
    """An own-layout figures sheet: a title above the table, an earlier year's column beside the latest and a
    'Target' column. The latest year is read as the value; the rest is named, never dropped unsaid."""
    from assembler.readers.indicators import indicators_from_rows

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Key figures"
    sheet.append(["Safeguarding figures, North West Ambulance Service"])
    sheet.append(["Indicator", "2022-23", "2023-24", "Target"])
    sheet.append(["Referrals raised by crews", 3550, 3908, 4000])
    book.save(tmp_path / "nwas.xlsx")
    content = read_xlsx(tmp_path / "nwas.xlsx", tmp_path / "img")
    assert [(i.label, i.value, i.period) for i in content.indicators] == [("Referrals raised by crews", 3908, "2023-24")]
    unread = {n.code: n.message for n in content.notes}
    assert "B ('2022-23', '3550'); D ('Target', '4000')" in unread["figures_column_not_read"]
    assert "they start 'Safeguarding figures, North West Ambulance Service'" in unread["rows_not_used"]

    # The same table in Word.
    notes = []
    found = indicators_from_rows([["Indicator", "2022-23", "2023-24", "Target"], ["Referrals raised by crews", "3,550", "3,908", "4,000"]], notes)
    assert [(i.label, i.value) for i in found] == [("Referrals raised by crews", 3908)]
    assert [n.code for n in notes] == ["figures_column_not_read"]
    assert "B ('2022-23', '3,550'); D ('Target', '4,000')" in notes[0].message


def test_openpyxl_loads_without_numpy_which_stays_importable():
    """openpyxl would import numpy (slower than openpyxl itself) only for numpy cell values, which the assembler never writes."""
    import subprocess
    import sys

    pytest.importorskip("numpy")
    probe = ("import sys, assembler.readers.xlsx_return as r; loaded = 'numpy' in sys.modules; "
             "import numpy, openpyxl; print(loaded, openpyxl.compat.numbers.NUMPY)")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["False", "False"]


def test_every_module_loads_openpyxl_through_excel_library_first():
    """A module importing openpyxl before assembler.excel_library would load numpy again (see there)."""
    import re

    package = Path(__file__).resolve().parent.parent / "assembler"
    for module in package.rglob("*.py"):
        if module.name == "excel_library.py":
            continue
        lines = module.read_text(encoding="utf-8").splitlines()
        direct = [n for n, line in enumerate(lines) if re.match(r"\s*(from|import) openpyxl\b", line)]
        through = [n for n, line in enumerate(lines) if "from assembler.excel_library import openpyxl" in line]
        if direct:
            assert through and through[0] < direct[0], f"{module.name}: import openpyxl after assembler.excel_library"


@pytest.mark.parametrize("header, expected_period", [
    (["Measure", "2023-24"], "2023-24"),
    (["Measure", "2023/24"], "2023-24"),
    (["Indicator", "2022-23", "2023-24"], "2023-24"),  # the latest year's column holds this year's figures
    (["Measure", "2023-24", "Note"], "2023-24"),
])
def test_a_figures_sheet_whose_value_column_is_headed_by_its_year_keeps_its_figures(tmp_path, header, expected_period):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    rows = [("Referrals received", 412, 380), ("Staff trained in safeguarding", "96%", "90%"), ("Cases open at year end", 1203.5, 1100)]
    latest = header.index(expected_period if expected_period in header else header[1])
    for label, this_year, last_year in rows:
        row = [label] + [None] * (len(header) - 1)
        row[latest] = this_year
        if len(header) > 2 and header[2] != "Note" and latest == 2:
            row[1] = last_year
        if header[-1] == "Note":
            row[-1] = "as at 31 March"
        sheet.append(row)
    book.save(tmp_path / "figures.xlsx")
    content = read_xlsx(tmp_path / "figures.xlsx", tmp_path / "images")
    got = [(i.label, i.value, i.unit, i.period) for i in content.indicators]
    assert got == [("Referrals received", 412, None, expected_period),
                   ("Staff trained in safeguarding", 96, "%", expected_period),
                   ("Cases open at year end", 1203.5, None, expected_period)]
    assert content.title_text != "Measure" and "Referrals received" not in (content.agency_name or "")
    if header[-1] == "Note":
        assert {i.note for i in content.indicators} == {"as at 31 March"}


def test_a_word_figures_table_headed_by_its_year_keeps_its_figures():
    from assembler.readers.indicators import indicators_from_rows

    notes = []
    found = indicators_from_rows([["Measure", "2023-24"], ["Referrals received", "412"], ["Strategy meetings", "1,050"]], notes)
    assert [(i.label, i.value, i.period) for i in found] == [("Referrals received", 412, "2023-24"), ("Strategy meetings", 1050, "2023-24")]
    # A sheet whose second column is words, not a year, is not a figures table.
    assert indicators_from_rows([["Measure", "What we did"], ["Training", "We trained staff"]], notes)[0].period is None


def test_rows_nothing_reads_are_reported_per_sheet_not_dropped(tmp_path):
    """A figures sheet in the agency's own layout ('Area | 2023-24') and text continued on a sheet of its own:
    neither is a section or a table of figures, and each is named, with its first words, rather than lost."""
    book = openpyxl.Workbook()
    main = book.active
    main.title = "Return"
    for row in (["North West Ambulance Service"], ["About our agency and what we do", ABOUT],
                ["2023 activity and what we would like to celebrate", ACTIVITY],
                ["Planned safeguarding priorities for 2024", PRIORITIES]):
        main.append(row)
    figures = book.create_sheet("Key figures")
    figures.append(["Area", "2023-24"])
    figures.append(["Safeguarding referrals made by crews", 1204])
    more = book.create_sheet("Activity (continued)")
    more.append(["We also trained 300 call handlers to spot signs of neglect."])
    book.save(tmp_path / "nwas.xlsx")

    content = read_xlsx(tmp_path / "nwas.xlsx", tmp_path / "img")
    assert plain_text(content.sections["activity"]) == ACTIVITY
    warnings = {note.field: note.message for note in content.notes if note.code == "rows_not_used"}
    assert set(warnings) == {"sheet 'Key figures'", "sheet 'Activity (continued)'"}
    assert "2 row(s) on the sheet 'Key figures' were not used (they start 'Area | 2023-24')" in warnings["sheet 'Key figures'"]
    assert "We also trained 300 call handlers" in warnings["sheet 'Activity (continued)'"]


def test_a_cell_excel_made_a_date_reads_as_a_date_not_as_python_prints_it(tmp_path):
    """Excel turns '31/03/2024', 'Mar-24' or '1/2' typed in a cell into a date: it printed '2024-03-01 00:00:00'."""
    from datetime import datetime

    book = openpyxl.Workbook()
    main = book.active
    main.title = "Return"
    for row in (["Forum Housing"], ["About our agency and what we do", ABOUT]):
        main.append(row)
    figures = book.create_sheet("Figures")
    figures.append(["Indicator", "Value", "Period"])
    figures.append(["Tenancies sustained", 412, datetime(2024, 3, 1)])
    figures.append(["Visits", datetime(2024, 2, 1), "2023-24"])
    book.save(tmp_path / "forum.xlsx")

    content = read_xlsx(tmp_path / "forum.xlsx", tmp_path / "img")
    by_label = {i.label: i for i in content.indicators}
    assert by_label["Tenancies sustained"].period == "1 March 2024"
    assert by_label["Visits"].raw == "1 February 2024"
    assert "00:00:00" not in repr(content.indicators) + repr(content.notes)


def _filled_template(tmp_path, change) -> Path:
    config = load_config(REPO / "inputs" / "report.yaml")
    book = openpyxl.load_workbook(write_excel_template(tmp_path / "blank.xlsx", config.agency("nwas"), config))
    names = {name: list(d.destinations)[0] for name, d in book.defined_names.items()}
    for name, text in (("about", ABOUT), ("activity", ACTIVITY)):
        sheet, cell = names[name]
        book[sheet][cell.replace("$", "")] = text
    change(book)
    book.save(tmp_path / "filled.xlsx")
    return tmp_path / "filled.xlsx"


def test_a_template_whose_sheets_were_renamed_is_read_and_its_own_labels_are_not_reported(tmp_path):
    """Excel moves the names with a renamed sheet: the boxes were read, but the template's labels on the renamed
    sheets were reported as the agency's text typed outside the boxes (16 cells on 'Our return')."""
    def rename(book):
        book["Return"].title, book[SHEET_CASE_STUDIES].title = "Our return", "Stories"
        for definition in book.defined_names.values():  # as Excel does on renaming (openpyxl does not)
            definition.attr_text = definition.attr_text.replace("'Return'!", "'Our return'!").replace(
                "Return!", "'Our return'!").replace(f"'{SHEET_CASE_STUDIES}'!", "Stories!")

    content = read_xlsx(_filled_template(tmp_path, rename), tmp_path / "img")
    assert content.is_template and plain_text(content.sections["activity"]) == ACTIVITY
    assert not [n.message for n in content.notes if n.code == "cells_outside_template"]


def test_text_in_a_box_whose_name_was_lost_is_reported_not_taken_for_the_template_s_own(tmp_path):
    """A box's row deleted and typed again leaves its name at #REF!: the text in the box column was neither
    read nor said."""
    def lose_name(book):
        book.defined_names["activity"].attr_text = "#REF!"

    content = read_xlsx(_filled_template(tmp_path, lose_name), tmp_path / "img")
    [note] = [n for n in content.notes if n.code == "cells_outside_template"]
    assert "B11 'In 2023 we trained 468 officers and ope" in note.message
