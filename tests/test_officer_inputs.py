"""The officer's own inputs are strict: a misspelt key, a stray file or a broken expression is named with
its line and a fix that fits the cause, before the build (issue: the officer's year without surprises)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assembler.assemble import load_partnership_content
from assembler.cli import main
from assembler.config import load_config
from assembler.errors import ConfigErrors
from tests.conftest import SAMPLE_INPUTS


def _content(inputs: Path):
    return load_partnership_content(inputs, load_config(inputs / "report.yaml"), [])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, words: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if words in line)


@pytest.mark.parametrize("typed, meant", [("summary_bulets", "summary_bullets"), ("titel", "title"),
                                          ("Summary_Heading", "summary_heading")])
def test_a_misspelt_front_matter_key_is_an_error_naming_the_key_it_meant(sample_inputs: Path, typed, meant):
    chapter = sample_inputs / "chapters" / "introduction.md"
    _replace(chapter, f"{meant}:", f"{typed}:")
    problems = _content(sample_inputs).problems
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file.endswith("introduction.md") and problem.field == typed
    assert problem.line == _line_of(chapter, f"{typed}:")
    assert f"did you mean '{meant}'" in problem.fix


def test_config_reads_every_file_report_yaml_names(sample_inputs: Path, capsys):
    (sample_inputs / "chapters" / "glossary.md").unlink()
    assert main(["config", "--inputs", str(sample_inputs)]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert "glossary.md" in printed and "the chapter file is missing" in printed
    assert "remove 'glossary' from chapters in report.yaml" in printed


def test_config_finds_a_broken_front_matter_and_a_missing_logo(sample_inputs: Path, capsys):
    _replace(sample_inputs / "chapters" / "introduction.md", "summary_heading:", "summary_haeding:")
    (sample_inputs / "brand" / "logo.png").unlink()
    assert main(["config", "--inputs", str(sample_inputs)]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert "summary_haeding" in printed and "summary_heading" in printed
    assert "logo" in printed and "is missing" in printed


def test_the_sample_config_and_its_files_are_valid(capsys):
    assert main(["config"]) == 0
    assert "so are the chapters" in capsys.readouterr().out


def _besides_the_sample_emoji(warnings: list) -> list:
    """The warnings other than the one for the emoji the sample's big-learn-event.md has (line 64)."""
    emoji = [w for w in warnings if w.code == "emoji_kept"]
    assert [(Path(w.file).name, w.line) for w in emoji] == [("big-learn-event.md", 64)]
    return [w for w in warnings if w.code != "emoji_kept"]


def test_a_chapter_file_not_listed_in_report_yaml_is_a_warning(sample_inputs: Path):
    (sample_inputs / "chapters" / "annual-conference.md").write_text("---\ntitle: Conference\n---\nWe met.\n", encoding="utf-8")
    content = _content(sample_inputs)
    assert not content.problems
    [warning] = _besides_the_sample_emoji(content.warnings)
    assert warning.file.endswith("annual-conference.md")
    assert "not in the report" in warning.message and "add 'annual-conference' to chapters" in warning.fix


