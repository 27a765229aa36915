"""Blank templates: a Word and an Excel return per agency, and the 7-minute briefing the officer fills in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assembler.config import Agency, ReportConfig
from assembler.templates_out.briefing import BRIEFING_TEMPLATE_NAME, write_briefing_template
from assembler.templates_out.excel import write_excel_template
from assembler.templates_out.word import write_word_template


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


def write_briefing_template_into(out_dir: Path, config: ReportConfig) -> Path:
    """`7-minute-briefing.docx`, the blank briefing the officer fills in and saves into inputs/briefings/."""
    path = out_dir / BRIEFING_TEMPLATE_NAME
    write_briefing_template(path, config)
    return path
