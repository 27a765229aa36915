"""One problem type from the safety screen to the output checks: the same fields wherever a problem is made,
the same words wherever it is printed, and it crosses worker processes intact."""

from __future__ import annotations

import json
import multiprocessing
import pickle
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from assembler.chase import NOTE_CODES, chase_list, chase_notes, is_note
from assembler.config import load_config
from assembler.errors import ConfigError, ConfigErrors, InputError, as_problem
from assembler.problems import Problem
from assembler.readers.safety import Rejection

REPO = Path(__file__).resolve().parent.parent
PROBLEM_KEYS = ["severity", "code", "agency", "agency_id", "file", "line", "field", "message", "fix"]


def _odd_text(rng: random.Random) -> str:
    """Odd-but-valid text: quotes, colons, stops, newlines and non-Latin letters, as agencies and file names have."""
    alphabet = string.ascii_letters + " :.|'\"\n£é中" + "\u202e"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))


def _random_problem(rng: random.Random) -> Problem:
    maybe = lambda: _odd_text(rng) if rng.random() < 0.6 else None  # noqa: E731
    return Problem(code=rng.choice(["late_return", "rejected_file", "x"]), message=_odd_text(rng) or "m",
                   fix=_odd_text(rng), severity=rng.choice(["error", "warning", "note"]), agency=maybe(),
                   agency_id=maybe(), file=maybe(), field=maybe(), line=rng.choice([None, 1, 57]))


def _round_trip_in_a_worker(item):
    return item


def test_problems_and_the_exceptions_that_carry_them_cross_a_process_intact():
    rng = random.Random(17)
    problems = [_random_problem(rng) for _ in range(40)]
    items = [*problems, InputError(problems[0]), ConfigError("report.yaml", "bad", "fix it", line=3, field="x"),
             Rejection("The file is empty.", "Send it again.", code="empty_file")]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(1) as pool:
        back = pool.map(_round_trip_in_a_worker, items)
    assert back[:40] == problems
    assert [type(b) for b in back[40:]] == [InputError, ConfigError, Rejection]
    assert [as_problem(b) for b in back[40:]] == [as_problem(i) for i in items[40:]]
    assert back[42].code == "empty_file" and back[42].reason == "The file is empty."
    errors = pickle.loads(pickle.dumps(ConfigErrors([items[41], problems[1]])))
    assert errors.problems == [items[41].problem, problems[1]] and str(errors).startswith(str(items[41]) + "\n")


def test_an_input_error_reads_as_before_and_carries_its_problem():
    error = InputError("inputs/chapters/intro.md", "the chapter file is missing.", "write it", line=4, field="chapters")
    assert str(error) == "inputs/chapters/intro.md, line 4: chapters: the chapter file is missing. Fix: write it"
    assert error.problem == Problem(code="input_error", message="the chapter file is missing.", fix="write it",
                                    file="inputs/chapters/intro.md", field="chapters", line=4)
    assert (error.file, error.message, error.fix, error.line, error.field) == (
        "inputs/chapters/intro.md", "the chapter file is missing.", "write it", 4, "chapters")
    assert isinstance(Rejection("r", "f"), InputError) and Rejection("r", "f").code == "rejected_file"
    # Who and where lead, in that order; a problem with no file is still one line that stands alone.
    problem = Problem(code="c", message="what", fix="how", agency="Cafcass", file="x.docx", field="about")
    assert str(problem) == "x.docx: Cafcass: about: what. Fix: how"
    assert str(Problem(code="c", message="what.", severity="note")) == "what."


def test_every_problem_has_the_same_keys_in_json():
    rng = random.Random(5)
    for _ in range(20):
        data = _random_problem(rng).as_json()
        assert list(data) == PROBLEM_KEYS
        assert json.loads(json.dumps(data)) == data


def _late(fix: str, code: str = "late_return", severity: str = "warning") -> Problem:
    return Problem(code=code, severity=severity, field="received", message="received 3 days late", fix=fix)


def test_a_note_is_known_by_its_code_not_by_the_wording_of_its_fix():
    # Reworded fixes do not move a problem between the chase list and the notes sheet.
    assert is_note(_late("no change needed to the return"))
    assert is_note(_late("Nothing to ask: it has arrived, only late"))
    assert is_note(_late("anything", code="duplicate_return"))
    assert is_note(_late("anything", code="identical_copy", severity="note"))
    # A Word chart printed as its figures: the officer's to judge, not a reason to e-mail the agency.
    assert is_note(_late("nothing to do if the figures say what the chart shows", code="chart_printed_as_figures"))
    # A warning that asks for something is chased, whatever its fix says.
    assert not is_note(_late("no change needed to the return", code="over_word_limit"))
    # A rule the officer raised to an error is chased.
    assert not is_note(_late("no change needed to the return", severity="error"))


def test_on_the_sample_notes_and_chases_split_by_code(tmp_path):
    from assembler.intake import read_returns

    config = load_config(REPO / "inputs" / "report.yaml")
    intake = read_returns([REPO / "inputs" / "returns"], config, tmp_path / "images")
    chased = {entry.agency.id for entry in chase_list(intake, config)}
    noted = chase_notes(intake, config)
    noted_problems = [p for s in intake.accepted for p in s.problems if is_note(p)]
    assert {"late_return", "duplicate_return"} <= {p.code for p in noted_problems}
    assert all(p.severity == "note" or p.code in NOTE_CODES for p in noted_problems)
    assert {"forum-housing", "koala"} <= {n.agency_id for n in noted} and not {"forum-housing", "koala"} & chased
    # Every problem on the sample has a code; the reader's warnings take their rule's name.
    codes = {p.code for s in intake.accepted + intake.superseded for p in s.problems} | {r.code for r in intake.rejected}
    assert "" not in codes and "formula_without_result" in codes and "rejected_file" in codes
    assert all(r.file and r.severity == "error" for r in intake.rejected)


@pytest.mark.parametrize("command", [["check", "--json", "-"], ["config", "--json"]])
def test_json_problems_have_one_shape_in_every_command(command, tmp_path):
    inputs = tmp_path / "inputs"
    subprocess.run(["cp", "-r", str(REPO / "inputs"), str(inputs)], check=True)
    if command[0] == "config":
        text = (inputs / "report.yaml").read_text()
        assert "  max_file_mb: 50\n" in text
        (inputs / "report.yaml").write_text(text.replace("  max_file_mb: 50\n", "  max_file_mb: -1\n", 1))
    done = subprocess.run([sys.executable, "-m", "assembler", *command, "--inputs", str(inputs),
                           *(["--chase-out", str(tmp_path / "out")] if command[0] == "check" else [])],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    data = json.loads(done.stdout)
    if command[0] == "config":
        listed = data["error"]["problems"]
    else:
        listed = data["rejected"] + data["notes"] + data["partnership_problems"] + [
            p for s in data["submissions"] + data["superseded"] + data["unknown"] for p in s["problems"]]
    assert listed and all(sorted(p) == sorted(PROBLEM_KEYS) for p in listed), listed[:2]
    assert all(p["code"] and p["message"] for p in listed)
