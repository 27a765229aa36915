"""YAML front matter at the top of a Markdown file, between two '---' lines."""

from __future__ import annotations

import yaml

from assembler.yaml_text import load_yaml


class FrontMatterError(ValueError):
    """What is wrong, in plain words, and the line of the file (not of the front matter) where it is."""

    def __init__(self, problem: str, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.line = line


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """(metadata, body, line number where the body starts). No front matter gives ({}, text, 1)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = load_yaml("".join(lines[1:end])) or {}
            except yaml.YAMLError as error:
                # PyYAML counts from the front matter's first line, which is the file's second.
                mark = getattr(error, "problem_mark", None)
                raise FrontMatterError(getattr(error, "problem", None) or str(error), mark.line + 2 if mark else None) from None
            if not isinstance(meta, dict):
                raise FrontMatterError("the front matter should be 'key: value' lines", 2)
            return meta, "".join(lines[end + 1:]), end + 2
    raise FrontMatterError("the front matter has no closing '---' line", 1)
