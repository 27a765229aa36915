"""run_parallel: tasks side by side in forked workers, follow-ups once what they read is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assembler.parallel import run_parallel


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return f"wrote in {os.getpid()}"


def _read(path: Path) -> str:
    return path.read_text()


def _fail() -> None:
    raise ValueError("a writer failed")


def test_a_follow_up_runs_after_its_prerequisite_and_sees_its_file(tmp_path):
    target = tmp_path / "report.txt"
    tasks = [
        ("write", _write, (target, "written first")),
        ("read", _read, (target,), "write"),
        ("other", _write, (tmp_path / "other.txt", "independent")),
    ]
    results = run_parallel(tasks, workers=2)
    assert list(results) == ["write", "read", "other"]
    assert results["read"][0] == "written first"
    assert results["write"][0] != f"wrote in {os.getpid()}"  # in a worker process, not here


def test_the_same_tasks_run_in_order_without_workers(tmp_path):
    target = tmp_path / "report.txt"
    results = run_parallel([("write", _write, (target, "alone")), ("read", _read, (target,), "write")], workers=1)
    assert results["read"][0] == "alone"


def test_a_failure_is_raised_and_its_follow_ups_do_not_run(tmp_path):
    target = tmp_path / "never.txt"
    with pytest.raises(ValueError, match="a writer failed"):
        run_parallel([("fail", _fail, ()),
                      ("after the failure", _write, (target, "x"), "fail"),
                      ("other", _write, (tmp_path / "other.txt", "still runs"))], workers=2)
    assert not target.exists()
    assert (tmp_path / "other.txt").read_text() == "still runs"
