"""7-minute briefings written by the officer as short YAML files, or in the Word briefing template."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from assembler.config.model import Limits
from assembler.content.markdown import MissingAltText, parse_markdown
from assembler.content.placeholders import placeholder_error
from assembler.errors import InputError
from assembler.problems import Problem
from assembler.readers.briefing_docx import read_briefing_docx
from assembler.schema import Briefing, BriefingSection
from assembler.typography import typeset_text
from assembler.known_keys import key_line, unknown_keys, value_line
from assembler.yaml_text import explain_yaml_error, load_yaml

BRIEFINGS_DIR = "briefings"
BRIEFING_KEYS = ("title", "date", "audience", "sections")
SECTION_KEYS = ("heading", "text")
BRIEFING_SUFFIXES = (".yaml", ".yml", ".docx")


def load_briefings(inputs: Path, limits: Limits | None = None) -> tuple[list[Briefing], list[Problem]]:
    briefings: list[Briefing] = []
    problems: list[Problem] = []
    for path in sorted((inputs / BRIEFINGS_DIR).glob("*.y*ml")):
        try:
            briefings.append(load_briefing(path))
        except InputError as exc:
            problems.append(exc.problem)
    for path in sorted((inputs / BRIEFINGS_DIR).glob("*.docx")):
        if path.name.startswith("~$"):  # Word's lock file while the officer has it open
            continue
        try:
            briefings.append(read_briefing_docx(path, limits or Limits()))  # a filled 7-minute-briefing Word template
        except InputError as exc:
            problems.append(exc.problem)
    briefings.sort(key=lambda b: b.slug)
    return briefings, problems


def stray_briefing_files(inputs: Path) -> list[Problem]:
    """Files in briefings/ that are not read as briefings (a .doc, a .txt, a PDF): the officer may
    expect them to be published."""
    folder = inputs / BRIEFINGS_DIR
    if not folder.is_dir():
        return []
    return [
        Problem(code="stray_briefing_file", severity="warning", file=str(path),
                message="this file is not read: briefings are .yaml files or filled-in Word briefing templates (.docx)",
                fix="save it as a .yaml briefing or in the Word briefing template, or move it out of briefings/")
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix.casefold() not in BRIEFING_SUFFIXES
        and not path.name.startswith((".", "~$")) and path.name.casefold() not in ("readme.md", "readme.txt")
    ]


def load_briefing(path: Path) -> Briefing:
    name = str(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        message, line = explain_yaml_error(exc, text)
        raise InputError(name, message, "check the indentation (spaces, not tabs); section text goes after 'text: |' on indented lines", line=line, code="briefing_unreadable") from None
    if not isinstance(data, dict):
        raise InputError(name, "the briefing should be 'key: value' settings", "start from a briefing in the sample inputs/briefings/", code="briefing_unreadable")
    for key, fix in unknown_keys(data, BRIEFING_KEYS):
        raise InputError(name, f"the setting '{key}' is not known", fix, line=key_line(text, key), field=key, code="unknown_setting")
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise InputError(name, "there is no list of sections", "add 'sections:' with seven '- heading: … text: |' entries", field="sections", code="briefing_sections")
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            raise InputError(name, f"section {number} is not a '- heading: … text: |' entry",
                             "give every section a 'heading:' line and a 'text: |' block", field=f"sections.{number}", code="briefing_sections")
        for key, fix in unknown_keys(section, SECTION_KEYS):
            raise InputError(name, f"section {number} has a setting '{key}' that is not known", fix,
                             line=key_line(text, key, nested=True), field=f"sections.{number}.{key}", code="unknown_setting")
    texts = [(key, data.get(key)) for key in ("title", "audience")] + [
        (f"sections.{number}.{key}", section.get(key)) for number, section in enumerate(sections, start=1) for key in SECTION_KEYS]
    for field, value in texts:
        placeholder = placeholder_error(name, str(value or ""), value_line(text, str(value or "")), field=field)
        if placeholder:
            raise placeholder
    try:
        parsed = [
            BriefingSection(heading=typeset_text(str(s.get("heading", "")).strip()), blocks=parse_markdown(str(s.get("text", ""))))
            for s in sections
        ]
    except MissingAltText as exc:
        raise InputError(name, f"the picture '{exc.src}' has no description", "describe it: ![what it shows](file.png)", field="sections", code="picture_without_alt_text") from None
    for number, section in enumerate(parsed, start=1):
        if not section.heading or not section.blocks:
            raise InputError(name, f"section {number} has no {'heading' if not section.heading else 'text'}", "give every section a heading and some text", field=f"sections.{number}", code="briefing_sections")
    try:
        return Briefing(
            slug=path.stem, title=_typeset(data.get("title")), date=data.get("date"), audience=_typeset(data.get("audience")),
            sections=parsed, source=name,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(name, message, "correct it and build again", field=field, code="briefing_invalid") from None


def _typeset(value):
    """A briefing's title or audience typeset as its text is (anything but text is left to the schema to refuse)."""
    return typeset_text(value) if isinstance(value, str) else value
