"""Loading a command's modules without the garbage collector walking them again and again.

Importing pydantic, the schema, the readers and the Markdown parser makes hundreds of thousands of objects that
live as long as the process. While they are made, Python's collector runs every few hundred allocations and
walks the young ones, and now and then all of them: a tenth of `assembler check`'s processor time went on
walks that never found garbage. So the collector is off while modules load, and what was loaded is then frozen
(gc.freeze: left out of every later collection). `release_loaded` puts it back under the collector, for a
caller that goes on after the command (the tests); parallel.frozen_heap does the same when it forks.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def modules_loading() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_loaded() -> None:
    gc.unfreeze()
