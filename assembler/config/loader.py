"""Load report.yaml, turning every problem into a message with the line and the fix."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from assembler.config.model import ReportConfig
from assembler.errors import ConfigError, ConfigErrors
from assembler.yaml_text import SAFE_LOADER, explain_yaml_error, load_yaml_noting_repeats  # a registry of a thousand agencies loads in a tenth of the time

CONFIG_NAME = "report.yaml"


def load_config(path: Path) -> ReportConfig:
    """Read and validate a report.yaml; raise ConfigErrors listing every problem."""
    name = str(path)
    if not path.is_file():
        above = path.parent.parent / CONFIG_NAME
        if above.is_file():  # --inputs given the returns folder (or another folder inside the inputs)
            fix = f"the folder above holds {CONFIG_NAME}: give --inputs {path.parent.parent}"
        else:
            fix = f"create it, or point --inputs at the folder that holds {CONFIG_NAME}"
        raise ConfigErrors([ConfigError(name, "the file does not exist", fix)])
    text = path.read_text(encoding="utf-8-sig")
    try:
        data, repeated = load_yaml_noting_repeats(text)
    except yaml.YAMLError as exc:
        message, line = explain_yaml_error(exc, text)
        raise ConfigErrors([ConfigError(
            name, message,
            "check the indentation (spaces, not tabs) and that every 'key: value' has a space after the colon; "
            "quote text containing ': ' or '#'",
            line=line,
        )]) from None
    if not isinstance(data, dict):
        raise ConfigErrors([ConfigError(name, "the file should be a set of 'key: value' settings", "start from the sample inputs/report.yaml")])
    if repeated:  # YAML would use the later silently: a period typed again at the end turned every return 'wrong year'
        raise ConfigErrors([ConfigError(
            name, f"'{key}' is given twice in the same place (first on line {first}); only one can count",
            "keep the one you mean and delete the other", line=line) for key, first, line in repeated])
    try:
        return ReportConfig.model_validate(data)
    except ValidationError as exc:
        node = yaml.compose(text, Loader=SAFE_LOADER)  # line numbers for the messages, needed only now
        errors = []
        for err in exc.errors():
            if err["msg"].startswith(DUPLICATE_IDS):
                errors += _duplicate_id_errors(name, node)
            else:
                errors.append(_to_config_error(name, node, err, data, text))
        raise ConfigErrors(errors) from None


DUPLICATE_IDS = "Value error, agency ids must be unique"


def _to_config_error(name: str, root, err: dict, data: dict, text: str) -> ConfigError:
    loc = [part for part in err["loc"] if not isinstance(part, str) or not part.startswith("function-")]
    field = _field_name(loc, data)
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    # A missing key has no node of its own: point at its parent instead.
    line = _line_of(root, loc if kind != "missing" else loc[:-1])
    if kind == "missing":
        message, fix = "this setting is missing", f"add '{loc[-1]}:' here (see the sample inputs/report.yaml)"
    elif kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1]), n=1, cutoff=0.6)
        message = "this setting is not known"
        fix = f"did you mean '{close[0]}'? Rename it" if close else "check the spelling, or remove it"
    elif err.get("input") is None and _comment_took_the_value(text, line):
        message = "the value starts with '#', which YAML reads as a comment, so the setting is empty"
        fix = f"put the value in quotes, e.g. {loc[-1]}: \"#1B3A6B\""
    elif err.get("input") is None:
        message, fix = "this setting is empty", f"give {_expected(kind)}"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message, fix = f"this should be {_expected(kind)}, not '{err.get('input')}'", f"give {_expected(kind)}"
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "one of the listed values")
        message, fix = f"this should be {expected}, not '{err.get('input')}'", f"use {expected}"
    else:
        fix = "correct the value"
    return ConfigError(name, message, fix, line=line, field=field)


def _field_name(loc: list, data: dict) -> str:
    """'agencies[probation].email' rather than 'agencies.7.email': the officer knows agencies by id."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            label = node.get("id") if isinstance(node, dict) and isinstance(node.get("id"), str) else None
            parts[-1] += f"[{label}]" if label else f"[entry {part + 1}]"
            continue
        parts.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _allowed_keys(loc: list) -> list[str]:
    """The setting names the model accepts at `loc` (for 'did you mean')."""
    model = ReportConfig
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields.get(str(part)).annotation if model and str(part) in model.model_fields else None
        inner = getattr(annotation, "__args__", None)
        model = next((a for a in (inner or (annotation,)) if hasattr(a, "model_fields")), None)
        if model is None:
            return []
    return list(model.model_fields)


def _comment_took_the_value(text: str, line: int | None) -> bool:
    if not line:
        return False
    source = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
    return bool(re.search(r":\s+#", source))


def _duplicate_id_errors(name: str, root) -> list[ConfigError]:
    """One error per repeated agency id, at the line where it is repeated, naming where it was first used."""
    seen: dict[str, int] = {}
    errors = []
    agencies = next((value for key, value in root.value if key.value == "agencies"), None)
    for entry in getattr(agencies, "value", []):
        id_node = next((value for key, value in getattr(entry, "value", []) if key.value == "id"), None)
        if id_node is None:
            continue
        line = id_node.start_mark.line + 1
        if id_node.value in seen:
            errors.append(ConfigError(name, f"the agency id '{id_node.value}' is used again (first on line {seen[id_node.value]})",
                                      "give each agency its own id", line=line, field=f"agencies[{id_node.value}].id"))
        else:
            seen[id_node.value] = line
    return errors


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
