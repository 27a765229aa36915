"""YAML for every input file: libyaml's C parser where PyYAML has it (about ten times faster), else PyYAML's own."""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Like yaml.safe_load, faster: plain data only, never Python objects."""
    return yaml.load(text, Loader=SAFE_LOADER)
