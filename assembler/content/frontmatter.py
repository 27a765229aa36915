"""YAML front matter at the top of a Markdown file, between two '---' lines."""

from __future__ import annotations

import yaml

from assembler.yaml_text import load_yaml


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """(metadata, body, line number where the body starts). No front matter gives ({}, text, 1)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = load_yaml("".join(lines[1:end])) or {}
            if not isinstance(meta, dict):
                raise yaml.YAMLError("the front matter should be 'key: value' lines")
            return meta, "".join(lines[end + 1:]), end + 2
    raise yaml.YAMLError("the front matter has no closing '---' line")
