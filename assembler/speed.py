"""How the build gets its writing done quickly: the one interface to the speed machinery.

The build needs three things from it, and nothing else:

    writing = Writing.for_build(returns, started)   # how many returns there are; a host the command forked early
    writing.while_reading(still_reading)            # in the gap while worker processes read the returns
    results = writing.run(tasks)                    # the writing tasks, side by side: name -> (result, seconds)
    writing.close()                                 # always; close(abandon=True) when the build is stopped

Behind it (each module says why it is as it is):

- writer_host.py: for a small partnership, a process forked when the command starts loads the writers on the
  idle core while this one reads, then runs the writing tasks in workers forked from itself, which start warm;
- warmup.py: for a large partnership, this process loads what the report PDF needs while the returns are read;
- parallel.py: the tasks in worker processes forked from whichever process runs them.

Everything gives the same bytes; only the time differs.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from assembler.parallel import FollowUp, Task, run_parallel
from assembler.writer_host import HOST_UP_TO_RETURNS, WriterHost


def start_early(preload: tuple[str, ...] = ()) -> WriterHost | None:
    """A writer host forked now, before the command's own modules are imported, so that its loading overlaps
    theirs; it imports `preload` (the command's modules: what the tasks are made of) and then the writers.
    None where processes cannot be forked. Give it to `Writing.for_build`, or close it."""
    return WriterHost.start(preload)


class Writing:
    """Where the build's writing tasks run: in a writer host when there is one, else in workers forked here."""

    def __init__(self, host: WriterHost | None):
        self.host = host
        self._handed_over = False  # a host runs one set of tasks

    @classmethod
    def for_build(cls, returns: int, started: WriterHost | None = None) -> Writing:
        """A host for a small partnership (the one started early, or a new one); none for a large one, whose
        document would take longer to hand over than the host saves (writer_host.HOST_UP_TO_RETURNS)."""
        if returns > HOST_UP_TO_RETURNS:
            if started:
                started.close()
            return cls(None)
        return cls(started or WriterHost.start())

    def while_reading(self, still_reading: Callable[[], bool]) -> None:
        """Load what the report PDF needs while the returns are read, unless a host is loading the writers."""
        if not self.host:
            # Imported only now: warmup imports the brand (pydantic, the fonts), which must not be loaded before
            # `start_early` forks; by now the build has loaded them anyway.
            from assembler.warmup import REPORT_PDF_STEPS, warm_up_writers

            warm_up_writers(still_reading, REPORT_PDF_STEPS)

    def run(self, tasks: list[Task | FollowUp]) -> dict[str, tuple[Any, float]]:
        """run_parallel(tasks): in the host the first time (it is given one set of tasks), else here. Tasks the
        host cannot take (a function that does not pickle, a host that has gone) are run here."""
        if self.host and not self._handed_over:
            self._handed_over = True
            results = self.host.run(tasks)
            if results is not None:
                return results
        return run_parallel(tasks)

    def close(self, abandon: bool = False) -> None:
        """End the host, if any; again is harmless. `abandon`: stop its writers at once (a signal, Ctrl-C)."""
        if self.host:
            self.host.close(abandon=abandon)

    @contextmanager
    def stopped_if_abandoned(self) -> Iterator[None]:
        """A build stopped part-way (SIGTERM, Ctrl-C) ends its writer host before the staging folder is removed:
        a host left to finish would write into the folder again after it was cleared."""
        try:
            yield
        except BaseException:
            self.close(abandon=True)
            raise
