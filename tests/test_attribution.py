"""Whose return is it, when did it arrive, and how several files from one agency make one submission.

Every return here is generated in code, in the layouts agencies really use (their own headings, bold lines, a
label/value table, numbered sections, a figures-only workbook, e-mails), from agencies that write their names
differently from the registry ('&' for 'and', acronyms, without 'NHS Foundation Trust', after a label).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from assembler.config import load_config
from assembler.config.edit import EditRefused, set_entry
from assembler.intake import read_returns
from assembler.readers.agency_match import AgencyMatcher, name_clues
from assembler.schema import plain_text

REPO = Path(__file__).resolve().parent.parent
ON_TIME = datetime(2024, 4, 20, 10, 0, tzinfo=timezone.utc).timestamp()
ABOUT = "We keep children safe across the borough every day."
ACTIVITY = "In 2023 we trained 412 staff and opened a new hub."
PRIORITIES = "Listen to children and families in every plan."
HEADINGS = ("About our agency and what we do", "2023 activity and what we would like to celebrate",
            "Planned safeguarding priorities for 2024")


# --- builders --------------------------------------------------------------------------------

def word_return(path: Path, first_lines: list[str], layout: str = "headings", texts=(ABOUT, ACTIVITY, PRIORITIES),
                label_rows: list[tuple[str, str]] = (), modified: datetime | None = None) -> Path:
    """A return typed into a blank Word document, in one of the layouts agencies use."""
    document = docx.Document()
    for line in first_lines:
        document.add_paragraph(line)
    if layout == "table":
        table = document.add_table(rows=0, cols=2)
        for label, value in [*label_rows, *zip(HEADINGS, texts)]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    else:
        if label_rows:
            table = document.add_table(rows=0, cols=2)
            for label, value in label_rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
        for number, (heading, text) in enumerate(zip(HEADINGS, texts), start=1):
            if not text:
                continue
            if layout == "headings":
                document.add_heading(heading, level=1)
            elif layout == "numbered":
                document.add_paragraph().add_run(f"{number}. {heading}").bold = True
            else:  # bold lines
                document.add_paragraph().add_run(heading).bold = True
            document.add_paragraph(text)
    if modified:
        document.core_properties.modified = modified
    document.save(path)
    return path


def figures_workbook(path: Path, rows: list[list[object]], first_cell: str = "Measure") -> Path:
    """Key figures only: a 'Measure | Value' sheet, no narrative at all."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append([first_cell, "Value"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def email_return(path: Path, sender: str, attachment_name: str, attachment: bytes, date: datetime) -> Path:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "wscp@wirral.example"
    message["Subject"] = "Our return"
    message["Date"] = format_datetime(date)
    message.set_content("Please find our return attached.")
    message.add_attachment(attachment, maintype="application", subtype="octet-stream", filename=attachment_name)
    path.write_bytes(bytes(message))
    return path


def saved_on(path: Path, when: float = ON_TIME) -> Path:
    """As if saved into returns/ at `when` (a generated file would otherwise be 'received' today, and late)."""
    os.utime(path, (when, when))
    return path


@pytest.fixture
def config():
    return load_config(REPO / "inputs" / "report.yaml").model_copy(update={"received": {}, "assign": {}})


