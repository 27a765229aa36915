"""`assembler assign`: the officer decides whose a return is, written under `assign:` in report.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

from assembler.commands.common import add_inputs_option, load_config_or_report
from assembler.config import CONFIG_NAME
from assembler.console import out
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE

NAME = "assign"
HELP = "record whose return a file is (under assign: in report.yaml), when the assembler cannot tell or tells wrongly"
PATTERN_CHARACTERS = set("*?[")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="the return: its path, its file name, or a pattern such as 'CWP*' (an attachment: its own name)")
    parser.add_argument("agency", metavar="AGENCY", help="the agency's id in report.yaml, e.g. cwp")
    add_inputs_option(parser)


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs)
    if config is None:
        return EXIT_INPUT_ERRORS
    from assembler.config.edit import EditRefused, entry_line, write_entry
    from assembler.readers.agency_match import AgencyMatcher

    agency = config.agency(args.agency)
    if agency is None:
        import difflib

        guess = AgencyMatcher(config).by_text(args.agency)
        close = difflib.get_close_matches(args.agency.casefold(), [a.id for a in config.agencies], n=1)
        guess = guess or (config.agency(close[0]) if close else None)
        suggestion = f" Did you mean '{guess.id}' ({guess.name})?" if guess else ""
        out.print(f"'{args.agency}' is not an agency id in {args.inputs / CONFIG_NAME}.{suggestion} "
                  "'assembler config' lists the ids.", markup=False)
        return EXIT_USAGE
    key = _key(args.file)
    if not key:
        out.print("Give the return's file name (or a pattern such as 'CWP*').", markup=False)
        return EXIT_USAGE
    path = args.inputs / CONFIG_NAME
    try:
        write_entry(path, "assign", key, agency.id,
                    comment="Whose return a file is, when the assembler cannot tell: file name or pattern -> agency id.")
    except EditRefused as refused:
        out.print(f"{path} was not changed: {refused}.", markup=False)
        return EXIT_INPUT_ERRORS
    if load_config_or_report(args.inputs) is None:  # cannot happen after the check above, but never leave it broken silently
        return EXIT_INPUT_ERRORS
    out.print(f"{key} is now {agency.name}'s return: `{entry_line(key, agency.id)}` is under assign: in {path}. "
              "Run 'assembler check' to see it placed.", markup=False)
    return EXIT_OK


def _key(given: str) -> str:
    """A pattern as given; a path as its file name (the assembler matches files by name wherever they are)."""
    if PATTERN_CHARACTERS & set(given):
        return given.strip()
    return Path(given.strip()).name
