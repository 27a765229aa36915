"""Small edits to report.yaml that keep everything the officer wrote: comments, order, spacing, flow-style lines.

The file is edited as text, one line at a time, not loaded and dumped again (a dump would drop every comment
and reflow the agency registry). After the edit the file is parsed again and compared with what was there: only
the one entry may have changed, or the edit is refused and the file left as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml

from assembler.yaml_text import load_yaml

TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")


class EditRefused(Exception):
    """The edit could not be made without risk to the rest of the file."""


def yaml_key(text: str) -> str:
    """A file name or pattern as a YAML key: always double-quoted, so ': ', '#', '*' and '[' are safe."""
    return json.dumps(text, ensure_ascii=False)


def entry_line(key: str, value: str) -> str:
    """The line as it is written under its section (without the indent): `"CWP return.docx": cwp`."""
    return f"{yaml_key(key)}: {value}"


def set_entry(text: str, section: str, key: str, value: str, comment: str = "") -> str:
    """`text` with `section:` (a top-level mapping) holding `key: value`: the entry's line replaced if the key is
    there, else a line added at the end of the section, else the section added at the end of the file."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # a last line without its line break: give it one before adding after it
    start = _section_start(lines, section)
    line_text = entry_line(key, value)
    if start is None:
        block = ([f"{newline}"] if lines and lines[-1].strip() else []) + \
            ([f"# {comment}{newline}"] if comment else []) + [f"{section}:{newline}", f"  {line_text}{newline}"]
        result = "".join(lines + block)
    else:
        header = TOP_LEVEL_KEY.match(lines[start].rstrip("\r\n"))
        rest = _without_comment(header.group(2)).strip()
        if rest in ("{}", "null", "~"):  # 'assign: {}': becomes a block holding the one entry
            trailing = header.group(2)[len(header.group(2).split("#", 1)[0]):] if "#" in header.group(2) else ""
            lines[start] = f"{section}:{(' ' + trailing.strip()) if trailing else ''}{newline}"
            lines.insert(start + 1, f"  {line_text}{newline}")
        elif rest:
            raise EditRefused(f"'{section}:' in report.yaml is written on one line; write it as a block "
                              f"(one entry per line) and try again")
        else:
            end, indent, existing = _section_entries(lines, start, key)
            if existing is not None:
                old = lines[existing]
                lines[existing] = f"{indent}{line_text}{_trailing_comment(old)}{newline}"
            else:
                lines.insert(end, f"{indent}{line_text}{newline}")
        result = "".join(lines)
    _verify(text, result, section, key, value)
    return result


def write_entry(path: Path, section: str, key: str, value: str, comment: str = "") -> None:
    """Set the entry in the file at `path`, replacing it atomically (a half-written report.yaml never exists)."""
    text = path.read_text(encoding="utf-8-sig")
    updated = set_entry(text, section, key, value, comment)
    if updated == text:
        return
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(updated)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _section_start(lines: list[str], section: str) -> int | None:
    for index, line in enumerate(lines):
        match = TOP_LEVEL_KEY.match(line.rstrip("\r\n"))
        if match and match.group(1) == section:
            return index
    return None


def _section_entries(lines: list[str], start: int, key: str) -> tuple[int, str, int | None]:
    """Where the section's entries end (after its last entry), their indent, and the line holding `key`."""
    end, indent, existing = start + 1, "  ", None
    seen_indent = False
    for index in range(start + 1, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if stripped and not line[0].isspace() and not stripped.startswith("#"):
            break  # the next top-level setting
        if not stripped or stripped.startswith("#"):
            continue
        if not seen_indent:
            indent, seen_indent = line[: len(line) - len(line.lstrip())], True
        end = index + 1
        try:
            parsed = load_yaml(_without_comment(stripped))
        except yaml.YAMLError:
            continue
        if isinstance(parsed, dict) and len(parsed) == 1 and str(next(iter(parsed))) == key:
            existing = index
    return end, indent, existing


def _without_comment(text: str) -> str:
    """The YAML before a ' #' comment (a '#' inside quotes is kept)."""
    quote = None
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index].rstrip()
    return text


def _trailing_comment(line: str) -> str:
    body = line.rstrip("\r\n")
    kept = _without_comment(body)
    return body[len(kept):] if len(kept) < len(body) else ""


def _verify(before: str, after: str, section: str, key: str, value: str) -> None:
    """Only `section.key` may differ between the two texts' data."""
    old, new = load_yaml(before) or {}, load_yaml(after)
    if not isinstance(new, dict) or not isinstance(old, dict):
        raise EditRefused("report.yaml is not a set of 'key: value' settings")
    expected = load_yaml(f"k: {value}")["k"]
    entries = new.get(section)
    if not isinstance(entries, dict) or entries.get(key) != expected:
        raise EditRefused(f"the entry could not be written under '{section}:' safely; add `{entry_line(key, value)}` by hand")
    old_entries = dict(old.get(section) or {})
    old_entries[key] = expected
    if {k: v for k, v in new.items() if k != section} != {k: v for k, v in old.items() if k != section} or entries != old_entries:
        raise EditRefused(f"writing under '{section}:' would have changed other settings; add `{entry_line(key, value)}` by hand")
