"""`assembler config`: validate report.yaml and show what it says."""

from __future__ import annotations

import argparse

from rich.table import Table

from assembler.commands.common import add_inputs_option, load_config_or_report
from assembler.console import out, print_json, styled
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK

NAME = "config"
HELP = "check report.yaml and print a summary of the partnership, agencies, chapters and brand"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--json", action="store_true", help="print the validated configuration as JSON")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs)
    if config is None:
        return EXIT_INPUT_ERRORS
    if args.json:
        print_json(config.model_dump(mode="json"))
        return EXIT_OK
    p = config.partnership
    out.line(styled(p.name, "bold"), f" ({p.short_name}): {config.title} {config.period}, plan {config.plan_period}")
    out.print(f"Published {config.publication_date:%d %B %Y}; language {p.language}")
    out.print(f"Chapters: {', '.join(config.chapters)} (agency returns go into '{config.agency_chapter}')")
    agencies = Table(title=f"{len(config.agencies)} agencies", title_justify="left")
    for column in ("Id", "Name", "Sector", "Template", "Due", "Contact"):
        agencies.add_column(column)
    for a in config.agencies:
        agencies.add_row(a.id, a.name, a.sector, a.format, str(a.due or ""), a.email)
    out.print(agencies)
    c = config.brand.colours
    out.print(
        f"Brand: primary {c.primary}, secondary {c.secondary}, accent {c.accent}; "
        f"fonts {config.brand.fonts.body} {config.brand.fonts.body_size:g} pt; footer '{config.brand.footer}'"
    )
    out.print(f"Charts: {', '.join(ch.id for ch in config.charts) or 'none'}")
    out.line(styled("report.yaml is valid.", "green"))
    return EXIT_OK