@pytest.fixture
def inputs(tmp_path):
    """A private inputs folder: the sample's report.yaml (with its comments), no returns and no receipt log."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    text = (REPO / "inputs" / "report.yaml").read_text(encoding="utf-8")
    (folder / "report.yaml").write_text(text.split("\n# When each return saved straight into returns/")[0] + "\n", encoding="utf-8")
    (folder / "returns").mkdir()
    return folder


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "assembler", *args], capture_output=True, text=True, cwd=REPO, env=env)


def check_json(inputs: Path, tmp_path: Path) -> dict:
    result = run_cli("check", "--inputs", str(inputs), "--json", "-", "--chase-out", str(tmp_path / "chase"))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


# --- 1. who sent it --------------------------------------------------------------------------

def test_a_folder_of_real_layouts_is_attributed_with_no_unknown_agency(inputs, tmp_path):
    """Six layouts, names written as agencies write them, file names that say nothing: every one attributed."""
    returns = inputs / "returns"
    word_return(returns / "Annual return 1.docx", ["Cheshire & Wirral Partnership", "Return for 2023-24"], "headings")
    word_return(returns / "Annual return 2.docx", ["Name of agency: Wirral Community Health & Care"], "bold")
    word_return(returns / "Annual return 3.docx", ["WSCP Annual Report 2023-24 - Single Agency Submission"], "table",
                label_rows=[("Agency", "Probation Service")])
    word_return(returns / "Annual return 4.docx", ["Organisation: North West Ambulance Service"], "numbered")
    word_return(returns / "Annual return 5.docx", ["Agency name - Wirral University Teaching Hospital"], "headings")
    word_return(returns / "Annual return 6.docx", ["MFRS"], "bold")
    figures_workbook(returns / "Koala key figures.xlsx", [["Families supported", 86]])  # figures only, named by its file
    figures_workbook(returns / "Figures 2.xlsx", [["Organisation", "Wirral Met College"], ["Learners trained", "2,380"]],
                     first_cell="Measure")
    email_return(returns / "Our return.eml", "Jo <safeguarding@blueskiesahead.example>", "return.docx",
                 word_return(tmp_path / "att.docx", ["Annual return"], "headings").read_bytes(),
                 datetime.fromisoformat("2024-04-25T09:00:00+01:00"))
    email_return(returns / "FW return.eml", "Sam <sam@gmail.example>", "ours.docx",
                 word_return(tmp_path / "att2.docx", ["Submitted by: Barnardos"], "numbered").read_bytes(),
                 datetime.fromisoformat("2024-04-26T09:00:00+01:00"))
    for path in returns.iterdir():
        saved_on(path)

    data = check_json(inputs, tmp_path)

    assert data["unknown"] == [] and data["rejected"] == []
    placed = {s["source"]["attachment"] or Path(s["source"]["path"]).name: s["agency_id"] for s in data["submissions"]}
    assert placed == {
        "Annual return 1.docx": "cwp", "Annual return 2.docx": "wchc", "Annual return 3.docx": "probation",
        "Annual return 4.docx": "nwas", "Annual return 5.docx": "wuth", "Annual return 6.docx": "mfrs",
        "Koala key figures.xlsx": "koala", "Figures 2.xlsx": "wirral-met", "return.docx": "blue-skies", "ours.docx": "barnardos",
    }
    how = {Path(s["source"]["path"]).name: s["source"]["attributed_by"] for s in data["submissions"]}
    assert how["Annual return 3.docx"] == "the agency name 'Probation Service' in the 'Agency' field"
    assert how["Our return.eml"] == "the e-mail sender's domain blueskiesahead.example"  # not the registered address
    assert how["Figures 2.xlsx"] == "the agency name 'Wirral Met College' in the 'Organisation' field"
    assert how["Koala key figures.xlsx"] == "the file name 'Koala key figures'"


def test_the_folder_name_and_a_folder_pattern_under_assign(config, tmp_path):
    returns = tmp_path / "returns"
    (returns / "Open Door").mkdir(parents=True)
    (returns / "misc").mkdir()
    saved_on(word_return(returns / "Open Door" / "return.docx", ["Annual return"]))
    saved_on(word_return(returns / "misc" / "return.docx", ["Annual return"], texts=("Other words.", ACTIVITY, PRIORITIES)))
    intake = read_returns([returns], config, tmp_path / "images")
    assert [(s.agency_id, s.source.attributed_by) for s in intake.accepted] == [("open-door", "the folder name 'Open Door'")]
    assigned = config.model_copy(update={"assign": {"returns/misc/*": "cwp"}})
    intake = read_returns([returns], assigned, tmp_path / "images")
    assert sorted(s.agency_id for s in intake.accepted) == ["cwp", "open-door"] and intake.unknown == []


def test_an_agency_row_after_the_sections_of_a_label_value_table_names_it(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    path = word_return(returns / "Submission.docx", ["WSCP Annual Report 2023-24 - Single Agency Submission"], "table")
    document = docx.Document(path)
    cells = document.tables[0].add_row().cells
    cells[0].text, cells[1].text = "Agency", "Probation Service"
    document.save(path)
    [s] = read_returns([saved_on(path).parent], config, tmp_path / "images").accepted
    assert (s.agency_id, s.source.attributed_by) == ("probation", "the agency name 'Probation Service' in the 'Agency' field")


def test_a_title_a_heading_or_a_column_header_is_never_taken_as_the_name(inputs, tmp_path):
    returns = inputs / "returns"
    saved_on(word_return(returns / "Submission.docx", ["WSCP Annual Report 2023-24 - Single Agency Submission"], "headings"))
    saved_on(figures_workbook(returns / "Key data.xlsx", [["Referrals", 10]]))
    data = check_json(inputs, tmp_path)
    names = sorted(s["agency_name"] for s in data["unknown"])
    assert names == ["Key data", "Submission"]  # the file names, not 'WSCP Annual Report ...' or 'Measure'


@pytest.mark.parametrize("label", ["Name of agency: ", "Organisation: ", "Agency name - ", "Agency: ", "Name of organisation - ",
                                   "Name of Agency/Organisation:\t", "Submitted by: ", ""])
def test_every_registered_name_after_a_label_is_matched(config, label):
    matcher = AgencyMatcher(config)
    for agency in config.agencies:
        clues = name_clues(f"{label}{agency.name}", False, f"{label}{agency.name}\nAnnual return", [])
        found = matcher.attribute(None, "returns/return.docx", None, clues, None, [])
        assert found.agency is not None and found.agency.id == agency.id, (label, agency.name, found.guesses)


@pytest.mark.parametrize("written, agency_id", [
    ("Cheshire & Wirral Partnership", "cwp"),                       # '&', no 'NHS Foundation Trust'
    ("Wirral Community Health and Care", "wchc"),                   # without 'NHS Foundation Trust'
    ("North West Ambulance Service", "nwas"),
    ("Merseyside Fire and Rescue Service", "mfrs"),                 # 'and' for '&'
    ("WUTH", "wuth"), ("NWAS", "nwas"), ("MFRS", "mfrs"),          # acronyms
    ("Barnardos", "barnardos"),                                      # without the apostrophe
    ("Name of agency: Cheshire & Wirral Partnership", "cwp"),       # the failure the issue reports
])
def test_names_written_differently_from_the_registry(config, written, agency_id):
    assert AgencyMatcher(config).by_text(written).id == agency_id


def test_aliases_in_the_registry_are_names_of_the_agency(config):
    agencies = [a.model_copy(update={"aliases": ["The Hub"]}) if a.id == "domestic-abuse-hub" else a for a in config.agencies]
    with_alias = config.model_copy(update={"agencies": agencies})
    assert AgencyMatcher(config).by_text("Agency: The Hub") is None
    assert AgencyMatcher(with_alias).by_text("Agency: The Hub").id == "domestic-abuse-hub"


def test_the_sample_registry_has_the_issues_aliases():
    cwp = load_config(REPO / "inputs" / "report.yaml").agency("cwp")
    assert {"CWP", "Cheshire & Wirral Partnership"} <= set(cwp.aliases)


def test_an_unclear_match_says_what_it_looks_like_and_the_line_to_add(inputs, tmp_path):
    returns = inputs / "returns"
    saved_on(word_return(returns / "Trust return.docx", ["Wirral Community Trust"], "headings"))
    data = check_json(inputs, tmp_path)
    [unknown] = data["unknown"]
    assert unknown["source"]["looks_like"][0] == "wchc"
    [problem] = [p for p in unknown["problems"] if p["field"] == "agency"]
    assert ("looks like Wirral Community Health and Care NHS Foundation Trust (from 'Wirral Community Trust' in the first line)"
            in problem["message"])
    assert '`"Trust return.docx": wchc` under `assign:`' in problem["fix"]
    plain = run_cli("check", "--inputs", str(inputs), "--chase-out", str(tmp_path / "chase")).stdout
    assert '"Trust return.docx": wchc' in plain


def test_a_name_written_in_the_return_that_its_file_name_contradicts_is_filed_and_warned_about(inputs, tmp_path):
    """The return says Our Space, its file name says Open Door: filed under the name the return gives (the
    stronger clue), and the officer told, with the line that files it under the other, before it is published."""
    returns = inputs / "returns"
    saved_on(word_return(returns / "Open Door WSCP return 2023-24 FINAL.docx", ["Name of agency: Our Space"], "headings"))
    saved_on(word_return(returns / "Our Space return.docx", ["Our Space"], "headings", texts=(ABOUT, ACTIVITY, "Ours.")))
    data = check_json(inputs, tmp_path)
    by_file = {Path(s["source"]["path"]).name: s for s in data["submissions"] + data["superseded"]}
    contradicted = by_file["Open Door WSCP return 2023-24 FINAL.docx"]
    assert contradicted["agency_id"] == "our-space"
    [warning] = [p for p in contradicted["problems"] if p["code"] == "agency_contradicted"]
    assert "but the file name 'Open Door WSCP return 2023-24 FINAL' names Open Door" in warning["message"]
    assert '`"Open Door WSCP return 2023-24 FINAL.docx": open-door` under `assign:`' in warning["fix"]
    assert not [p for p in by_file["Our Space return.docx"]["problems"] if p["code"] == "agency_contradicted"]


def test_one_e_mail_carrying_two_agencies_returns_files_each_under_its_own_name_without_a_warning(config, tmp_path):
    """YMCA sends its return and Blue Skies' together: the sender's agency is no contradiction of either."""
    returns = tmp_path / "returns"
    returns.mkdir()
    made = tmp_path / "made"
    made.mkdir()
    ymca = word_return(made / "YMCA return.docx", ["YMCA Wirral"], "headings").read_bytes()
    blue = word_return(made / "Blue Skies return.docx", ["Blue Skies Ahead"], "headings",
                       texts=("We mentor young people.", ACTIVITY, PRIORITIES)).read_bytes()
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "YMCA <safeguarding@ymcawirral.example>", "wscp@wirral.example", "Two returns"
    message["Date"] = format_datetime(datetime(2024, 4, 20, 10, 0, tzinfo=timezone.utc))
    message.set_content("Both returns attached.")
    for name, data in (("YMCA return.docx", ymca), ("Blue Skies return.docx", blue)):
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    (returns / "YMCA and Blue Skies.eml").write_bytes(bytes(message))

    intake = read_returns([returns], config, tmp_path / "images")

    assert sorted(s.agency_id for s in intake.accepted) == ["blue-skies", "ymca-wirral"]
    assert not [p for s in intake.accepted for p in s.problems if p.code == "agency_contradicted"]


def test_a_name_typed_only_in_the_page_header_attributes_the_return(inputs, tmp_path):
    """The header is not printed (the report prints its own), but it says whose the return is."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "The Lighthouse Centre - safeguarding return 2023-24"
    for heading, text in zip(HEADINGS, (ABOUT, ACTIVITY, PRIORITIES)):
        document.add_heading(heading, 2)
        document.add_paragraph(text)
    document.save(inputs / "returns" / "Annual return 2023-24.docx")
    saved_on(inputs / "returns" / "Annual return 2023-24.docx")
    data = check_json(inputs, tmp_path)
    assert data["unknown"] == []
    [submission] = data["submissions"]
    assert submission["agency_id"] == "lighthouse"
    assert "the page header" in submission["source"]["attributed_by"]


