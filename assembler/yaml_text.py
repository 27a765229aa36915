"""YAML for every input file: libyaml's C parser where PyYAML has it (about ten times faster), else PyYAML's own."""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Like yaml.safe_load, faster: plain data only, never Python objects."""
    return yaml.load(text, Loader=SAFE_LOADER)


class _KeysCountingLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, noting a key given twice in one mapping (YAML keeps the later without a word)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.repeated: list[tuple[str, int, int]] = []  # (key, first line, repeated line), 1-based

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    line = key_node.start_mark.line + 1
                    if key_node.value in first:
                        self.repeated.append((key_node.value, first[key_node.value], line))
                    else:
                        first[key_node.value] = line
        return super().construct_mapping(node, deep)


def load_yaml_noting_repeats(text: str):
    """(the data as load_yaml gives it, each key repeated in a mapping as (key, first line, repeated line))."""
    loader = _KeysCountingLoader(text)
    try:
        return loader.get_single_data(), loader.repeated
    finally:
        loader.dispose()


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
