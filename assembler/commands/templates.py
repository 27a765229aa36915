"""`assembler templates`: the blank Word and Excel returns sent to every agency."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from assembler.commands.common import add_inputs_option, load_config_or_report
from assembler.console import out
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK

NAME = "templates"
HELP = "write a blank Word and Excel return for every agency in report.yaml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the templates to")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs)
    if config is None:
        return EXIT_INPUT_ERRORS
    from assembler.templates_out import write_briefing_template_into, write_templates  # heavy: only when run

    written = write_templates(args.out, config)
    table = Table(title=f"Templates for {len(written)} agencies in {args.out}", title_justify="left")
    for column in ("Agency", "Send", "Due", "E-mail", "Word", "Excel"):
        table.add_column(column, overflow="fold")
    for item in written:
        agency = item.agency
        table.add_row(agency.name, agency.format, str(agency.due or ""), agency.email, item.word.name, item.excel.name)
    out.print(table)
    briefing = write_briefing_template_into(args.out, config)
    out.print(f"wrote {briefing} (7-minute briefing template)")
    out.print(f"Send each agency the file in the 'Send' column; returns go into {args.inputs / 'returns'}.")
    return EXIT_OK
