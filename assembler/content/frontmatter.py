"""YAML front matter at the top of a Markdown file, between two '---' lines."""

from __future__ import annotations

import yaml

from assembler.yaml_text import explain_yaml_error, load_yaml


class FrontMatterError(ValueError):
    """What is wrong, in plain words, and the line of the file (not of the front matter) where it is."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """(metadata, body, line number where the body starts). No front matter gives ({}, text, 1)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            front = "".join(lines[1:end])
            try:
                meta = load_yaml(front) or {}
            except yaml.YAMLError as error:
                raise _yaml_error(error, front) from None
            if not isinstance(meta, dict):
                raise FrontMatterError("the front matter should be 'key: value' lines", 2)
            return meta, "".join(lines[end + 1:]), end + 2
    raise FrontMatterError("the front matter has no closing '---' line", 1)


FIRST_LINE = 2  # the front matter starts on the file's second line


def _yaml_error(error: yaml.YAMLError, front: str) -> FrontMatterError:
    message, line = explain_yaml_error(error, front, FIRST_LINE)
    return FrontMatterError(f"the front matter: {message}", line)
