"""Blank returns sent to agencies: a Word and an Excel template per agency."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from assembler.config import Agency, ReportConfig
from assembler.templates_out.excel import write_excel_template
from assembler.templates_out.word import write_word_template

BRIEFING_TEMPLATE_NAME = "7-minute-briefing.docx"


@dataclass(frozen=True)
class WrittenTemplate:
    agency: Agency
    word: Path
    excel: Path


def write_templates(out_dir: Path, config: ReportConfig) -> list[WrittenTemplate]:
    """Write `<agency-id>.docx` and `<agency-id>.xlsx` for every agency, in registry order."""
    written = []
    for agency in config.agencies:
        written.append(WrittenTemplate(
            agency,
            write_word_template(out_dir / f"{agency.id}.docx", agency, config),
            write_excel_template(out_dir / f"{agency.id}.xlsx", agency, config),
        ))
    return written


def write_briefing_template_if_available(out_dir: Path, config: ReportConfig) -> Path | None:
    """The 7-minute briefing template, when the one-pager module provides it (it is optional)."""
    try:
        module = importlib.import_module("assembler.onepage.briefing_template")
    except ModuleNotFoundError as exc:
        if exc.name in ("assembler.onepage.briefing_template", "assembler.onepage"):
            return None
        raise
    writer = getattr(module, "write_briefing_template", None)
    if writer is None:
        return None
    path = out_dir / BRIEFING_TEMPLATE_NAME
    writer(path, config)
    return path