def test_a_return_with_no_name_is_never_offered_as_a_new_agency_named_after_its_file(inputs, tmp_path):
    document = docx.Document()
    for heading, text in zip(HEADINGS, (ABOUT, ACTIVITY, PRIORITIES)):
        document.add_heading(heading, 2)
        document.add_paragraph(text)
    document.save(inputs / "returns" / "Annual return 2023-24.docx")
    saved_on(inputs / "returns" / "Annual return 2023-24.docx")
    [unknown] = check_json(inputs, tmp_path)["unknown"]
    [problem] = [p for p in unknown["problems"] if p["code"] == "unknown_agency"]
    assert "no agency's name was found in the return" in problem["message"]
    assert '`"Annual return 2023-24.docx": <agency id>` under `assign:`' in problem["fix"]
    assert "agencies:" not in problem["fix"]


def test_agencies_sharing_an_address_are_warned_of_and_the_address_places_neither(inputs, tmp_path):
    """Two agencies registered with one address: the first in the registry silently had every return from it."""
    config_file = inputs / "report.yaml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("email: info@lighthousecentre.example", "email: hello@opendoor.example"), encoding="utf-8")
    config = load_config(config_file)
    assert AgencyMatcher(config).sender_match("hello@opendoor.example") is None
    warnings = check_json(inputs, tmp_path)["partnership_warnings"]
    [shared] = [w for w in warnings if w["code"] == "shared_address"]
    assert "lighthouse" in shared["message"] and "open-door" in shared["message"]


