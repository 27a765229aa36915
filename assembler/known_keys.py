"""Settings files the officer types by hand reject keys they do not know, with the likely intended one.

A misspelt key ('summary_bulets', 'audiance') would otherwise be ignored and quietly
take its content out of print.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def unknown_keys(data: dict, allowed: Iterable[str]) -> list[tuple[str, str]]:
    """(key, fix) for every key of `data` not in `allowed`, the fix naming the closest allowed key."""
    allowed = sorted(allowed)
    found = []
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key).casefold(), allowed, n=1, cutoff=0.6)
        fix = (f"did you mean '{close[0]}'? Rename it" if close
               else f"remove it; the settings here are {', '.join(allowed)}")
        found.append((str(key), fix))
    return found


def key_line(text: str, key: str, first_line: int = 1, nested: bool = False) -> int | None:
    """The line of `text` (numbered from `first_line`) where `key:` is set: at the top level, or at any
    depth when `nested`."""
    indent = r"\s*(?:- )?" if nested else ""
    pattern = re.compile(rf"^{indent}['\"]?{re.escape(key)}['\"]?\s*:")
    for number, line in enumerate(text.splitlines(), start=first_line):
        if pattern.match(line):
            return number
    return None


def value_line(text: str, value: str, fallback: int = 1) -> int:
    """The line of `text` where a value starts (found by its first words), for messages about it."""
    start = value.strip().splitlines()[0][:30] if value.strip() else ""
    for number, line in enumerate(text.splitlines(), start=1):
        if start and start in line:
            return number
    return fallback