def test_an_expression_error_carries_the_file_s_line_and_column(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "glossary.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + '\n\nOur income was {{ total("funding.incme", "Amount") | money }} in all.\n', encoding="utf-8")
    [problem] = _content(sample_inputs).problems
    assert problem.line == _line_of(chapter, "funding.incme")
    assert "column 16" in problem.message
    assert "no data table 'funding.incme'" in problem.message
    assert "did you mean 'funding.income'" in problem.fix


def test_a_syntax_error_in_an_expression_is_on_its_own_line(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nA figure {{ 1 + }} here.\n", encoding="utf-8")
    [problem] = _content(sample_inputs).problems
    assert problem.line == _line_of(chapter, "{{ 1 + }}")
    assert "cannot be read" in problem.message


def test_a_misspelt_filter_gets_a_fix_about_filters_not_the_data(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n\nWe had {{ total("funding.income", "Amount") | mony }}.\n', encoding="utf-8")
    [problem] = _content(sample_inputs).problems
    assert "no filter 'mony'" in problem.message
    assert "did you mean 'money'" in problem.fix and "workbook" not in problem.fix
    assert problem.line == _line_of(chapter, "| mony")


def test_an_unknown_row_names_the_rows_there_are(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n\n{{ lookup("funding.income", "Wirral Counci", "Amount") | money }}\n', encoding="utf-8")
    [problem] = _content(sample_inputs).problems
    assert "no row 'Wirral Counci'" in problem.message and "did you mean 'Wirral Council'" in problem.fix
    assert problem.line == _line_of(chapter, "Wirral Counci")


def test_an_expression_error_in_a_summary_bullet_is_at_the_bullet_s_line(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "introduction.md"
    _replace(chapter, '"Website visits", "Value"', '"Website visit", "Value"')
    [problem] = _content(sample_inputs).problems
    assert problem.line == _line_of(chapter, '"Website visit", "Value"')


def test_a_misspelt_briefing_key_names_the_key(sample_inputs: Path):
    briefing = sample_inputs / "briefings" / "neglect-toolkit.yaml"
    _replace(briefing, "audience:", "audiance:")
    [problem] = _content(sample_inputs).problems
    assert problem.field == "audiance" and "did you mean 'audience'" in problem.fix
    assert problem.line == _line_of(briefing, "audiance:")


def test_a_misspelt_briefing_section_key_names_the_key(sample_inputs: Path):
    briefing = sample_inputs / "briefings" / "neglect-toolkit.yaml"
    _replace(briefing, "    text: |", "    txet: |")
    [problem] = _content(sample_inputs).problems
    assert problem.field == "sections.1.txet" and "did you mean 'text'" in problem.fix


def test_a_briefing_saved_as_yml_is_published_and_a_stray_file_is_a_warning(sample_inputs: Path):
    folder = sample_inputs / "briefings"
    (folder / "neglect-toolkit.yaml").rename(folder / "neglect-toolkit.yml")
    (folder / "old briefing.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    content = _content(sample_inputs)
    assert "neglect-toolkit" in [b.slug for b in content.report.briefings]
    [warning] = _besides_the_sample_emoji(content.warnings)
    assert warning.file.endswith("old briefing.doc") and "not read" in warning.message


def test_a_tab_in_report_yaml_is_named_as_a_tab(tmp_path: Path):
    text = (SAMPLE_INPUTS / "report.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("  ") and line.strip() and not line.strip().startswith("#"))
    lines[number] = "\t" + lines[number].lstrip()
    (tmp_path / "report.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigErrors) as caught:
        load_config(tmp_path / "report.yaml")
    [error] = caught.value.errors
    assert "tab" in error.message and error.line == number + 1


# --- the build owns outputs/ -------------------------------------------------------------------

def test_outputs_of_a_deleted_briefing_move_aside_and_are_named(sample_inputs: Path, tmp_path: Path, capsys):
    import json

    out = tmp_path / "outputs"
    (out / "chase").mkdir(parents=True)
    (out / "chase-list.xlsx").write_bytes(b"the officer's chase list")  # not the build's: left alone
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "briefings"]) == 0
    assert (out / "briefings" / "neglect-toolkit.pdf").is_file()
    (sample_inputs / "briefings" / "neglect-toolkit.yaml").unlink()
    capsys.readouterr()
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "briefings"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert not list((out / "briefings").glob("neglect-toolkit.*"))
    assert sorted(p.name for p in (out / ".previous" / "briefings").iterdir()) == ["neglect-toolkit.docx", "neglect-toolkit.pdf"]
    assert "Moved 2 old outputs" in printed and "neglect-toolkit.pdf" in printed
    assert (out / "chase-list.xlsx").read_bytes() == b"the officer's chase list"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [o for o in manifest["outputs"] if "neglect-toolkit" in o["path"]]


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path: Path, capsys):
    from assembler.outputs import _build_lock

    out = tmp_path / "outputs"
    out.mkdir()
    with _build_lock(out):  # another build holds the folder
        assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert "another build" in printed and str(out) in printed
    assert not list(out.iterdir())
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 0
    assert not list(tmp_path.glob(".outputs.lock")), "the lock file is removed after the build"


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_build_stopped_by_a_signal_removes_its_staging_folder(tmp_path: Path, signal_name):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "outputs"
    process = subprocess.Popen([sys.executable, "-m", "assembler", "build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".outputs.staging-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    assert process.poll() is None, "the build finished before it could be stopped"
    process.send_signal(getattr(signal, signal_name))
    assert process.wait(timeout=60) == 128 + getattr(signal, signal_name)
    assert not list(tmp_path.glob(".outputs.staging-*"))
    assert not [p for p in out.rglob("*") if p.is_file()]


# --- a build never publishes less than it should by accident ------------------------------------

def _empty_returns(inputs: Path) -> None:
    import shutil

    shutil.rmtree(inputs / "returns")
    (inputs / "returns").mkdir()


def test_a_build_with_no_returns_stops_and_says_why(sample_inputs: Path, tmp_path: Path, capsys):
    _empty_returns(sample_inputs)
    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out)]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert "no agency has sent a usable return, and the report needs at least 15" in printed
    assert "--allow-missing" in printed
    assert not [p for p in out.rglob("*") if p.is_file()]
    # --force is for errors in returns, not for publishing without them.
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--force"]) == 1
    # The briefings need no returns.
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "briefings"]) == 0


def test_too_few_returns_is_measured_against_rules_min_returns(sample_inputs: Path, tmp_path: Path, capsys):
    import shutil

    keep = {"Cafcass WSCP return 2023-24.docx", "YMCA Wirral return.docx"}
    for path in (sample_inputs / "returns").iterdir():
        if path.name not in keep and path.name != "README.md":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(tmp_path / "a"), "--only", "report"]) == 1
    assert "only 2 of 30 agencies have sent a usable return" in " ".join(capsys.readouterr().err.split())
    _replace(sample_inputs / "report.yaml", "rules:\n", "rules:\n  min_returns: 2\n")
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(tmp_path / "b"), "--only", "report"]) == 0


