"""report.yaml: the one place the officer describes the partnership, its agencies and its brand."""

from assembler.config.loader import CONFIG_NAME, load_config
from assembler.config.model import Agency, Brand, Chart, Colours, Fonts, Limits, ReportConfig, Rules

__all__ = ["CONFIG_NAME", "Agency", "Brand", "Chart", "Colours", "Fonts", "Limits", "ReportConfig", "Rules", "load_config"]
