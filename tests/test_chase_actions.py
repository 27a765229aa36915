"""The chase list the officer acts on: only agencies that must act, most urgent first, each with an e-mail whose
subject agrees with its body, as text and as an Outlook/Thunderbird draft; what needs no action on a sheet of its own;
and a blank template saved into returns/ noted once, not read as the agency's return."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from assembler.chase import chase_list, chase_notes, write_chase_outputs
from assembler.config import load_config
from assembler.intake import read_returns
from assembler.mail.messages import parse_chase_text
from test_readers_builders import ABOUT, PRIORITIES, free_form_docx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample_check(tmp_path_factory):
    """`assembler check` on the sample, with mail: settings so the drafts carry From and Reply-To."""
    base = tmp_path_factory.mktemp("sample")
    inputs = base / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    with open(inputs / "report.yaml", "a", encoding="utf-8") as handle:
        handle.write("\nmail:\n  address: wscp@wirral.example\n  user: wscp@wirral.example\n"
                     "  smtp: {host: 127.0.0.1, port: 2525, security: plain}\n"
                     "  imap: {host: 127.0.0.1, port: 1143, security: plain}\n")
    out = base / "out"
    done = subprocess.run([sys.executable, "-m", "assembler", "check", "--inputs", str(inputs), "--chase-out", str(out)],
                          capture_output=True, text=True, cwd=REPO)
    assert "Chase list:" in done.stdout, done.stdout + done.stderr
    book = openpyxl.load_workbook(out / "chase-list.xlsx")
    return {"out": out, "book": book, "config": load_config(inputs / "report.yaml")}


def test_sample_chase_rows_are_the_agencies_to_act_most_urgent_first(sample_check):
    sheet = sample_check["book"]["Chase list"]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    statuses = [r[3] for r in rows]
    assert statuses == sorted(statuses, key=("missing", "errors", "warnings").index)
    ids = [r[1] for r in rows]
    assert ids[:3] == ["nspcc", "sendlo", "public-health"] and set(statuses[:3]) == {"missing"}
    # Early Help's figure saved as a formula without a value is accepted in report.yaml (indicators.not_available).
    assert "early-help" not in ids
    [barnardos] = [r for r in rows if r[1] == "barnardos"]
    assert statuses[ids.index("barnardos")] == "warnings" and "340 words" in barnardos[5]
    for needs_nothing in ("forum-housing", "magenta-living", "koala", "wuth", "cafcass", "mfrs"):
        assert needs_nothing not in ids
    texts = sorted(p.stem for p in (sample_check["out"] / "chase").glob("*.txt"))
    drafts = sorted(p.stem for p in (sample_check["out"] / "chase").glob("*.eml"))
    assert texts == drafts == sorted(ids)


def test_sample_notes_sheet_holds_what_needs_no_action(sample_check):
    rows = list(sample_check["book"]["Notes (no action)"].iter_rows(values_only=True))
    assert rows[0] == ("Agency", "Agency id", "File", "Note")
    by_agency = {}
    for row in rows[1:]:
        by_agency.setdefault(row[1], []).append(row)
    assert any("after the due date" in r[3] for r in by_agency["forum-housing"])
    assert any("after the due date" in r[3] for r in by_agency["magenta-living"])
    assert any(r[2] == "Koala WSCP return draft.docx" and "not used" in r[3] for r in by_agency["koala"])
    assert any("Cafcass Wirral return 2022-23.docx" == r[2] and "last year's return" in r[3] for r in by_agency["cafcass"])
    assert not any("/" in r[2].partition(" (attachment ")[0] for r in rows[1:])  # file names, not the officer's folders


def test_sample_emails_agree_with_what_arrived_and_open_as_drafts(sample_check):
    chase = sample_check["out"] / "chase"
    config = sample_check["config"]
    for text_path in sorted(chase.glob("*.txt")):
        text = text_path.read_text(encoding="utf-8")
        to, subject, body = parse_chase_text(text)
        agency = config.agency(text_path.stem)
        assert to == agency.email
        draft = email.message_from_bytes((chase / f"{text_path.stem}.eml").read_bytes(), policy=email.policy.default)
        assert draft["X-Unsent"] == "1" and draft["To"] == agency.email and draft["Subject"] == subject
        assert draft["From"] == "wscp@wirral.example" and draft["Reply-To"] == "wscp@wirral.example"
        assert draft.get_content().replace("\r\n", "\n").rstrip("\n") == body.rstrip("\n")
        if "has not arrived" in subject:
            assert "not yet received a return" in body and "Thank you" not in body
        if "could not use the file" in subject:
            assert "Thank you for sending" in body and "could not use" in body
        if "correct" in subject or "a few points" in subject:
            assert f"Thank you for {agency.name}" in body and "'s's" not in body
    nspcc = (chase / "nspcc.txt").read_text(encoding="utf-8")
    assert "could not use the file you sent" in nspcc.splitlines()[1] and "NSPCC Wirral WSCP return 2023-24.doc" in nspcc
    assert "has not arrived" not in nspcc
    barnardos = (chase / "barnardos.txt").read_text(encoding="utf-8")
    assert "a few points" in barnardos.splitlines()[1]
    assert "Please cut it by 40 words" in barnardos


def test_no_mail_settings_gives_a_draft_without_from(tmp_path):
    config = load_config(REPO / "inputs" / "report.yaml")
    assert config.mail is None
    returns = tmp_path / "returns"
    returns.mkdir()
    intake = read_returns([returns], config, tmp_path / "images")
    write_chase_outputs(chase_list(intake, config)[:1], tmp_path / "out", config)
    [draft_path] = (tmp_path / "out" / "chase").glob("*.eml")
    draft = email.message_from_bytes(draft_path.read_bytes(), policy=email.policy.default)
    assert draft["From"] is None and draft["X-Unsent"] == "1" and "has not arrived" in draft["Subject"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_blank_template_in_returns_is_a_note_not_a_return(tmp_path, kind):
    from assembler.templates_out.excel import write_excel_template
    from assembler.templates_out.word import write_word_template

    config = load_config(REPO / "inputs" / "report.yaml")
    returns = tmp_path / "returns"
    returns.mkdir()
    write = write_word_template if kind == "docx" else write_excel_template
    write(returns / f"nwas.{kind}", config.agency("nwas"), config)        # the blank, copied in by mistake
    write(returns / f"cafcass.{kind}", config.agency("cafcass"), config)  # another agency's blank beside its real return
    free_form_docx(returns / "Cafcass return.docx", title="Cafcass", texts=(ABOUT, "A busy year.", PRIORITIES))
    intake = read_returns([returns], config, tmp_path / "images")
    assert "nwas" in {a.id for a in intake.missing} and "nwas" not in {s.agency_id for s in intake.accepted}
    assert "cafcass" in {s.agency_id for s in intake.accepted}
    assert not any("empty" in p.message for s in intake.accepted for p in s.problems)
    blank_notes = [n for n in intake.notes if "blank template" in n.message]
    assert sorted((n.agency_id, Path(n.file).name) for n in blank_notes) == [("cafcass", f"cafcass.{kind}"), ("nwas", f"nwas.{kind}")]
    entries = {e.agency.id: e for e in chase_list(intake, config)}
    assert entries["nwas"].status == "missing" and entries["nwas"].problems == []  # chased for its return, not for errors
    assert "cafcass" not in entries
    write_chase_outputs(list(entries.values()), tmp_path / "out", config, chase_notes(intake, config))
    notes = list(openpyxl.load_workbook(tmp_path / "out" / "chase-list.xlsx")["Notes (no action)"].iter_rows(values_only=True))
    assert [r[1] for r in notes if "blank template" in r[3]] == ["nwas", "cafcass"] or \
        sorted(r[1] for r in notes if "blank template" in r[3]) == ["cafcass", "nwas"]


def test_the_notes_sheet_holds_no_formula(tmp_path):
    from assembler.chase import ChaseNote
    from test_chase import FORMULA_LIKE, _assert_no_formula_cells

    config = load_config(REPO / "inputs" / "report.yaml")
    notes = [ChaseNote(text, "nwas", text, f"not used: {text}") for text in FORMULA_LIKE]
    write_chase_outputs([], tmp_path / "out", config, notes)
    cells = _assert_no_formula_cells(tmp_path / "out" / "chase-list.xlsx")
    assert {c.value for c in cells} >= set(FORMULA_LIKE[:-1])


@pytest.mark.parametrize("fix, asked", [
    ("ask the agency to cut it by 40 words, or raise rules.word_limits.about in report.yaml",
     "Please cut it by 40 words"),
    ("Ask the agency to send a shorter return without very large tables or pictures, "
     "or raise limits.max_memory_mb_per_file in report.yaml if the file is genuine.",
     "Please send a shorter return without very large tables or pictures."),
    ("ask the agency to type the number, or to open the file in Excel, or accept it under indicators.not_available "
     "in report.yaml", "Please type the number, or open the file in Excel"),
    ("Ask the agency to send the .docx or .xlsx itself, not in a .zip folder, or unzip it and save the return it "
     "holds in the returns folder.", "Please send the .docx or .xlsx itself, not in a .zip folder."),
    ("if it belongs in the report, ask the agency to unhide it and send the file again",  # inside a sentence
     "if it belongs in the report, please unhide it and send the file again"),
    ("Ask the agency to send the return again as the .docx or .xlsx template they were given.",  # said to them
     "Please send the return again as the .docx or .xlsx template you were given."),
])
def test_an_e_mail_asks_the_agency_only_what_the_agency_can_do(fix, asked):
    """What only the officer can do (change report.yaml) is in the chase list, not in the agency's e-mail."""
    from assembler.chase import to_agency

    assert to_agency(fix) == asked


def test_the_sample_e_mails_never_mention_report_yaml(sample_check):
    for text_path in (sample_check["out"] / "chase").glob("*.txt"):
        assert "report.yaml" not in text_path.read_text(encoding="utf-8"), text_path.name
