"""A process that loads the writers while the build reads, then runs the writing tasks.

For a small partnership the build is short and the start-up is a large part
of it: while the build process imports the readers and reads, the second core
is mostly idle, and afterwards every writer process spent a third of a second
importing reportlab, python-docx and the checks and parsing the fonts before it
could start. The host is forked when the build starts, does that loading on the
idle core, and then receives the writing tasks (pickled: a few hundredths of a
second for a small partnership) and runs them in workers forked from itself,
which start warm.

A large partnership's document would take longer to pickle than the host saves
(0.3 s at 300 returns, 1.1 s at 1000), and its reading lasts long enough for
the build process to warm up on its own, so the build uses a host only below
HOST_UP_TO_RETURNS. The host is used only on Linux, where its workers and it
end with the build process (parallel.die_with_parent), and with two cores.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from multiprocessing.connection import Connection
from typing import Any

from assembler.parallel import FollowUp, Task, die_with_parent, run_parallel, usable_cores

# Measured on two cores (alternating runs, medians): 30 returns build 0.1-0.2 s faster with a host, 100 break
# even, 300 are 0.2 s slower.
HOST_UP_TO_RETURNS = 60


class WriterHost:
    """Start with `start()` (None where processes cannot be forked); `run(tasks)` once; `close()` always."""

    def __init__(self, pid: int, connection: Connection):
        self.pid = pid
        self._connection = connection
        self._given_tasks = False
        self._closed = False

    @classmethod
    def start(cls, preload: tuple[str, ...] = ()) -> WriterHost | None:
        """Fork the host; it imports the modules named in `preload` (what the tasks are made of, when it is
        forked before the command has imported them), then the writers."""
        if not sys.platform.startswith("linux") or usable_cores() < 2:
            return None
        for stream in (sys.stdout, sys.stderr):  # or text still buffered here would be printed twice
            stream.flush()
        parent = os.getpid()
        # Ctrl-C is held back across the fork: in the child it must not unwind into the caller's code.
        interrupts = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            ours, theirs = multiprocessing.Pipe()
        except OSError:  # no files left to spare: the host is only a speed-up
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
            return None
        try:
            pid = os.fork()
        except OSError:  # no processes left to spare
            ours.close()
            theirs.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
            return None
        if pid == 0:
            try:
                ours.close()
                _serve(theirs, parent, interrupts, preload)
            finally:
                os._exit(1)
        signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
        theirs.close()
        return cls(pid, ours)

    def run(self, tasks: list[Task | FollowUp]) -> dict[str, tuple[Any, float]] | None:
        """run_parallel(tasks) in the host, or None when the tasks could not be handed over (a function
        that cannot be pickled, such as a test's stand-in, or a host that has gone): run them here then.
        A writer's failure is raised here, with the host's traceback as its cause."""
        try:
            payload = pickle.dumps(tasks, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            self.close()  # stop it loading on a core the writers will want
            return None
        self._given_tasks = True
        try:
            self._connection.send_bytes(payload)
            outcome, value, trace = pickle.loads(self._connection.recv_bytes())
        except Exception:  # the host has gone, or its reply is unreadable: the tasks are written again here
            return None
        if outcome == "raised":
            raise value from HostTraceback(trace)
        return value

    def close(self, abandon: bool = False) -> None:
        """End the host and reap it; again is harmless. A host never given tasks has written nothing, so
        it is stopped at once rather than left to finish loading (a build that stops on errors in the
        returns, or turns out too large for a host, would otherwise wait for it). An abandoned build
        (a signal, Ctrl-C) stops it at once too, and its writers with it, before their staging folder goes."""
        if self._closed:
            return
        self._closed = True
        self._connection.close()
        if abandon or not self._given_tasks:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class HostTraceback(Exception):
    """Where a writer failed, as the host saw it: pickling drops an exception's own traceback and cause."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def _serve(connection: Connection, parent: int, interrupts, preload: tuple[str, ...] = ()) -> None:
    """The host's whole life: load, wait for the tasks, run them, reply, end. It must never return
    into the build's code (it is a copy of the build process), so every path ends in os._exit."""
    code = 0
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
        die_with_parent(parent)
        _warm_up(preload)
        try:
            tasks = pickle.loads(connection.recv_bytes())
        except EOFError:  # the build needed no writing (errors in the returns) or wrote itself
            os._exit(0)
        try:
            reply = ("done", run_parallel(tasks), "")
        except Exception as error:  # a writer's fault: the build raises it as it would have itself
            reply = ("raised", error, "".join(traceback.format_exception(error)))
        try:
            payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            payload = pickle.dumps(("raised", RuntimeError(f"{reply[1]!r} (could not be passed back: {error})"), reply[2]))
        connection.send_bytes(payload)
    except BaseException:  # Ctrl-C reaches the whole process group; the build process reports it
        code = 1
    finally:
        os._exit(code)


def _warm_up(preload: tuple[str, ...] = ()) -> None:
    """What the tasks are made of (named by the caller: the build's modules, the schema, pydantic), then every
    writer. A warm-up that failed only costs time: unpickling the tasks imports them again, and an error
    there goes back to the build, which then writes itself and raises it as its own."""
    try:
        for name in preload:
            importlib.import_module(name)
        # Here, in the host, after the fork: the build process must not wait for what it imports (the brand,
        # pydantic, reportlab), which is the whole point of forking early.
        from assembler.warmup import warm_up_writers

        warm_up_writers(lambda: True)
    except Exception:
        pass
