"""Run build steps side by side: the DOCX, the PDF and the one-pagers share no state; a follow-up
(the PDF's checks) reads only what its prerequisite wrote.

Processes, not threads: every writer is pure Python and holds the GIL. The
pool forks, so workers start with the modules already imported (and with any
test's monkeypatches in place) instead of importing them again, and with the
tasks' arguments already in memory instead of unpickling a copy each.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

Task = tuple[str, Callable[..., Any], tuple]
# A task that reads what another wrote: it starts only when that one has finished, on whichever worker is free.
FollowUp = tuple[str, Callable[..., Any], tuple, str]


@dataclass(frozen=True)
class Gate:
    """In a task's fourth place instead of a follow-up's prerequisite: the task starts beside the other tasks
    and is given, as its last argument, `ready()`, which waits until the named task has finished and says
    whether it succeeded. It does what it can before calling it (the Word report composes its blocks while
    the PDF is laid out, then takes the PDF's page facts). The named task must be a plain task before it,
    so that a worker has taken it by the time this one waits."""

    task: str


Gated = tuple[str, Callable[..., Any], tuple, Gate]


def _timed(function: Callable[..., Any], args: tuple) -> tuple[Any, float]:
    start = time.perf_counter()
    return function(*args), time.perf_counter() - start


def run_parallel(tasks: list[Task | FollowUp], workers: int | None = None) -> dict[str, tuple[Any, float]]:
    """name -> (result, seconds), in the order of `tasks`. A follow-up's prerequisite must come before it.
    The exception of the first task (in `tasks` order) that failed is raised after all have finished;
    a failed task's follow-ups do not run."""
    _check_order(tasks)
    workers = min(len(tasks), workers or usable_cores())
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _run_here(tasks)
    # Imported here: `check` uses this module's helpers for its reading pool, never the executor.
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    waiting = {index: task[3] for index, task in enumerate(tasks) if len(task) > 3 and not isinstance(task[3], Gate)}
    done: dict[str, tuple[Any, float]] = {}
    failures: dict[int, BaseException] = {}
    _INHERITED[:] = tasks
    # Made before the workers are forked, so that they inherit them: set when the gate's task has ended.
    context = multiprocessing.get_context("fork")
    _GATES.clear()
    _GATES.update({task[3].task: (context.Event(), context.Value("b", 0)) for task in tasks
                   if len(task) > 3 and isinstance(task[3], Gate)})
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            with frozen_heap():  # the workers are forked on the first submit
                running = {pool.submit(_run_inherited, index): index for index in range(len(tasks)) if index not in waiting}
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = running.pop(future)
                    name = tasks[index][0]
                    if name in _GATES:  # the tasks waiting at this gate go on (or give up, if it failed)
                        ended, succeeded = _GATES[name]
                        succeeded.value = future.exception() is None
                        ended.set()
                    if future.exception() is not None:
                        failures[index] = future.exception()
                        continue
                    done[name] = future.result()
                    for follower in [i for i, prerequisite in waiting.items() if prerequisite == name]:
                        del waiting[follower]
                        running[pool.submit(_run_inherited, follower)] = follower
    finally:
        _INHERITED.clear()
        _GATES.clear()
    if failures:
        raise failures[min(failures)]  # the same error whichever worker finished first
    return {task[0]: done[task[0]] for task in tasks}


def usable_cores() -> int:
    """The cores this process may run on: a container's or `taskset`'s limit, not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_order(tasks: list) -> None:
    names = [task[0] for task in tasks]
    for position, task in enumerate(tasks):
        if len(task) <= 3:
            continue
        before = names[:position]
        if isinstance(task[3], Gate):
            gate = task[3].task
            if gate not in before or len(tasks[names.index(gate)]) > 3:
                raise ValueError(f"{task[0]!r} waits at the gate of {gate!r}, which is not a plain task before it")
        elif task[3] not in before:
            raise ValueError(f"follow-up {task[0]!r} waits for {task[3]!r}, which is not a task before it")


def _run_here(tasks: list) -> dict[str, tuple[Any, float]]:
    """In order: a gate's task has ended before the task waiting at it starts."""
    results: dict[str, tuple[Any, float]] = {}
    for task in tasks:
        gated = len(task) > 3 and isinstance(task[3], Gate)
        args = (*task[2], lambda: True) if gated else task[2]  # a failed task has already been raised
        results[task[0]] = _timed(task[1], args)
    return results


# The tasks, for forked workers to find by number: their arguments (the whole report) are inherited with the
# process instead of pickled once per task. And each gate's (ended, succeeded), by the name of its task.
_INHERITED: list = []
_GATES: dict[str, tuple[Any, Any]] = {}


def _run_inherited(index: int) -> tuple[Any, float]:
    task = _INHERITED[index]
    if len(task) > 3 and isinstance(task[3], Gate):
        return _run_at_gate(task[1], task[2], *_GATES[task[3].task])
    return _timed(task[1], task[2])


def _run_at_gate(function: Callable[..., Any], args: tuple, ended, succeeded) -> tuple[Any, float]:
    """The task's result and its time, less the time it waited at the gate (the step's own time, as reported)."""
    waited = [0.0]

    def ready() -> bool:
        start = time.perf_counter()
        ended.wait()
        waited[0] += time.perf_counter() - start
        return bool(succeeded.value)

    result, seconds = _timed(function, (*args, ready))
    return result, seconds - waited[0]


def die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end with the build process. A build killed outright (SIGKILL) cannot stop its
    workers, and an orphan would go on writing into a staging folder the next build has cleared. Linux only
    (prctl), and best effort: a worker that cannot ask for it still works."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except Exception:  # no ctypes, or no prctl: an initializer that raised would break the whole pool
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Fork inside this block: the parent's objects (the whole report) are left out of the workers' garbage
    collections, which would otherwise walk them again and again while a writer allocates (a tenth of its time)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # in this process only; each worker keeps its own frozen copy
