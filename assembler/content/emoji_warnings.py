"""Emoji in the partnership's own text: kept, with the warning an agency's emoji gets (issue 21, finding 5).

The PDF prints emoji with its bundled emoji font, but Word prints them as empty boxes on a computer whose
fonts have none. An agency's emoji is reported by the firewall (`readers/printable.py`); the partnership's
chapters, briefings and report.yaml are read here, line by line, so the warning names the file and line
the officer opens to change it, as `check` and `build` print every other warning.
"""

from __future__ import annotations

from pathlib import Path

from assembler.problems import Problem
from assembler.schema import Briefing, plain_text
from assembler.typography import EMOJI_FIX_FOR_PARTNERSHIP, emoji_in, emoji_lines, emoji_message

CHAPTERS_DIR = "chapters"
BRIEFINGS_DIR = "briefings"


def partnership_emoji_warnings(inputs: Path, chapter_ids: list[str]) -> list[Problem]:
    """A warning for each line holding emoji in the chapters report.yaml lists, the YAML briefings and
    report.yaml itself (its comments left out: they never print)."""
    files = [inputs / CHAPTERS_DIR / f"{chapter_id}.md" for chapter_id in chapter_ids]
    yaml_files = sorted((inputs / BRIEFINGS_DIR).glob("*.y*ml")) + [inputs / "report.yaml"]
    warnings: list[Problem] = []
    for path in files + yaml_files:
        text = _text(path)
        if text is None:
            continue  # a missing or unreadable file is reported where it is read
        if path.suffix in (".yaml", ".yml"):
            text = "\n".join(_without_comment(line) for line in text.splitlines())
        warnings += [emoji_warning(str(path), found, line) for line, found in emoji_lines(text)]
    return warnings


def word_briefing_emoji_warnings(briefings: list[Briefing]) -> list[Problem]:
    """A Word briefing has no lines to name: a warning for each of its boxes (title, audience, a part) holding emoji."""
    warnings: list[Problem] = []
    for briefing in briefings:
        if not (briefing.source or "").casefold().endswith(".docx"):
            continue  # a YAML briefing is read line by line above
        boxes = [("title", briefing.title or ""), ("audience", briefing.audience or "")] + [
            (f"sections.{number}", section.heading + " " + plain_text(section.blocks))
            for number, section in enumerate(briefing.sections, start=1)]
        warnings += [emoji_warning(briefing.source, found, field=field) for field, text in boxes if (found := emoji_in(text))]
    return warnings


def emoji_warning(file: str, found: list[str], line: int | None = None, field: str | None = None) -> Problem:
    return Problem(code="emoji_kept", severity="warning", file=file, line=line, field=field,
                   message=emoji_message(found), fix=EMOJI_FIX_FOR_PARTNERSHIP)


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _without_comment(line: str) -> str:
    """A YAML line up to its comment: a '#' at the start or after a space, outside a quoted value (a quote
    opens a value only where one starts: an apostrophe inside words opens nothing)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"" and line[:index].rstrip()[-1:] in ("", ":", "-", "[", "{", ","):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line
