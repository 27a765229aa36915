"""The writer host: a process forked at the start of a build that loads the writers, then runs the tasks."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from assembler.build import _return_files
from assembler.speed import Writing
from assembler.writer_host import WriterHost

from conftest import SAMPLE_INPUTS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                                reason="the host needs fork and two cores")


def _write(path: Path, text: str) -> int:
    path.write_text(text)
    return os.getppid()


def _read(path: Path) -> str:
    return path.read_text()


def _fail_with(message: str) -> None:
    raise ValueError(message)


def _ended(pid: int) -> bool:
    """True once the host has ended and close() has reaped it (this does not reap it itself)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def host():
    started = WriterHost.start()
    yield started
    started.close()


def test_the_host_runs_the_tasks_and_their_follow_ups_in_workers_of_its_own(host, tmp_path):
    target = tmp_path / "report.txt"
    results = host.run([("write", _write, (target, "written in the host")), ("read", _read, (target,), "write")])
    assert list(results) == ["write", "read"]
    assert results["read"][0] == "written in the host"
    assert results["write"][0] == host.pid  # the worker's parent is the host, not this process
    assert results["write"][1] >= 0


def test_a_failing_task_is_raised_here_as_it_was_raised_there_with_where_it_failed(host):
    with pytest.raises(ValueError, match="a writer failed") as raised:
        host.run([("fail", _fail_with, ("a writer failed",))])
    assert "_fail_with" in str(raised.value.__cause__)  # the traceback ASSEMBLER_DEBUG=1 shows names the writer


def test_tasks_that_cannot_be_pickled_are_handed_back_to_run_here(host, tmp_path):
    assert host.run([("local", lambda: None, ())]) is None
    host.close()
    assert _ended(host.pid)


def test_a_host_that_has_gone_hands_the_tasks_back(host, tmp_path):
    os.kill(host.pid, signal.SIGKILL)
    os.waitpid(host.pid, 0)
    host.close = lambda: None  # reaped here already: its pid must not be waited for again
    assert host.run([("write", _write, (tmp_path / "x.txt", "x"))]) is None
    assert not (tmp_path / "x.txt").exists()


def test_a_host_that_is_not_needed_ends_when_closed(host):
    host.close()
    assert _ended(host.pid)


def test_a_small_partnership_gets_a_host_and_a_large_one_does_not(tmp_path, monkeypatch):
    import assembler.speed as speed

    returns = len(_return_files(SAMPLE_INPUTS))
    assert returns > 3
    small = Writing.for_build(returns)
    assert small.host is not None
    small.close()
    assert _ended(small.host.pid)
    early = WriterHost.start()  # as the command starts one, before it knows the partnership's size
    assert Writing.for_build(returns, early).host is early
    monkeypatch.setattr(speed, "HOST_UP_TO_RETURNS", 3)
    assert Writing.for_build(returns).host is None
    assert Writing.for_build(returns, early).host is None
    assert _ended(early.pid), "a host the build will not use is ended"
    early.close()  # again, as the command does: harmless


def test_the_host_is_given_one_set_of_tasks_and_the_build_writes_again_itself(host, tmp_path):
    """A writer fault contained by leaving a section out is followed by a second round of writing: in this process."""
    writing = Writing(host)
    first = writing.run([("where", os.getpid, ())])  # one task runs in the process given it, not in a worker
    again = writing.run([("where", os.getpid, ())])
    assert first["where"][0] == host.pid and again["where"][0] == os.getpid()
    writing.close()
    assert _ended(host.pid)


def test_the_host_loads_what_it_is_told_to_before_the_writers(tmp_path, monkeypatch):
    import sys

    (tmp_path / "host_preload_probe.py").write_text("LOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    host = WriterHost.start(preload=("host_preload_probe",))
    try:
        results = host.run([("modules", _loaded, ("host_preload_probe", "assembler.writers.pdf.report"))])
    finally:
        host.close()
    assert results["modules"][0] == [True, True]  # what it was told to load, and the writers
    assert "host_preload_probe" not in sys.modules  # loaded there, not here


def _loaded(*names: str) -> list[bool]:
    import sys

    return [name in sys.modules for name in names]


def test_closing_a_host_that_was_given_nothing_does_not_wait_for_its_loading(monkeypatch):
    import time

    import assembler.writer_host as writer_host

    monkeypatch.setattr(writer_host, "_warm_up", lambda preload=(): time.sleep(30))
    host = WriterHost.start()
    started = time.monotonic()
    host.close()
    assert time.monotonic() - started < 5 and _ended(host.pid)


def test_the_build_command_starts_the_host_first_and_ends_it_whatever_happens(monkeypatch, tmp_path):
    import assembler.commands.build as build_command
    from assembler.cli import main

    given = []

    def stop_at_build(*args, writer_host=None, **kwargs):
        given.append(writer_host)
        raise RuntimeError("stopped here")

    monkeypatch.setattr(build_command, "build", stop_at_build)
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(tmp_path / "out")]) == 3
    assert isinstance(given[0], WriterHost) and _ended(given[0].pid)


def test_the_sample_is_written_in_the_host(monkeypatch, tmp_path):
    """If anything in the document stopped pickling, the build would quietly write in its own process."""
    from assembler.cli import main

    handed_over = []
    run = WriterHost.run
    monkeypatch.setattr(WriterHost, "run", lambda self, tasks: handed_over.append(run(self, tasks)) or handed_over[-1])
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(tmp_path / "out")]) == 0
    assert len(handed_over) == 1 and handed_over[0] is not None
    assert "write report PDF" in handed_over[0]
    assert "write and check web pages" in handed_over[0]  # beside the other writers; only finished after them


@pytest.mark.parametrize("argv, forks", [
    (["build"], True), (["build", "--inputs", "x", "--only", "report"], True),
    (["build", "--help"], False), (["build", "-h"], False), (["--version"], False), (["check"], False),
    (["check", "build"], False), ([], False), (["--help", "build"], False),
])
def test_the_host_is_forked_before_parsing_only_for_a_build_that_will_run(argv, forks, monkeypatch):
    import assembler.cli as cli
    import assembler.speed as speed

    started = []
    monkeypatch.setattr(speed, "start_early", lambda preload=(): started.append(preload) or "host")
    assert (cli._early_writer_host(argv) == "host") is forks
    assert started == ([("assembler.build",)] if forks else [])


def test_a_command_module_that_cannot_be_imported_is_a_fault_not_a_missing_command():
    from assembler.cli import _load_commands

    with pytest.raises(ModuleNotFoundError):
        list(_load_commands(["no_such_command"]))
