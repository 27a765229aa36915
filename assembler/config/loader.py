"""Load report.yaml, turning every problem into a message with the line and the fix."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from assembler.config.model import ReportConfig
from assembler.errors import ConfigError, ConfigErrors
from assembler.yaml_text import SAFE_LOADER, load_yaml  # a registry of a thousand agencies loads in a tenth of the time

CONFIG_NAME = "report.yaml"


def load_config(path: Path) -> ReportConfig:
    """Read and validate a report.yaml; raise ConfigErrors listing every problem."""
    name = str(path)
    if not path.is_file():
        raise ConfigErrors([ConfigError(name, "the file does not exist", f"create it, or point --inputs at the folder that holds {CONFIG_NAME}")])
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigErrors([ConfigError(
            name, f"this is not valid YAML ({problem})",
            "check the indentation and that every 'key: value' has a space after the colon; quote text containing ': ' or '#'",
            line=mark.line + 1 if mark else None,
        )]) from None
    if not isinstance(data, dict):
        raise ConfigErrors([ConfigError(name, "the file should be a set of 'key: value' settings", "start from the sample inputs/report.yaml")])
    try:
        return ReportConfig.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=SAFE_LOADER)  # line numbers for the messages, needed only now
        raise ConfigErrors([_to_config_error(name, node, err) for err in exc.errors()]) from None


def _to_config_error(name: str, root, err: dict) -> ConfigError:
    loc = [part for part in err["loc"] if not isinstance(part, str) or not part.startswith("function-")]
    field = ".".join(str(part) for part in loc) or "(top level)"
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    if kind == "missing":
        message, fix = "this setting is missing", f"add '{loc[-1]}:' here (see the sample inputs/report.yaml)"
    elif kind == "extra_forbidden":
        message, fix = "this setting is not known", "check the spelling, or remove it"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        fix = f"give {_expected(kind)}"
    elif kind == "literal_error":
        fix = f"use one of {err.get('ctx', {}).get('expected', 'the listed values')}"
    else:
        fix = "correct the value"
    # A missing key has no node of its own: point at its parent instead.
    line = _line_of(root, loc if kind != "missing" else loc[:-1])
    return ConfigError(name, message, fix, line=line, field=field)


def _expected(kind: str) -> str:
    return {
        "int_parsing": "a whole number", "int_type": "a whole number", "float_parsing": "a number",
        "float_type": "a number", "string_type": "text", "bool_parsing": "true or false",
        "list_type": "a list (lines starting with '- ')", "dict_type": "a set of 'key: value' settings",
        "date_from_datetime_parsing": "a date as YYYY-MM-DD", "date_parsing": "a date as YYYY-MM-DD",
        "date_type": "a date as YYYY-MM-DD", "model_type": "a set of 'key: value' settings",
        "datetime_parsing": "a date and time as YYYY-MM-DD HH:MM (add +01:00 for summer time)",
        "datetime_from_date_parsing": "a date and time as YYYY-MM-DD HH:MM (add +01:00 for summer time)",
        "datetime_type": "a date and time as YYYY-MM-DD HH:MM",
    }.get(kind, "a value of the right kind")


def _line_of(node, loc: list) -> int | None:
    """1-based line of the YAML node at `loc`, or of the nearest ancestor found."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
