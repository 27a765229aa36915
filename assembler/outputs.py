"""Writing outputs safely: everything goes to a staging folder, then moves into place.

A build that fails or is killed half-way leaves the previous outputs as they were;
one build at a time writes into an outputs folder; the outputs a build owns are
replaced as a set, so an output of a deleted input does not linger beside the new ones.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

PREVIOUS_DIR = ".previous"


class OutputsBusy(Exception):
    """Another build is writing into the same outputs folder."""

    def __init__(self, out: Path, holder: str):
        self.out, self.holder = out, holder
        super().__init__(f"another build (process {holder or 'unknown'}) is writing into {out}: "
                         "wait for it to finish, then build again")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def staging_folder(out: Path):
    """A fresh folder beside `out` (same file system, so moves are atomic), held under the outputs
    folder's lock; removed afterwards, also when the build is stopped by SIGTERM or SIGHUP."""
    out.mkdir(parents=True, exist_ok=True)
    with _build_lock(out), _signals_end_the_build():
        _remove_abandoned_staging(out)
        staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            # Made inside the try: a signal handled just after the folder appears (when a loaded machine
            # pauses this process there) would otherwise stop the build before the finally could remove it.
            staging.mkdir()
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _build_lock(out: Path):
    """An advisory lock on `.<out>.lock` beside the folder (like the staging folder, so that nothing but outputs
    is ever inside it): the kernel releases it when the process ends, however it ends, so a killed build never
    leaves the folder locked. The file is removed while still locked, once the build is done with the folder."""
    path = out.parent / f".{out.name}.lock"
    handle = open(path, "a+", encoding="ascii")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise OutputsBusy(out, handle.read().strip()) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
    finally:
        handle.close()


@contextmanager
def _signals_end_the_build():
    """SIGTERM and SIGHUP (a closed terminal) end the build through its `finally` blocks, as Ctrl-C does,
    instead of killing it with its staging folder left behind. Only the main thread may set handlers."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, _frame):
        _STOPPED_BY.append(number)
        raise SystemExit(128 + number)

    _STOPPED_BY.clear()
    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
        stop_if_signalled()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# The signal that stopped the build, kept as well as raised: a handler that runs inside a callback Python
# calls for itself (the at-fork hooks of os.fork, a finaliser) has its SystemExit printed and dropped there.
_STOPPED_BY: list[int] = []


def stop_if_signalled() -> None:
    """Raise the SystemExit of a SIGTERM or SIGHUP that arrived, if Python dropped it where it arrived: the
    build then still stops before it publishes anything."""
    if _STOPPED_BY:
        raise SystemExit(128 + _STOPPED_BY[0])


def _remove_abandoned_staging(out: Path) -> None:
    """Staging folders of builds that were killed (their process is gone) are debris, never outputs."""
    for folder in out.parent.glob(f".{out.name}.staging-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish(staging: Path, out: Path, owned: Callable[[Path], bool] = lambda relative: False) -> tuple[list[Path], list[Path]]:
    """Move every staged file into `out`, each with an atomic rename. Files already in `out` that this
    build owns (`owned(path relative to out)`) but did not make are moved to `out/.previous/`, so the
    outputs of the build are exactly the new set. Returns (published, retired) paths."""
    stop_if_signalled()
    staged = sorted(p for p in staging.rglob("*") if p.is_file())
    made = {p.relative_to(staging) for p in staged}
    retired = []
    for old in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = old.relative_to(out)
        if relative.parts[0].startswith(".") or relative in made or not owned(relative):
            continue
        target = out / PREVIOUS_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, target)
        retired.append(target)
    published = []
    for source in staged:
        target = out / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        published.append(target)
    return published, retired


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
