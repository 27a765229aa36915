"""What reading a return gave, kept so an unchanged return is not read again by the next `check` or `build`.

During the weeks of chasing the officer runs `check` and `build` again and again while returns trickle in;
most of each run would re-read returns that have not changed. A return's reading (its ReadItems and rejected
entries, with the pictures it held) is kept under a key made of the file's content hash, its name, the
assembler's own code, and the settings that change how it is read (the limits; for an e-mail, the registry that
names its sender). Any change to one of them is a new key, so a kept reading is always what reading would give.

The cache is only ever a shortcut: safe to delete at any time; bounded in size (the least recently used entries
go first); a damaged or unreadable entry is ignored, removed and written again; and it never changes an output
(the entries are the reader's own objects). Kept in `outputs/.cache/` by default, or where the environment
variable ASSEMBLER_CACHE says (`off` turns it off). The entries are pickles: the folder is the officer's own,
like the outputs beside it, and is never filled from anything an agency sent except through the readers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

ENVIRONMENT = "ASSEMBLER_CACHE"
FOLDER_NAME = ".cache"
RETURNS = "returns"
MAX_BYTES = 256 * 1024 * 1024  # about a thousand returns with their pictures
MAGIC = b"assembler-reading-1\n"
OFFICE_ZIP = b"PK\x03\x04"
# Readings stopped by the machine's state, not the file's content, by their problems' codes: the next run may
# read them (over the time or memory a reading may take, a worker's failure).
TRANSIENT = frozenset({"read_timeout", "read_memory", "unreadable_return"})


def cache_for(out: Path) -> ReadingCache | None:
    """The cache beside the outputs in `out`, or where ASSEMBLER_CACHE says; None when it is off."""
    chosen = os.environ.get(ENVIRONMENT, "").strip()
    if chosen.casefold() in ("off", "0", "no", "false"):
        return None
    return ReadingCache(Path(chosen) if chosen else out / FOLDER_NAME)


class ReadingCache:
    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES):
        self.folder, self.max_bytes = folder, max_bytes
        self.hits = self.misses = 0

    def lookup(self, files: list[Path], config, image_dir: Path) -> tuple[dict[Path, list], dict[Path, str]]:
        """(file -> its kept entries, pictures put back into `image_dir`; file -> key) for files that can be
        kept; a file missing from both is read every time (a link, a special file, one too big to hash)."""
        found: dict[Path, list] = {}
        keys: dict[Path, str] = {}
        for path in files:
            key = self._key(path, config)
            if key is None:
                continue
            keys[path] = key
            entries = self._load(key, path, image_dir)
            if entries is None:
                self.misses += 1
            else:
                self.hits += 1
                found[path] = entries
        return found, keys

    def store(self, path: Path, key: str, entries: list, image_dir: Path) -> None:
        """Keep what reading `path` gave; never fails the run (a full disk only loses the shortcut)."""
        if any(_transient(entry) for entry in entries):
            return
        pictures = {}
        try:
            for image in _images(entries):
                picture = Path(image.path)
                if picture.parent != image_dir:
                    return  # a picture from elsewhere: not ours to keep
                pictures[picture.name] = picture.read_bytes()
        except OSError:
            return
        self._write(key, {"entries": entries, "pictures": pictures, "path": str(path)})

    def _write(self, key: str, kept: dict) -> None:
        """Written whole or not at all (a temporary file renamed into place); never fails the run."""
        handle = None
        try:
            payload = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".writing-", delete=False) as handle:
                handle.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(handle.name, self._file(key))
        except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, not a failed check
            if handle is not None:
                _remove(Path(handle.name))

    def evict(self) -> None:
        """Remove the least recently used entries until the folder is within its size."""
        try:
            entries = [(item.stat().st_mtime, item.stat().st_size, item) for item in self.folder.glob("*.reading")]
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, item in sorted(entries):
            if total <= self.max_bytes:
                break
            _remove(item)
            total -= size

    def material(self, inputs: Path, config, read: Callable[[], Any]) -> Any:
        """The partnership's own material (chapters, data workbooks, briefings and the problems found in them),
        as `read()` gives it, kept under the config and every file under `inputs` but the returns."""
        key = self._material_key(inputs, config)
        if key is not None:
            kept = self._load_payload(self._file(key))
            if kept is not None:
                return kept["material"]
        material = read()
        if key is not None:
            self._write(key, {"material": material})
        return material

    # --- keys and entries -------------------------------------------------------------------

    def _material_key(self, inputs: Path, config) -> str | None:
        digest = hashlib.sha256(b"partnership material\0")
        try:
            for part in (code_fingerprint(), str(inputs.resolve()), config.model_dump_json()):
                digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
            for file in sorted(inputs.rglob("*")):
                relative = file.relative_to(inputs)
                if relative.parts[0] == RETURNS or FOLDER_NAME in relative.parts or not file.is_file():
                    continue
                digest.update(str(relative).encode("utf-8", "surrogatepass") + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        except (OSError, ValueError):
            return None
        return digest.hexdigest()

    def _key(self, path: Path, config) -> str | None:
        try:
            status = os.lstat(path)
            if not stat.S_ISREG(status.st_mode) or status.st_size > config.limits.max_file_mb * 1024 * 1024:
                return None  # the screen refuses these; never open a pipe or follow a link to hash it
            content = path.read_bytes()
        except (OSError, AttributeError):
            return None
        digest = hashlib.sha256()
        for part in (code_fingerprint(), path.name, config.limits.model_dump_json()):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        if not content.startswith(OFFICE_ZIP):  # an e-mail: its sender is matched against the registry as it is read
            digest.update(_registry(config).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(content).digest())
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.reading"

    def _load_payload(self, file: Path) -> dict | None:
        """What an entry holds; None (and the entry removed) when it is missing, damaged or not ours."""
        try:
            data = file.read_bytes()
        except OSError:
            return None
        try:
            if not data.startswith(MAGIC):
                raise ValueError("not an entry")
            digest, payload = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
            if hashlib.sha256(payload).digest() != digest:
                raise ValueError("damaged")
            kept = pickle.loads(payload)
            if not isinstance(kept, dict):
                raise ValueError("not an entry")
        except Exception:  # noqa: BLE001 - a damaged entry is read again and written anew
            _remove(file)
            return None
        try:
            os.utime(file)  # recently used: evicted last
        except OSError:
            pass
        return kept

    def _load(self, key: str, path: Path, image_dir: Path) -> list | None:
        file = self._file(key)
        kept = self._load_payload(file)
        if kept is None:
            return None
        try:
            entries = [_moved(entry, kept["path"], path) for entry in kept["entries"]]
            if kept["pictures"]:
                image_dir.mkdir(parents=True, exist_ok=True)
            for name, picture in kept["pictures"].items():
                (image_dir / name).write_bytes(picture)
            for image in _images(entries):
                image.path = str(image_dir / Path(image.path).name)
        except Exception:  # noqa: BLE001 - a damaged entry is read again and written anew
            _remove(file)
            return None
        return entries


def _transient(entry) -> bool:
    """A file set aside because of the machine's state then (time, memory, a worker lost), not its content."""
    from assembler.problems import Problem

    return isinstance(entry, Problem) and entry.code in TRANSIENT


def _moved(entry, kept_path: str, path: Path):
    """The entry as if read from `path` now (the same content may have been kept under another folder)."""
    if hasattr(entry, "source"):
        return dataclasses.replace(entry, source=entry.source.model_copy(update={"path": str(path)}))
    if entry.file and entry.file.startswith(kept_path):  # a file set aside (a Problem)
        return entry.with_(file=str(path) + entry.file[len(kept_path):])
    return entry


def _images(value: Any):
    """Every picture block in a reading, wherever it sits (sections, case studies, nested lists)."""
    from assembler.schema import Image

    if isinstance(value, Image):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _images(getattr(value, name))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _images(getattr(value, item.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _images(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _images(item)


def _registry(config) -> str:
    import json

    return json.dumps([agency.model_dump(mode="json") for agency in config.agencies], sort_keys=True)


_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """The assembler's version and its own source: a changed reader is a new key (the version alone is not
    raised for every change)."""
    if not _FINGERPRINT:
        import assembler

        root = Path(assembler.__file__).parent
        digest = hashlib.sha256(assembler.__version__.encode())
        for source in sorted(root.rglob("*.py")):
            digest.update(str(source.relative_to(root)).encode() + b"\0" + source.read_bytes())
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