def test_a_colleague_s_display_name_is_never_offered_as_a_new_agency(inputs, tmp_path):
    """A return with no name in it, e-mailed by Jo Bloggs: 'add - {id: jo-bloggs, name: Jo Bloggs}' was the fix."""
    made = tmp_path / "made"
    made.mkdir()
    document = docx.Document()
    for heading, text in zip(HEADINGS, (ABOUT, ACTIVITY, PRIORITIES)):
        document.add_heading(heading, 2)
        document.add_paragraph(text)
    document.save(made / "return.docx")
    saved_on(email_return(inputs / "returns" / "From Jo.eml", "Jo Bloggs <jo.bloggs@gmail.example>", "return.docx",
                          (made / "return.docx").read_bytes(), datetime(2024, 4, 20, 10, 0, tzinfo=timezone.utc)))
    [unknown] = check_json(inputs, tmp_path)["unknown"]
    assert unknown["agency_name"] != "Jo Bloggs"
    [problem] = [p for p in unknown["problems"] if p["code"] == "unknown_agency"]
    assert "Jo Bloggs" not in problem["fix"] and "jo-bloggs" not in problem["fix"]


def test_an_unknown_sender_comes_with_the_exact_lines_to_add(inputs, tmp_path):
    returns = inputs / "returns"
    email_return(returns / "Sefton.eml", "Ann <ann@seftonyouth.example>", "return.docx",
                 word_return(tmp_path / "a.docx", ["Sefton Youth Forum"], "headings").read_bytes(),
                 datetime.fromisoformat("2024-04-25T09:00:00+01:00"))
    plain = run_cli("check", "--inputs", str(inputs), "--chase-out", str(tmp_path / "chase")).stdout
    assert '"Sefton.eml": <agency id>` under `assign:`' in plain
    assert "- {id: sefton-youth-forum, name: Sefton Youth Forum, sector: Other, email: ann@seftonyouth.example}" in plain


# --- 2. the officer decides ------------------------------------------------------------------

