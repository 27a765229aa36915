"""The writer host: a process forked at the start of a build that loads the writers, then runs the tasks."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from assembler.build import _writer_host
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
    import assembler.build as build_module

    small = _writer_host(SAMPLE_INPUTS)
    assert small is not None
    small.close()
    early = WriterHost.start()  # as the command starts one, before it knows the partnership's size
    assert _writer_host(SAMPLE_INPUTS, early) is early
    monkeypatch.setattr(build_module, "HOST_UP_TO_RETURNS", 3)
    assert _writer_host(SAMPLE_INPUTS) is None
    assert _writer_host(SAMPLE_INPUTS, early) is None
    assert _ended(early.pid), "a host the build will not use is ended"
    early.close()  # again, as the command does: harmless


def test_closing_a_host_that_was_given_nothing_does_not_wait_for_its_loading(monkeypatch):
    import time

    import assembler.writer_host as writer_host

    monkeypatch.setattr(writer_host, "_warm_up", lambda: time.sleep(30))
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
