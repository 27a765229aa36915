"""`assembler assign`: the officer decides whose a return is, written under `assign:` in report.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

from assembler.commands.common import add_inputs_option, load_config_or_report
from assembler.config import CONFIG_NAME
from assembler.console import out
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE
from assembler.returns_coverage import RETURNS_DIR

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
    returns = args.inputs / RETURNS_DIR
    key = _key(args.file, returns)
    if key is None:
        out.print(f"{args.file} is not in {returns}: an assignment names a return there. Save the file into "
                  f"{returns} first, then assign it.", markup=False)
        return EXIT_USAGE
    if not key:
        out.print("Give the return's file name (or a pattern such as 'CWP*').", markup=False)
        return EXIT_USAGE
    # Written all the same (a pattern may be set up for files still to come), but never without a word: a name
    # typed wrong would otherwise assign nothing and leave the file unplaced.
    unmatched = not _names_a_return(key, returns, config.limits.max_file_mb)
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
    if unmatched:
        out.print(f"Note: no file in {returns} is called '{key}' yet (nor an attachment of an e-mail there), so it "
                  "places nothing until one arrives. If the name is mistyped, run assign again with the name "
                  "'assembler check --verbose' shows.", markup=False)
    return EXIT_OK


def _key(given: str, returns: Path) -> str | None:
    """A pattern as given; a path as its file name, or, for a file in a folder inside returns/, as its path
    there ('Team A/return.docx'): a name alone would assign every folder's file of that name. None for a file
    that exists, given by a path that is not in returns/ (a name alone is looked for in returns/)."""
    given = given.strip()
    if PATTERN_CHARACTERS & set(given):
        return given
    path = Path(given)
    try:
        relative = path.resolve().relative_to(returns.resolve())
    except (ValueError, OSError):
        return None if len(path.parts) > 1 and path.exists() else path.name
    return relative.as_posix() if len(relative.parts) > 1 else relative.name


def _names_a_return(key: str, returns: Path, max_file_mb: float) -> bool:
    """Whether the key names a file in returns/ or an attachment of an e-mail there, as the assembler matches."""
    from assembler.intake import discover
    from assembler.readers.agency_match import match_file_key

    entries = {key: ""}
    for path in discover([returns]) if returns.is_dir() else []:
        if match_file_key(entries, str(path), None) is not None:
            return True
        if any(match_file_key(entries, str(path), name) is not None for name in _attachment_names(path, max_file_mb)):
            return True
    return False


def _attachment_names(path: Path, max_file_mb: float) -> list[str]:
    """The file names attached to an e-mail saved in returns/ (none for any other file, nor for one larger than
    a return may be: the screen refuses it, and it is not parsed here either)."""
    if path.suffix.casefold() != ".eml" or path.is_symlink() or not path.is_file():
        return []
    if path.stat().st_size > max_file_mb * 1024 * 1024:
        return []
    import email
    from email import policy

    try:
        with open(path, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=policy.default)
        return [name for part in message.walk() if (name := part.get_filename())]
    except Exception:  # noqa: BLE001 - a message that cannot be parsed names no attachment here; check says why
        return []
