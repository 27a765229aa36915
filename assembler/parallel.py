"""Run independent build steps side by side: the DOCX, the PDF and the one-pagers share no state.

Processes, not threads: every writer is pure Python and holds the GIL. The
pool forks, so workers start with the modules already imported (and with any
test's monkeypatches in place) instead of importing them again.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

Task = tuple[str, Callable[..., Any], tuple]


def _timed(function: Callable[..., Any], args: tuple) -> tuple[Any, float]:
    start = time.perf_counter()
    return function(*args), time.perf_counter() - start


def run_parallel(tasks: list[Task], workers: int | None = None) -> dict[str, tuple[Any, float]]:
    """name -> (result, seconds). The first task's exception is raised after all have finished."""
    workers = min(len(tasks), workers or os.cpu_count() or 1)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return {name: _timed(function, args) for name, function, args in tasks}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {name: pool.submit(_timed, function, args) for name, function, args in tasks}
        return {name: future.result() for name, future in futures.items()}
