"""`assembler config`: validate report.yaml and show what it says."""

from __future__ import annotations

import argparse

from assembler.commands.common import add_inputs_option, load_config_or_report
from assembler.console import out, print_json, print_problems, styled
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK
from assembler.problems import Problem

NAME = "config"
HELP = "check report.yaml and print a summary of the partnership, agencies, chapters and brand"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--json", action="store_true", help="print the validated configuration as JSON")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs, as_json=args.json)
    if config is None:
        return EXIT_INPUT_ERRORS
    problems, warnings = named_files_problems(args.inputs, config)
    if args.json:
        print_json(config.model_dump(mode="json"))
        return EXIT_INPUT_ERRORS if problems else EXIT_OK
    p = config.partnership
    out.line(styled(p.name, "bold"), f" ({p.short_name}): {config.title} {config.period}, plan {config.plan_period}")
    out.print(f"Published {config.publication_date:%d %B %Y}; language {p.language}")
    out.print(f"Chapters: {', '.join(config.chapters)} (agency returns go into '{config.agency_chapter}')")
    # One line per agency, not a table: a table cuts long names and e-mail addresses to fit the terminal,
    # and the officer copies these addresses; a line that is too long wraps instead.
    out.line(styled(f"{len(config.agencies)} agencies", "bold"), " (id: name | sector | template | due | contact):")
    for a in config.agencies:
        due = f"due {a.due:%d %b %Y}" if a.due else "no due date"
        out.line("  ", styled(a.id, "bold"), f": {a.name} | {a.sector} | {a.format} | {due} | {a.email}")
    c = config.brand.colours
    out.print(
        f"Brand: primary {c.primary}, secondary {c.secondary}, accent {c.accent}; "
        f"fonts {config.brand.fonts.body} {config.brand.fonts.body_size:g} pt; footer '{config.brand.footer}'"
    )
    out.print(f"Charts: {', '.join(ch.id for ch in config.charts) or 'none'}")
    if warnings:
        print_problems(warnings, title="Warnings")
    if problems:
        print_problems(problems, title=f"report.yaml is valid, but {len(problems)} of the files it names cannot be used")
        return EXIT_INPUT_ERRORS
    out.line(styled("report.yaml is valid, and so are the chapters, briefings, data workbooks and logo it names.", "green"))
    return EXIT_OK


def named_files_problems(inputs, config) -> tuple[list, list]:
    """(errors, warnings) in the files report.yaml names: read as the build reads them, so a missing
    chapter or a broken front matter shows up here and not only at build time."""
    from assembler.assemble import read_partnership_material

    material = read_partnership_material(inputs, config)
    problems = list(material.problems)
    logo = inputs / config.brand.logo if config.brand.logo else None
    if logo is not None and not logo.is_file():
        problems.append(Problem(code="logo_missing", file=str(inputs / "report.yaml"), field="brand.logo",
                                message=f"the logo '{config.brand.logo}' is missing", fix=f"put the logo at {logo}, or correct brand.logo"))
    return problems, material.warnings