def test_check_exits_1_while_an_agency_has_sent_nothing_unless_allowed(sample_inputs: Path, tmp_path: Path, capsys):
    """A missing agency is something to act on (chase it), so `check` says so in its exit code; an officer who
    has decided to publish without it says --allow-missing, as for the build."""
    import shutil

    # Leave only the clean returns: every remaining problem is a missing agency.
    for path in (sample_inputs / "returns").iterdir():
        if path.name not in {"Cafcass WSCP return 2023-24.docx", "YMCA Wirral return.docx", "README.md"}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    _replace(sample_inputs / "report.yaml", "rules:\n", "rules:\n  min_returns: 2\n")
    chase = tmp_path / "chase"
    assert main(["check", "--inputs", str(sample_inputs), "--chase-out", str(chase)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "No return yet from 28 agencies" in printed
    assert main(["check", "--inputs", str(sample_inputs), "--chase-out", str(chase), "--allow-missing"]) == 0
    assert "No return yet from 28 agencies" in " ".join(capsys.readouterr().out.split())  # still listed and chased


def test_allow_missing_builds_and_the_report_names_every_agency_that_sent_nothing(sample_inputs: Path, tmp_path: Path):
    from assembler.checks.nothing_lost import docx_text, pdf_text
    from assembler.typography import typeset_text

    _empty_returns(sample_inputs)
    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "report", "--allow-missing"]) == 0
    config = load_config(sample_inputs / "report.yaml")
    for text in (" ".join(pdf_text(out / "annual-report.pdf").split()), " ".join(docx_text(out / "annual-report.docx").split())):
        assert "Returns not received" in text
        for agency in config.agencies:
            assert typeset_text(agency.name) in text  # printed typeset: Wirral Council Children’s Services


def test_the_sample_report_names_the_agencies_whose_return_is_not_in_it(tmp_path: Path):
    from assembler.checks.nothing_lost import pdf_text

    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "report"]) == 0
    text = " ".join(pdf_text(out / "annual-report.pdf").split())
    assert "No return from NSPCC, SEND Local Offer Team and Wirral Public Health could be included in this report." in text


def test_a_forced_build_says_so_in_its_manifest(sample_inputs: Path, tmp_path: Path):
    import json

    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nThe rate was xx%.\n", encoding="utf-8")
    (sample_inputs / "returns" / "Cafcass WSCP return 2023-24.docx").unlink()  # the 2022-23 one is then used: wrong period
    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "summary"]) == 1
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--only", "summary", "--force"]) == 0
    forced = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["forced_despite_errors"]
    assert any("Cafcass" in error and "2022-23" in error for error in forced)
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 0
    assert "forced_despite_errors" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("where, add", [
    ("chapters/glossary.md", "\n\nThe share of children seen was xx% this year.\n"),
    ("chapters/introduction.md", None),  # a summary bullet
    ("briefings/neglect-toolkit.yaml", None),  # a briefing section
])
def test_a_placeholder_in_the_partnership_s_own_text_never_reaches_print(sample_inputs: Path, where, add):
    path = sample_inputs / where
    if add:
        path.write_text(path.read_text(encoding="utf-8") + add, encoding="utf-8")
        marker = "xx%"
    elif where.endswith(".md"):
        _replace(path, "It explains how the partnership", "It explains (TBC) how the partnership")
        marker = "(TBC)"
    else:
        text = path.read_text(encoding="utf-8")
        first_text = text.index("text: |") + len("text: |\n")
        path.write_text(text[:first_text] + "      [insert figures here]\n" + text[first_text:], encoding="utf-8")
        marker = "[insert figures here]"
    [problem] = _content(sample_inputs).problems
    assert problem.file.endswith(where.split("/")[-1]) and problem.line == _line_of(path, marker)
    assert "placeholder" in problem.message


