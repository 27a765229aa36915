"""YAML for every input file: libyaml's C parser where PyYAML has it (about ten times faster), else PyYAML's own."""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Like yaml.safe_load, faster: plain data only, never Python objects."""
    return yaml.load(text, Loader=SAFE_LOADER)


def explain_yaml_error(error: yaml.YAMLError, text: str, first_line: int = 1) -> tuple[str, int | None]:
    """(what is wrong in plain words, the line of the file) for a YAML syntax error in `text`,
    whose first line is line `first_line` of the file."""
    if isinstance(error, yaml.reader.ReaderError):  # a control character, often pasted from Word
        line = text[:error.position].count("\n") + first_line
        code = error.character if isinstance(error.character, int) else ord(error.character)  # libyaml / PyYAML
        return f"the text holds a character that is not allowed (U+{code:04X}, often pasted from Word): retype that line", line
    problem = getattr(error, "problem", None) or "it cannot be read"
    mark, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    # Something left open (a bracket, a quote) is found only where the text runs out: point at where it opened.
    if mark is not None and context is not None and mark.index >= len(text.rstrip()):
        mark = context
    line = mark.line + first_line if mark else None
    bad_line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "cannot start any token" in problem and "\t" in bad_line:
        return "a tab is used to indent this line; YAML needs spaces", line
    return f"this is not valid YAML ({problem})", line
