"""Writing outputs safely: everything goes to a staging folder, then moves into place.

A build that fails or is killed half-way leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def staging_folder(out: Path):
    """A fresh folder beside `out` (same file system, so moves are atomic); removed afterwards."""
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(out)
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


def publish(staging: Path, out: Path) -> list[Path]:
    """Move every staged file into `out`, each with an atomic rename; return the published paths."""
    published = []
    for source in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = out / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        published.append(target)
    return published


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