def test_assign_writes_the_line_keeping_comments_and_check_then_places_the_file(inputs, tmp_path):
    returns = inputs / "returns"
    saved_on(word_return(returns / "Trust return.docx", ["Wirral Community Trust"], "headings"))
    before = (inputs / "report.yaml").read_text(encoding="utf-8")

    result = run_cli("assign", str(returns / "Trust return.docx"), "wchc", "--inputs", str(inputs))

    assert result.returncode == 0, result.stdout + result.stderr
    after = (inputs / "report.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # every comment and line the officer wrote is still there, unchanged
    assert after[len(before):].endswith('assign:\n  "Trust return.docx": wchc\n')
    data = check_json(inputs, tmp_path)
    assert data["unknown"] == [] and [s["agency_id"] for s in data["submissions"]] == ["wchc"]
    assert data["submissions"][0]["source"]["attributed_by"].startswith("the officer's assignment ('Trust return.docx'")
    # Assigning again replaces the entry; a second file is added beside it.
    assert run_cli("assign", "Trust return.docx", "cwp", "--inputs", str(inputs)).returncode == 0
    assert run_cli("assign", "Other*", "nwas", "--inputs", str(inputs)).returncode == 0
    text = (inputs / "report.yaml").read_text(encoding="utf-8")
    assert text.endswith('assign:\n  "Trust return.docx": cwp\n  "Other*": nwas\n')
    assert load_config(inputs / "report.yaml").assign == {"Trust return.docx": "cwp", "Other*": "nwas"}


def test_assign_says_when_its_name_matches_no_return_and_refuses_a_file_outside_returns(inputs, tmp_path):
    saved_on(word_return(inputs / "returns" / "Trust return.docx", ["Wirral Community Trust"], "headings"))
    typo = run_cli("assign", "Trsut return.docx", "wchc", "--inputs", str(inputs))
    assert typo.returncode == 0 and "no file in" in typo.stdout and "is called 'Trsut return.docx' yet" in typo.stdout
    placed = run_cli("assign", "Trust return.docx", "wchc", "--inputs", str(inputs))
    assert placed.returncode == 0 and "no file in" not in placed.stdout
    before = (inputs / "report.yaml").read_bytes()
    elsewhere = tmp_path / "Desktop" / "Trust return.docx"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"x")
    outside = run_cli("assign", str(elsewhere), "wchc", "--inputs", str(inputs))
    assert outside.returncode == 2 and "is not in" in outside.stdout
    assert (inputs / "report.yaml").read_bytes() == before


def test_assign_keeps_the_folder_of_a_file_in_a_folder_inside_returns(inputs, tmp_path):
    """Two folders each with a 'return.docx': the name alone would assign both."""
    for team in ("Team A", "Team B"):
        (inputs / "returns" / team).mkdir()
        saved_on(word_return(inputs / "returns" / team / "return.docx", ["Unknown team"], "headings"))
    fixes = sorted(p["fix"] for s in check_json(inputs, tmp_path)["unknown"] for p in s["problems"] if p["code"] == "unknown_agency")
    assert '`"Team A/return.docx": <agency id>`' in fixes[0] and '`"Team B/return.docx": <agency id>`' in fixes[1]
    result = run_cli("assign", str(inputs / "returns" / "Team A" / "return.docx"), "sendlo", "--inputs", str(inputs))
    assert result.returncode == 0
    assert load_config(inputs / "report.yaml").assign == {"Team A/return.docx": "sendlo"}


def test_assign_refuses_an_id_that_is_not_registered_and_leaves_the_file_alone(inputs):
    before = (inputs / "report.yaml").read_bytes()
    result = run_cli("assign", "x.docx", "koal", "--inputs", str(inputs))
    assert result.returncode == 2 and "Did you mean 'koala'" in result.stdout
    assert (inputs / "report.yaml").read_bytes() == before


def test_the_yaml_edit_keeps_comments_and_flow_style_and_fills_an_empty_section():
    text = ("# The partnership\nperiod: 2023-24   # the year\nagencies:\n  - {id: cwp, name: CWP}\n"
            "assign: {}   # filled by assembler assign\n# Rules next\nrules:\n  empty_section: error\n")
    edited = set_entry(text, "assign", "CWP: our return #2.docx", "cwp")
    assert edited == ("# The partnership\nperiod: 2023-24   # the year\nagencies:\n  - {id: cwp, name: CWP}\n"
                      "assign: # filled by assembler assign\n  \"CWP: our return #2.docx\": cwp\n# Rules next\nrules:\n"
                      "  empty_section: error\n")
    block = "assign:\n    # one per line\n    \"a.docx\": cwp   # checked\n\nrules: {}\n"
    assert set_entry(block, "assign", "a.docx", "nwas") == "assign:\n    # one per line\n    \"a.docx\": nwas   # checked\n\nrules: {}\n"
    assert set_entry(block, "assign", "b.docx", "nwas") == "assign:\n    # one per line\n    \"a.docx\": cwp   # checked\n    \"b.docx\": nwas\n\nrules: {}\n"
    with pytest.raises(EditRefused):
        set_entry("assign: {a.docx: cwp}\n", "assign", "b.docx", "nwas")
    assert set_entry('a: 1\nassign:\n  "x": y', "assign", "z", "w") == 'a: 1\nassign:\n  "x": y\n  "z": w\n'  # no final line break
    assert set_entry("a: 1\r\nb: 2\r\n", "assign", "z", "w") == 'a: 1\r\nb: 2\r\n\r\nassign:\r\n  "z": w\r\n'  # Windows line ends


