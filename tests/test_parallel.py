"""run_parallel: tasks side by side in forked workers, follow-ups once what they read is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assembler.parallel import Gate, run_parallel


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return f"wrote in {os.getpid()}"


def _read(path: Path) -> str:
    return path.read_text()


def _fail_with(message: str) -> None:
    raise ValueError(message)


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
        run_parallel([("fail", _fail_with, ("a writer failed",)),
                      ("after the failure", _write, (target, "x"), "fail"),
                      ("other", _write, (tmp_path / "other.txt", "still runs"))], workers=2)
    assert not target.exists()
    assert (tmp_path / "other.txt").read_text() == "still runs"


def test_with_two_failures_the_first_task_s_is_raised_whichever_ends_first(tmp_path):
    import time

    def slow_fail():
        time.sleep(0.3)
        raise ValueError("first task")

    for _ in range(2):
        with pytest.raises(ValueError, match="first task"):
            run_parallel([("slow", slow_fail, ()), ("quick", _fail_with, ("second task",))], workers=2)


def test_a_follow_up_must_name_an_earlier_task():
    with pytest.raises(ValueError, match="not a task before it"):
        run_parallel([("read", _read, (Path("x"),), "write"), ("write", _write, (Path("x"), "y"))], workers=2)


# --- a task at a gate: it starts beside the gate's task and waits for it only when it must ---------------------

def _slow_write(path: Path, text: str, seconds: float) -> str:
    import time

    time.sleep(seconds)
    path.write_text(text)
    return "written"


def _compose_then_read(log: Path, target: Path, ready) -> str:
    log.write_text(f"composing while the target exists: {target.exists()}")
    return target.read_text() if ready() else "gave up"


def test_a_task_at_a_gate_starts_beside_the_gate_s_task_and_reads_what_it_wrote(tmp_path):
    target, log = tmp_path / "report.pdf", tmp_path / "log.txt"
    tasks = [("write", _slow_write, (target, "the PDF", 0.5)),
             ("compose", _compose_then_read, (log, target), Gate("write")),
             ("after", _read, (target,), "compose")]
    results = run_parallel(tasks, workers=2)
    assert log.read_text() == "composing while the target exists: False"  # it began before the PDF was written
    assert results["compose"][0] == "the PDF" and results["after"][0] == "the PDF"
    assert results["compose"][1] < 0.4  # its own time, without the wait at the gate


def test_a_task_at_a_gate_whose_task_failed_is_told_so_and_the_failure_is_raised(tmp_path):
    log = tmp_path / "log.txt"
    with pytest.raises(ValueError, match="the PDF failed"):
        run_parallel([("write", _fail_with, ("the PDF failed",)),
                      ("compose", _compose_then_read, (log, tmp_path / "never.pdf"), Gate("write"))], workers=2)
    assert log.is_file()


def test_without_workers_the_gate_s_task_has_run_first(tmp_path):
    target, log = tmp_path / "report.pdf", tmp_path / "log.txt"
    results = run_parallel([("write", _slow_write, (target, "alone", 0)),
                            ("compose", _compose_then_read, (log, target), Gate("write"))], workers=1)
    assert results["compose"][0] == "alone"


@pytest.mark.parametrize("tasks", [
    [("compose", _compose_then_read, (Path("l"), Path("t")), Gate("write")), ("write", _write, (Path("x"), "y"))],
    [("write", _write, (Path("x"), "y")), ("read", _read, (Path("x"),), "write"),
     ("compose", _compose_then_read, (Path("l"), Path("t")), Gate("read"))],  # a follow-up may not be a gate
])
def test_a_gate_must_be_a_plain_task_before_it(tasks):
    with pytest.raises(ValueError, match="not a plain task before it"):
        run_parallel(tasks, workers=2)
