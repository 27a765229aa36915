"""Reading a folder of returns: discovery, matching to agencies, rejections, time limits, duplicates."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assembler.intake import discover, read_returns
from assembler.readers.table import READERS
from assembler.schema import plain_text
from assembler.templates_out.word import write_word_template
from test_readers_builders import ABOUT, eml_with, fill_word_template, free_form_docx, rows_workbook

REPO = Path(__file__).resolve().parent.parent


def test_discovery_is_recursive_and_skips_lock_files_readmes_and_hidden_files(tmp_path):
    for name in ["a.docx", "sub/b.xlsx", "~$a.docx", "README.md", ".hidden.docx", ".git/x.docx", "sub/deeper/c.eml",
                 "~WRL0003.tmp", "sub/~WRD0000.tmp", "save.TMP"]:  # Word's temporary copies hold half-saved drafts
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == ["a.docx", "sub/b.xlsx", "sub/deeper/c.eml"]


def test_discovery_lists_links_and_pipes_without_following_or_opening_them(tmp_path):
    import os

    returns = tmp_path / "returns"
    (returns / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "private.docx").write_bytes(b"x")
    (returns / "a.docx").write_bytes(b"x")
    os.symlink(tmp_path / "elsewhere" / "private.docx", returns / "link.docx")
    os.symlink(tmp_path / "elsewhere", returns / "sub" / "folder-link")  # listed as itself, never entered
    os.mkfifo(returns / "pipe.docx")
    assert [p.relative_to(returns).as_posix() for p in discover([returns])] == [
        "a.docx", "link.docx", "pipe.docx", "sub/folder-link"]


def test_links_and_special_files_are_refused_by_name_and_the_others_read(tmp_path, config):
    import os

    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return.docx")
    outside = free_form_docx(tmp_path / "Cafcass return.docx", title="Cafcass")
    os.symlink(outside, returns / "Cafcass return.docx")
    os.symlink(tmp_path, returns / "Barnardo's folder")
    os.mkfifo(returns / "NWAS return.xlsx")  # opened, it would wait for a writer for ever
    started = time.monotonic()
    intake = read_returns([returns], config, tmp_path / "images")
    assert time.monotonic() - started < 15
    assert [s.agency_id for s in intake.accepted] == ["mfrs"]  # the linked Cafcass return was never read
    rejected = {Path(r.file).name: r for r in intake.rejected}
    assert set(rejected) == {"Cafcass return.docx", "Barnardo's folder", "NWAS return.xlsx"}
    assert "link" in rejected["Cafcass return.docx"].message and "'Cafcass return.docx'" in rejected["Cafcass return.docx"].message
    assert str(tmp_path) not in rejected["Cafcass return.docx"].message  # the officer's folders are not shown
    assert "copy the real file" in rejected["Cafcass return.docx"].fix
    assert "link" in rejected["Barnardo's folder"].message
    assert "pipe" in rejected["NWAS return.xlsx"].message and "Remove it" in rejected["NWAS return.xlsx"].fix
    assert rejected["Cafcass return.docx"].agency_id == "cafcass"  # still the agency's to chase


def test_returns_are_read_by_what_they_are_whatever_their_names(tmp_path, config):
    import shutil

    returns = tmp_path / "returns"
    returns.mkdir()
    rows_workbook(tmp_path / "nwas.xlsx", [["About our agency and what we do", ABOUT]], [["Indicator", "Value"], ["Calls", "1,257"]])
    shutil.copyfile(tmp_path / "nwas.xlsx", returns / "NWAS return.docx")  # a workbook saved under a Word name
    free_form_docx(tmp_path / "cafcass.docx", title="Cafcass")
    shutil.copyfile(tmp_path / "cafcass.docx", returns / "ATT00001")  # as Outlook names an attachment it saves
    free_form_docx(returns / "MFRS return.xlsx")  # and the reverse
    intake = read_returns([returns], config, tmp_path / "images")
    assert intake.rejected == []
    by_agency = {s.agency_id: s for s in intake.accepted}
    assert sorted(by_agency) == ["cafcass", "mfrs", "nwas"]
    assert by_agency["nwas"].source.format == "xlsx" and by_agency["nwas"].indicators[0].value == 1257
    assert plain_text(by_agency["nwas"].about) == ABOUT
    assert by_agency["cafcass"].source.format == "docx" and plain_text(by_agency["cafcass"].about) == ABOUT
    assert by_agency["mfrs"].source.format == "docx" and plain_text(by_agency["mfrs"].about) == ABOUT


def _greedy_reader(path, image_dir):
    # Asks for as much memory as the reading budget allows in all, which must fail at once. Without a
    # budget it returns, and the test fails: it never really takes the memory.
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return _greedy_reader.original(path, image_dir)
    bytearray(soft)


def test_a_return_over_the_memory_budget_is_rejected_and_the_others_still_read(tmp_path, config, monkeypatch):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return.docx")
    rows_workbook(returns / "NWAS return.xlsx", [["About our agency and what we do", ABOUT]])
    _greedy_reader.original = READERS["xlsx"].read
    monkeypatch.setitem(READERS, "xlsx", replace(READERS["xlsx"], read=_greedy_reader))  # workers are forked: they see it
    config.limits.max_memory_mb_per_file = 300
    intake = read_returns([returns], config, tmp_path / "images")
    assert [s.agency_id for s in intake.accepted] == ["mfrs"]
    [rejected] = intake.rejected
    assert Path(rejected.file).name == "NWAS return.xlsx" and rejected.agency_id == "nwas"
    assert "more memory" in rejected.message and "300 MB" in rejected.message
    assert "limits.max_memory_mb_per_file" in rejected.fix


def test_a_return_whose_reading_outgrows_the_memory_budget_is_set_aside(tmp_path):
    # 18 MB of paragraphs: parsed, they take several times that. A real file, a real parse, a small budget,
    # through `assembler check` in a fresh process (as the officer runs it: the budget counts from what the
    # reading worker holds when it starts, and a test process holds a lot it has freed).
    import json
    import random
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "tests" / "hostile"))
    import make_corpus

    rng = random.Random(1)
    good = make_corpus._docx_bytes(make_corpus.valid_return("Cafcass", "cafcass"))
    paragraphs = "".join(f"<w:p><w:r><w:t>{make_corpus._prose(rng, 60, 'NSPCC')}</w:t></w:r></w:p>" for _ in range(800))
    inputs = tmp_path / "inputs"
    (inputs / "returns").mkdir(parents=True)
    settings = (REPO / "inputs" / "report.yaml").read_text()
    assert "\nlimits:\n" in settings
    (inputs / "report.yaml").write_text(settings.replace("\nlimits:\n", "\nlimits:\n  max_memory_mb_per_file: 32\n", 1))
    (inputs / "returns" / "Cafcass return.docx").write_bytes(good)
    (inputs / "returns" / "NSPCC return.docx").write_bytes(
        make_corpus._replace(good, {"word/document.xml": make_corpus._with_body(good, paragraphs * 40)}))
    done = subprocess.run([sys.executable, "-m", "assembler", "check", "--inputs", str(inputs), "--json", "-",
                           "--chase-out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(s["agency_id"], s["status"]) for s in report["submissions"]] == [("cafcass", "accepted")]
    [rejected] = report["rejected"]
    assert rejected["file"].endswith("NSPCC return.docx")
    assert "more memory" in rejected["message"] and "32 MB" in rejected["message"]
    assert "limits.max_memory_mb_per_file" in rejected["fix"]


def test_a_folder_of_mixed_returns(tmp_path, config):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS WSCP return 2023-24.docx")
    free_form_docx(returns / "return.docx", title="NHS Cheshire and Merseyside ICB (Wirral Place)", layout="bold")
    rows_workbook(returns / "wchc_annual_return_FINAL v2.xlsx", [
        ["About our agency and what we do", ABOUT], ["2023 activity and what we would like to celebrate", "Busy."],
        ["Planned safeguarding priorities for 2024", "More."]], [["Indicator", "Value"], ["Calls", "1,257"]])
    eml_with(returns / "mail.eml", [("ours.docx", free_form_docx(tmp_path / "att.docx", title="Our return").read_bytes())],
             sender="Sam <hello@blueskiesahead.example>")
    (returns / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (returns / "notes.docx").write_text("not a zip at all")
    free_form_docx(returns / "Sefton return.docx", title="Sefton Council Children's Services")

    intake = read_returns([returns], config, tmp_path / "images")

    assert sorted(s.agency_id for s in intake.accepted) == ["blue-skies", "icb", "mfrs", "wchc"]
    mfrs = next(s for s in intake.accepted if s.agency_id == "mfrs")
    assert plain_text(mfrs.about) == ABOUT and mfrs.agency_name == "Merseyside Fire & Rescue Service"
    blue = next(s for s in intake.accepted if s.agency_id == "blue-skies")
    assert blue.source.sender == "hello@blueskiesahead.example" and blue.source.attachment == "ours.docx"
    wchc = next(s for s in intake.accepted if s.agency_id == "wchc")
    assert wchc.indicators[0].value == 1257
    assert [s.agency_name for s in intake.unknown] == ["Sefton Council Children's Services"]
    rejected = {Path(r.file).name: r for r in intake.rejected}
    assert set(rejected) == {"old.doc", "notes.docx"}
    assert "old-style" in rejected["old.doc"].message and ".docx" in rejected["old.doc"].fix
    assert "Traceback" not in rejected["notes.docx"].message
    assert {a.id for a in intake.missing} == {a.id for a in config.agencies} - {"blue-skies", "icb", "mfrs", "wchc"}


def test_a_renamed_template_is_recognised_by_its_properties(tmp_path, config):
    template = write_word_template(tmp_path / "blank.docx", config.agency("cafcass"), config)
    returns = tmp_path / "returns"
    returns.mkdir()
    fill_word_template(template, returns / "Merseyside Police.docx", {"about": ABOUT, "activity": "A", "priorities": "B"})
    intake = read_returns([returns], config, tmp_path / "images")
    assert [s.agency_id for s in intake.accepted] == ["cafcass"]
    assert intake.accepted[0].period == "2023-24"


def test_last_years_return_is_for_the_wrong_period(tmp_path, config):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return 2022-23.docx", headings=("About us", "2022 activity and what we would like to celebrate", "Priorities for 2023"))
    [s] = read_returns([returns], config, tmp_path / "images").accepted
    assert s.period == "2022-23" and any(p.field == "period" and p.severity == "error" for p in s.problems)


def test_newest_of_two_returns_wins(tmp_path, config):
    from datetime import datetime

    returns = tmp_path / "returns"
    returns.mkdir()
    import os

    final = free_form_docx(returns / "MFRS final.docx", texts=("Final about.", "A", "B"), modified=datetime(2024, 4, 12, 10, 3))
    draft = free_form_docx(returns / "MFRS zz draft.docx", texts=("Draft about.", "A", "B"), modified=datetime(2024, 4, 12, 10, 3))
    # When each was saved into returns/ decides, not the document's own saved time (the same in both here).
    os.utime(final, (datetime(2024, 4, 26, 14, 21).timestamp(),) * 2)
    os.utime(draft, (datetime(2024, 4, 12, 10, 3).timestamp(),) * 2)
    intake = read_returns([returns], config, tmp_path / "images")
    assert [plain_text(s.about) for s in intake.accepted] == ["Final about."]
    assert [plain_text(s.about) for s in intake.superseded] == ["Draft about."]


def _slow_reader(path, image_dir):
    time.sleep(30)


def test_a_file_over_the_time_limit_is_rejected_and_the_others_still_read(tmp_path, config, monkeypatch):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return.docx")
    rows_workbook(returns / "NWAS return.xlsx", [["About our agency and what we do", ABOUT]])
    monkeypatch.setitem(READERS, "xlsx", replace(READERS["xlsx"], read=_slow_reader))  # workers are forked: they see it
    config.limits.max_seconds_per_file = 1
    started = time.monotonic()
    intake = read_returns([returns], config, tmp_path / "images")
    assert time.monotonic() - started < 15
    assert [s.agency_id for s in intake.accepted] == ["mfrs"]
    [rejected] = intake.rejected
    assert Path(rejected.file).name == "NWAS return.xlsx" and "1 seconds" in rejected.message and rejected.agency_id == "nwas"


def test_the_same_returns_give_the_same_intake(tmp_path, config):
    returns = tmp_path / "returns"
    returns.mkdir()
    free_form_docx(returns / "MFRS return.docx", image_alt="Cadets")
    free_form_docx(returns / "ICB return.docx", layout="table")
    first = read_returns([returns], config, tmp_path / "images")
    second = read_returns([returns], config, tmp_path / "images")
    assert [s.model_dump() for s in first.accepted] == [s.model_dump() for s in second.accepted]


@pytest.mark.skipif(not (REPO / "inputs" / "returns").is_dir(), reason="sample returns not generated yet")
def test_sample_returns_are_all_placed_and_none_accepted_has_errors(tmp_path, config):
    shutil.copytree(REPO / "inputs" / "returns", tmp_path / "returns")
    intake = read_returns([tmp_path / "returns"], config, tmp_path / "images")
    assert intake.accepted
    assert not [p for p in intake.problems() if p.severity == "error"]
    police = next(s for s in intake.accepted if s.agency_id == "merseyside-police")
    assert "468" in plain_text(police.activity) and "Harm Reduction Unit" not in plain_text(police.activity)
    assert any(p.field == "document" and "tracked changes" in p.message for p in police.problems)


@pytest.mark.parametrize("text, agency_id", [
    ("NHS Cheshire and Merseyside ICB (Wirral Place)", "icb"),
    ("Early Help & Prevention (Wirral Council)", "early-help"),
    ("Wirral Community Health & Care NHS FT", "wchc"),
    ("MFRS WSCP return 2023-24", "mfrs"),
    ("NWAS_WSCP_return_2324", "nwas"),
    ("WSCP Annual Report 2023-24 - Merseyside Police v3", "merseyside-police"),
    ("Sefton Council Children's Services", None),
    ("Wirral", None),
])
def test_agency_names_are_matched_tolerantly(config, text, agency_id):
    from assembler.readers.agency_match import AgencyMatcher

    found = AgencyMatcher(config).by_text(text)
    assert (found.id if found else None) == agency_id


def test_sender_address_identifies_the_agency(config):
    from assembler.readers.agency_match import AgencyMatcher

    matcher = AgencyMatcher(config)
    assert matcher.by_sender("PPU.Wirral@merseyside-police.example").id == "merseyside-police"
    assert matcher.by_sender("someone.else@merseyfire.example").id == "mfrs"  # the only agency on that domain
    assert matcher.by_sender("x@wirral.example") is None  # several agencies share wirral.example


def test_round_trip_every_agency_through_its_own_template(tmp_path, config):
    """The blank templates, filled in the way people type, come back with every word and number in place."""
    from assembler.typography import typeset_text
    from assembler.templates_out import write_templates
    from test_readers_builders import fill_excel_template

    blanks = write_templates(tmp_path / "blank", config)
    returns = tmp_path / "returns"
    returns.mkdir()
    typed = {}
    for number, written in enumerate(blanks):
        agency = written.agency
        texts = {
            "about": f"{agency.name} keeps children safe in Wirral.",
            "activity": f"In 2023 {agency.id} trained {number + 10} staff.",
            "priorities": f"Priority for {agency.id}: listen to children.",
            "contact_email": agency.email,
        }
        typed[agency.id] = texts
        indicators = [["Staff trained", f"{number + 10}", "", "2023-24", ""], ["Compliance", "91.2%", "", "2023-24", ""]]
        target = returns / f"our return {number}.{agency.format}"  # renamed: recognised by its properties
        if agency.format == "docx":
            fill_word_template(written.word, target, texts, indicators=indicators)
        else:
            fill_excel_template(written.excel, target, texts, indicators=[
                ["Staff trained", number + 10, None, "2023-24"], ["Compliance", 0.912, None, "2023-24"]], formats={1: "0.0%"})
    intake = read_returns([returns], config, tmp_path / "images")
    assert intake.rejected == [] and intake.unknown == [] and intake.missing == []
    assert len(intake.accepted) == len(config.agencies)
    for submission in intake.accepted:
        texts = typed[submission.agency_id]
        for key in ("about", "activity", "priorities"):
            # Apostrophes come back typeset ('Barnardo’s'), as the report prints all agency text.
            assert plain_text(getattr(submission, key)) == typeset_text(texts[key]), (submission.agency_id, key)
        assert submission.contact.email == texts["contact_email"]
        number = [a.id for a in config.agencies].index(submission.agency_id)
        assert [(i.label, i.value, i.unit) for i in submission.indicators] == [
            ("Staff trained", number + 10, None), ("Compliance", 91.2, "%")], submission.agency_id
        # Saved into returns/ today, with no receipt record, every return is late; nothing else is wrong.
        assert [p for p in submission.problems if p.field != "received"] == [], submission.agency_id
