"""7-minute briefings written by the officer as short YAML files."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from assembler.content.markdown import MissingAltText, parse_markdown
from assembler.errors import InputError
from assembler.schema import Briefing, BriefingSection
from assembler.yaml_text import load_yaml

BRIEFINGS_DIR = "briefings"


def load_briefings(inputs: Path) -> tuple[list[Briefing], list[InputError]]:
    briefings: list[Briefing] = []
    problems: list[InputError] = []
    for path in sorted((inputs / BRIEFINGS_DIR).glob("*.y*ml")):
        try:
            briefings.append(load_briefing(path))
        except InputError as exc:
            problems.append(exc)
    for path in sorted((inputs / BRIEFINGS_DIR).glob("*.docx")):
        if path.name.startswith("~$"):  # Word's lock file while the officer has it open
            continue
        from assembler.onepage import load_briefing_docx  # a filled 7-minute-briefing Word template

        try:
            briefings.append(load_briefing_docx(path))
        except InputError as exc:
            problems.append(exc)
    briefings.sort(key=lambda b: b.slug)
    return briefings, problems


def load_briefing(path: Path) -> Briefing:
    name = str(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(name, f"this is not valid YAML ({getattr(exc, 'problem', exc)})", "check the indentation; section text goes after 'text: |' on indented lines", line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise InputError(name, "the briefing should be 'key: value' settings", "start from a briefing in the sample inputs/briefings/")
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise InputError(name, "there is no list of sections", "add 'sections:' with seven '- heading: … text: |' entries", field="sections")
    try:
        parsed = [
            BriefingSection(heading=str(s.get("heading", "")).strip(), blocks=parse_markdown(str(s.get("text", ""))))
            for s in sections if isinstance(s, dict)
        ]
    except MissingAltText as exc:
        raise InputError(name, f"the picture '{exc.src}' has no description", "describe it: ![what it shows](file.png)", field="sections") from None
    for number, section in enumerate(parsed, start=1):
        if not section.heading or not section.blocks:
            raise InputError(name, f"section {number} has no {'heading' if not section.heading else 'text'}", "give every section a heading and some text", field=f"sections.{number}")
    try:
        return Briefing(
            slug=path.stem, title=data.get("title"), date=data.get("date"), audience=data.get("audience"),
            sections=parsed, source=name,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(name, message, "correct it and build again", field=field) from None