# --- exit codes and JSON that scripts can rely on -------------------------------------------------

@pytest.mark.parametrize("argv", [["config", "--json"], ["check", "--json", "-"], ["build"]])
def test_a_missing_inputs_folder_is_wrong_usage_explained_as_relative(argv, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert f"looked for in {tmp_path}" in captured.err and "--inputs DIR" in captured.err
    if "--json" in argv:
        import json

        assert json.loads(captured.out)["error"]["exit_code"] == 2


def test_check_outputs_json_answers_with_an_error_object(tmp_path: Path, capsys):
    import json

    assert main(["check-outputs", "--out", str(tmp_path / "nope"), "--json"]) == 2
    assert "does not exist" in json.loads(capsys.readouterr().out)["error"]["message"]
    (tmp_path / "empty").mkdir()
    assert main(["check-outputs", "--out", str(tmp_path / "empty"), "--json"]) == 1
    assert "no .pdf or .docx or .html files" in json.loads(capsys.readouterr().out)["error"]["message"]


def test_a_successful_build_prints_a_short_summary_and_details_on_request(tmp_path: Path, capsys):
    # A long folder name: its summary line is longer than a log's 200 columns, and is still one line. (Cut at 200
    # columns, the line broke wherever the folder's length and the build's time put the edge, and the words either
    # side of the cut were joined again with the space rich leaves at the end of the line: "web edition  (".)
    out = tmp_path / ("outputs-" + "o" * 150)
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    assert len(lines) == 2, lines  # what was built, and how many warnings and left out
    printed = " ".join(lines)
    assert re.search(r"Built \d+ files", printed) and "3 briefings (DOCX and PDF)" in printed and "web edition (" in printed
    assert "--verbose" in printed and re.search(r"\d+ warnings?, and \d+ left out of the report", printed)
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--verbose"]) == 0
    verbose = " ".join((lambda c: c.out + c.err)(capsys.readouterr()).split())
    assert "Warnings (printed as they are)" in verbose and "wrote" in verbose and "NSPCC" in verbose


def test_check_finds_too_few_returns_as_the_build_would(sample_inputs: Path, tmp_path: Path, capsys):
    _empty_returns(sample_inputs)
    assert main(["check", "--inputs", str(sample_inputs), "--chase-out", str(tmp_path / "chase")]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "no agency has sent a usable return, and the report needs at least 15" in printed


def test_check_s_counts_agree_with_its_exit_code(tmp_path: Path, capsys):
    assert main(["check", "--chase-out", str(tmp_path / "chase")]) == 1  # the sample: a rejected file, an unknown sender
    first = capsys.readouterr().out.splitlines()[0]
    assert "2 files not usable, 1 from agencies not in report.yaml" in first


@pytest.mark.parametrize("argv", [["config", "--json"], ["check", "--json", "-"]])
def test_json_commands_answer_a_broken_report_yaml_with_an_error_object(argv, sample_inputs: Path, capsys):
    import json

    _replace(sample_inputs / "report.yaml", 'primary: "#1B3A6B"', "primary: #1B3A6B")
    assert main([*argv, "--inputs", str(sample_inputs)]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["exit_code"] == 1 and error["problems"][0]["field"] == "brand.colours.primary"
    assert "comment" in error["problems"][0]["message"]


def test_a_brand_too_pale_to_read_stops_the_build_and_check_says_the_same(sample_inputs: Path, tmp_path: Path, capsys):
    _replace(sample_inputs / "report.yaml", 'text: "#1A1A1A"', 'text: "#BBBBBB"')
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(tmp_path / "out"), "--only", "summary"]) == 1
    built = " ".join(capsys.readouterr().err.split())
    assert main(["check", "--inputs", str(sample_inputs), "--chase-out", str(tmp_path / "chase")]) == 1
    checked = " ".join(capsys.readouterr().out.split())
    for printed in (built, checked):
        assert "brand.colours" in printed and "choose darker text or a lighter background colour" in printed
