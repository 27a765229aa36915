"""Options and steps several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from assembler.config import CONFIG_NAME, ReportConfig, load_config
from assembler.console import print_json, print_problems, problems_json
from assembler.errors import ConfigErrors, UsageError

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUTPUTS = Path("outputs")


def add_inputs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inputs", type=Path, default=DEFAULT_INPUTS, metavar="DIR",
        help=f"folder holding {CONFIG_NAME}, chapters/, data/, briefings/ and returns/ (default: inputs)",
    )


def add_outputs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR", help="where to write (default: outputs)")


def existing_folder(folder: Path, option: str, what: str) -> Path:
    """`folder`, or a UsageError that says where it was looked for: a relative path is taken from the
    folder the command was run in, which is the usual surprise."""
    if folder.is_dir():
        return folder
    where = "" if folder.is_absolute() else f" (looked for in {Path.cwd()}, the folder you ran the command in)"
    state = "is not a folder" if folder.exists() else "does not exist"
    raise UsageError(f"the {what} folder '{folder}' {state}{where}; give the right one with {option} DIR")


def load_config_or_report(inputs: Path, as_json: bool = False) -> ReportConfig | None:
    """The validated config, or None after printing every problem in it: on standard error, and for a command
    asked for JSON on standard output, as a JSON error object there too (a script gets an answer, not silence)."""
    existing_folder(inputs, "--inputs", "inputs")
    try:
        return load_config(inputs / CONFIG_NAME)
    except ConfigErrors as exc:
        print_problems(exc.problems, title=f"{inputs / CONFIG_NAME} cannot be used")
        if as_json:
            print_json({"error": {"message": f"{inputs / CONFIG_NAME} cannot be used", "exit_code": 1,
                                  "problems": problems_json(exc.problems)}})
        return None


def add_sending_options(parser: argparse.ArgumentParser, again_help: str) -> None:
    """--dry-run (the default) or --send, and --again, for the commands that e-mail agencies."""
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", dest="send", action="store_false", default=False,
                      help="write the e-mails as drafts into outputs/outbox/ and send nothing (the default)")
    mode.add_argument("--send", dest="send", action="store_true", help="send them through the SMTP server in report.yaml")
    parser.add_argument("--again", action="append", default=[], metavar="AGENCY", help=again_help)


def load_config_and_mail(inputs: Path):
    """(config, mail settings) for the mailbox commands, or None after printing why they cannot run."""
    config = load_config_or_report(inputs)
    if config is None:
        return None
    from assembler.mail.officer import require_mail

    mail = require_mail(config, inputs)
    return None if mail is None else (config, mail)