def test_an_assignment_to_an_unregistered_id_is_a_config_error(tmp_path):
    from assembler.errors import ConfigErrors

    text = (REPO / "inputs" / "report.yaml").read_text(encoding="utf-8") + '\nassign:\n  "x.docx": nobody\n'
    (tmp_path / "report.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigErrors) as raised:
        load_config(tmp_path / "report.yaml")
    assert "nobody is not an agency id" in str(raised.value.errors[0])


# --- 3. several files from one agency --------------------------------------------------------

def test_a_narrative_and_a_figures_workbook_are_merged_section_by_section(inputs, tmp_path):
    returns = inputs / "returns"
    saved_on(word_return(returns / "MFRS narrative.docx", ["Merseyside Fire & Rescue Service"], "headings"), ON_TIME)
    saved_on(figures_workbook(returns / "MFRS key figures.xlsx", [["Young people on the Beacon course", 128]]), ON_TIME + 3600)

    data = check_json(inputs, tmp_path)

    [mfrs] = data["submissions"]
    assert data["superseded"] == [] and data["unknown"] == []
    assert mfrs["sections"]["about"]["text"] == ABOUT and mfrs["sections"]["priorities"]["text"] == PRIORITIES
    assert [(i["label"], i["value"]) for i in mfrs["indicators"]] == [("Young people on the Beacon course", 128)]
    assert not [p for p in mfrs["problems"] if p["field"] in ("about", "activity", "priorities")]  # no 'empty' errors
    sources = {part: Path(s["path"]).name for part, s in mfrs["section_sources"].items()}
    assert sources == {"about": "MFRS narrative.docx", "activity": "MFRS narrative.docx", "priorities": "MFRS narrative.docx",
                       "indicators": "MFRS key figures.xlsx"}
    plain = run_cli("check", "--verbose", "--inputs", str(inputs), "--chase-out", str(tmp_path / "chase")).stdout
    assert "Merseyside Fire & Rescue Service | about, activity, priorities | MFRS narrative.docx" in plain
    assert "Merseyside Fire & Rescue Service | key figures | MFRS key figures.xlsx" in plain


def test_the_manifest_names_every_file_a_merged_return_was_made_from(inputs, config, tmp_path):
    from assembler.build import _write_manifest

    returns = inputs / "returns"
    saved_on(word_return(returns / "MFRS narrative.docx", ["Merseyside Fire & Rescue Service"], "headings"), ON_TIME)
    saved_on(figures_workbook(returns / "MFRS key figures.xlsx", [["Young people on the Beacon course", 128]]), ON_TIME + 3600)
    intake = read_returns([returns], config, tmp_path / "images")
    _write_manifest(tmp_path, inputs, config, intake, [])
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["returns_accepted"] == ["returns/MFRS key figures.xlsx", "returns/MFRS narrative.docx"]


def test_a_newer_file_supersedes_an_older_one_only_for_the_sections_both_fill(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    saved_on(word_return(returns / "CWP return.docx", ["Cheshire and Wirral Partnership"], "headings",
                         texts=(ABOUT, "Old activity with xx% left in.", PRIORITIES)), ON_TIME)
    saved_on(word_return(returns / "CWP activity update.docx", ["Cheshire and Wirral Partnership"], "headings",
                         texts=("", "New activity: 96% compliance.", "")), ON_TIME + 86400)

    intake = read_returns([returns], config, tmp_path / "images")

    [cwp] = intake.accepted
    assert (plain_text(cwp.about), plain_text(cwp.activity), plain_text(cwp.priorities)) == (
        ABOUT, "New activity: 96% compliance.", PRIORITIES)
    assert {k: Path(v.path).name for k, v in cwp.section_sources.items() if k != "contact"} == {
        "about": "CWP return.docx", "activity": "CWP activity update.docx", "priorities": "CWP return.docx"}
    assert not cwp.has_errors  # the old activity's xx% was replaced, so it blocks nothing
    [replaced] = [p for p in cwp.problems if p.field == "return"]
    assert "activity from 'CWP return.docx'" in replaced.message and "'CWP activity update.docx'" in replaced.message
    assert intake.superseded == []


def test_a_later_file_with_nothing_in_it_is_not_called_older_or_newer(config, tmp_path):
    """An empty copy (or a scan) sent after the return: the return is used, and the empty file is said to be
    empty, not 'superseded by the newer return', which is older."""
    returns = tmp_path / "returns"
    returns.mkdir()
    saved_on(word_return(returns / "CWP return.docx", ["Cheshire and Wirral Partnership"], "headings"), ON_TIME)
    saved_on(word_return(returns / "CWP scan.docx", ["Cheshire and Wirral Partnership"], "headings", texts=("", "", "")),
             ON_TIME + 86400)

    intake = read_returns([returns], config, tmp_path / "images")

    [cwp] = intake.accepted
    assert Path(cwp.source.path).name == "CWP return.docx" and plain_text(cwp.about) == ABOUT
    [empty] = intake.superseded
    [said] = [p for p in empty.problems if p.code == "duplicate_return"]
    assert said.message.startswith("it has no text in any section and no figures or contact, so 'CWP return.docx'")
    assert "newer" not in said.message
    assert not [p for p in cwp.problems if p.code == "duplicate_return"]


def test_the_newer_file_is_decided_by_the_emails_date_not_the_order_of_names(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    late = word_return(tmp_path / "b.docx", ["Blue Skies Ahead"], texts=("Second version.", ACTIVITY, PRIORITIES))
    early = word_return(tmp_path / "a.docx", ["Blue Skies Ahead"], texts=("First version.", ACTIVITY, PRIORITIES))
    email_return(returns / "A second go.eml", "Jo <hello@blueskiesahead.example>", "return.docx", late.read_bytes(),
                 datetime.fromisoformat("2024-04-28T09:00:00+01:00"))
    email_return(returns / "Z first go.eml", "Jo <hello@blueskiesahead.example>", "return.docx", early.read_bytes(),
                 datetime.fromisoformat("2024-04-10T09:00:00+01:00"))
    intake = read_returns([returns], config, tmp_path / "images")
    assert [plain_text(s.about) for s in intake.accepted] == ["Second version."]
    assert [Path(s.source.path).name for s in intake.superseded] == ["Z first go.eml"]


def test_an_identical_copy_is_one_file_and_a_note_never_a_problem(config, tmp_path):
    from assembler.chase import chase_list

    returns = tmp_path / "returns"
    returns.mkdir()
    original = saved_on(word_return(returns / "YMCA Wirral return.docx", ["YMCA Wirral"], "bold"), ON_TIME)
    shutil.copyfile(original, returns / "YMCA Wirral return (1).docx")
    saved_on(returns / "YMCA Wirral return (1).docx", ON_TIME + 60)

    intake = read_returns([returns], config, tmp_path / "images")

    [ymca] = intake.accepted
    assert Path(ymca.source.path).name == "YMCA Wirral return.docx" and ymca.problems == []
    assert intake.superseded == [] and intake.unknown == []
    [note] = intake.notes
    assert note.message == "'YMCA Wirral return (1).docx' is an identical copy of 'YMCA Wirral return.docx' (the same content); it was read once"
    assert "ymca-wirral" not in {e.agency.id for e in chase_list(intake, config)}


def test_a_copy_that_differs_only_in_what_is_not_printed_is_not_an_identical_copy(config, tmp_path):
    """The same return sent again with a sentence after its contact details: the sentence is reported, not
    hidden behind 'an identical copy'."""
    returns = tmp_path / "returns"
    returns.mkdir()
    for name, extra in (("YMCA Wirral return.docx", []),
                        ("YMCA Wirral return v2.docx", ["We would also like to thank the volunteers who ran our summer holiday club."])):
        path = word_return(returns / name, ["YMCA Wirral"], "headings")
        document = docx.Document(path)
        document.add_heading("Contact details", 2)
        for line in ["Name: Sam Lee", "Role: Safeguarding lead", "Email: sam@ymcawirral.example", *extra]:
            document.add_paragraph(line)
        document.save(path)
        saved_on(path, ON_TIME + 60 * len(extra))

    intake = read_returns([returns], config, tmp_path / "images")

    assert not [n for n in intake.notes if n.code == "identical_copy"]
    [ymca] = intake.accepted
    assert any(p.code == "prose_under_contact" and "thank the volunteers" in p.message for p in ymca.problems)


def test_last_years_return_is_named_as_last_years(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    saved_on(word_return(returns / "RASA 2023-24.docx", ["RASA Merseyside", "Return for 2023-24"]), ON_TIME)
    saved_on(word_return(returns / "RASA old.docx", ["RASA Merseyside", "Return for 2022-23"], texts=(ABOUT, ACTIVITY, "Old plans.")),
             ON_TIME + 86400)  # arrived later, but it is last year's
    intake = read_returns([returns], config, tmp_path / "images")
    assert [Path(s.source.path).name for s in intake.accepted] == ["RASA 2023-24.docx"]
    [old] = intake.superseded
    [reason] = [p for p in old.problems if p.field == "return"]
    assert reason.message.startswith("this is last year's return (2022-23); the 2023-24 return 'RASA 2023-24.docx'")
    assert not intake.accepted[0].problems


# --- 4. when it was received -------------------------------------------------------------------

def test_a_form_saved_in_april_but_emailed_in_june_is_late(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    form = word_return(tmp_path / "form.docx", ["Open Door"], modified=datetime(2024, 4, 10, 9, 0))
    email_return(returns / "Open Door.eml", "Kim <hello@opendoor.example>", "form.docx", form.read_bytes(),
                 datetime.fromisoformat("2024-06-03T09:00:00+01:00"))
    [s] = read_returns([returns], config, tmp_path / "images").accepted
    assert s.source.received_from == "the e-mail's Date"
    [late] = [p for p in s.problems if p.field == "received"]
    assert "received 03 June 2024, 34 days after the due date 30 April 2024" in late.message


def test_a_file_resaved_today_is_dated_by_its_time_in_returns_not_its_saved_time(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    path = word_return(returns / "Open Door return.docx", ["Open Door"], modified=datetime(2026, 12, 1, 9, 0))
    saved_on(path, datetime(2024, 4, 29, 9, 0, tzinfo=timezone.utc).timestamp())
    intake = read_returns([returns], config, tmp_path / "images")
    [s] = intake.accepted
    assert s.source.received == datetime(2024, 4, 29, 9, 0, tzinfo=timezone.utc)
    assert s.source.received_from == "the file's time in returns/" and s.problems == []
    [hint] = intake.notes  # the later saved time is only a hint, for the officer
    assert "last saved on 01 December 2026, after it was received (29 April 2024" in hint.message


def test_a_receipt_record_wins_over_the_files_time(config, tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    saved_on(word_return(returns / "Open Door return.docx", ["Open Door"]), ON_TIME)
    recorded = config.model_copy(update={"received": {"Open Door*": datetime(2024, 5, 2, 12, 0, tzinfo=timezone.utc)}})
    [s] = read_returns([returns], recorded, tmp_path / "images").accepted
    assert s.source.received_from == "received: in report.yaml"
    assert any(p.field == "received" and "2 days after" in p.message for p in s.problems)


def test_the_samples_late_returns_are_the_same_in_a_fresh_clone(tmp_path):
    """Git keeps no file times: a clone's files are all 'saved now'. The receipt log keeps the sample's dates."""
    config = load_config(REPO / "inputs" / "report.yaml")
    shutil.copytree(REPO / "inputs" / "returns", tmp_path / "returns")
    for path in (tmp_path / "returns").iterdir():
        os.utime(path, None)  # as a fresh clone leaves them
    intake = read_returns([tmp_path / "returns"], config, tmp_path / "images")
    late = sorted(s.agency_id for s in intake.accepted if any(p.field == "received" for p in s.problems))
    assert late == ["forum-housing", "magenta-living"]
    assert not [p for p in intake.problems() if p.severity == "error"]
    cafcass = next(s for s in intake.superseded if s.agency_id == "cafcass")
    assert any(p.message.startswith("this is last year's return (2022-23)") for p in cafcass.problems)


def test_the_receipt_log_matches_the_sample_sources():
    """tools/make_sample_returns.py writes received: from the sources; the committed report.yaml must agree."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import make_sample_returns as tool
    finally:
        sys.path.pop(0)
    config = load_config(REPO / "inputs" / "report.yaml")
    expected = {s.file_name: s.received.replace(tzinfo=tool.BST) for s in tool.all_sources() if not s.meta.get("email")}
    assert config.received == expected


def test_a_receipt_record_that_is_not_a_time_names_the_line_and_the_format(tmp_path):
    from assembler.errors import ConfigErrors

    text = (REPO / "inputs" / "report.yaml").read_text(encoding="utf-8") + '  "Late one.docx": yesterday\n'
    (tmp_path / "report.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigErrors) as raised:
        load_config(tmp_path / "report.yaml")
    [error] = raised.value.errors
    assert error.line == len(text.splitlines()) and "YYYY-MM-DD HH:MM" in error.fix


def test_a_contact_typed_in_both_files_is_taken_from_the_newer_without_a_warning(config):
    from assembler.readers.base import ReturnContent
    from assembler.schema import Contact, Indicator, Paragraph, Run, SourceFile, Submission
    from assembler.validate import validate_intake

    def made(name, hour, contact, **parts):
        source = SourceFile(path=f"returns/{name}", sha256="0" * 64, format="docx",
                            received=datetime(2024, 4, 20, hour, tzinfo=timezone.utc))
        blocks = {k: [Paragraph(runs=[Run(text=v)])] for k, v in parts.items() if isinstance(v, str)}
        return Submission(agency_id="mfrs", agency_name="Merseyside Fire & Rescue Service", period="2023-24", source=source,
                          contact=Contact(name=contact), indicators=parts.get("indicators", []), **blocks), ReturnContent()

    narrative = made("narrative.docx", 9, "Dave", about=ABOUT, activity=ACTIVITY, priorities=PRIORITIES)
    figures = made("figures.xlsx", 10, "Dave Jones", indicators=[Indicator(label="Cadets", value=40)])
    [merged] = validate_intake([narrative, figures], config).accepted
    assert merged.problems == [] and merged.contact.name == "Dave Jones"
    assert {k: v.path for k, v in merged.section_sources.items()} == {
        "about": "returns/narrative.docx", "activity": "returns/narrative.docx", "priorities": "returns/narrative.docx",
        "indicators": "returns/figures.xlsx", "contact": "returns/figures.xlsx"}
