"""`assembler check-outputs`: accessibility checks of every file written to the outputs folder, in every
format of writers.WRITERS (found by their suffix), with each format's thorough checks, and of every page
of the web edition."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path

from rich.table import Table

from assembler.commands.common import DEFAULT_OUTPUTS, existing_folder
from assembler.console import out, print_json, styled
from assembler.errors import EXIT_OK

NAME = "check-outputs"
HELP = ("check every PDF, Word file and web page in the outputs folder for accessibility "
        "(PDF/UA, Word's checker rules, the web edition's page rules); exit 1 on any finding")
EXIT_FINDINGS = 1  # what a build step or CI keys on: something a reader with a screen reader would miss


def _writers():
    from assembler.writers import WRITERS  # only when run: the other commands start without it

    return {writer.suffix: writer for writer in WRITERS.values()}


def _checkers() -> dict[str, Callable[[Path], list[str]]]:
    """suffix -> thorough check: each format's, and the web edition's page checks (a site, not a WRITERS format)."""
    from assembler.checks.html_accessibility import check_html

    checkers = {suffix: functools.partial(_thorough, writer) for suffix, writer in _writers().items()}
    return checkers | {".html": check_html}


def _thorough(writer, path: Path) -> list[str]:
    return writer.check_accessibility(path, True)


# The web edition's copies of the PDF and DOCX, for download: the same bytes as the files checked beside it.
DOWNLOAD_COPIES = ("web", "downloads")


def output_files(folder: Path) -> list[Path]:
    """The files of every output format under ``folder``, recursively, in a stable order.

    Word's lock files (~$...), hidden files or folders (a build's .work) and the web edition's copies of
    the files for download are skipped.
    """
    suffixes = _checkers().keys()
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("~$")
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and p.relative_to(folder).parts[:2] != DOWNLOAD_COPIES)


def check_output_files(folder: Path) -> dict[Path, list[str]]:
    """Findings per file (empty list: clean). For a build step: fail when any list is non-empty."""
    checkers = _checkers()
    return {path: checkers[path.suffix.lower()](path) for path in output_files(folder)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="the outputs folder to check, with its subfolders (default: outputs)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(args: argparse.Namespace) -> int:
    folder = existing_folder(args.out, "--out", "outputs")
    results = check_output_files(folder)
    failing = {path: found for path, found in results.items() if found}
    if not results:  # nothing checked is not a pass: the build may have written elsewhere
        kinds = " or ".join(_checkers())
        message = f"there are no {kinds} files in {folder}: build first (assembler build) or pass --out DIR"
        if args.json:
            print_json({"error": {"message": message, "exit_code": EXIT_FINDINGS}})
        else:
            out.line(message)
        return EXIT_FINDINGS
    if args.json:
        print_json({str(path.relative_to(folder)): found for path, found in results.items()})
        return EXIT_FINDINGS if failing else EXIT_OK
    table = Table(title=f"Accessibility of {len(results)} files in {folder}", title_justify="left")
    for column in ("File", "Findings", "First finding"):
        table.add_column(column)
    for path, found in results.items():
        table.add_row(str(path.relative_to(folder)), str(len(found)) if found else styled("none", "green"),
                      found[0] if found else "")
    out.print(table)
    for path, found in failing.items():
        out.line(styled(path.relative_to(folder), "bold"))
        for finding in found:
            out.line(f"  {finding}")
    if failing:
        total = sum(len(f) for f in failing.values())
        out.line(styled(f"{total} accessibility finding(s) in {len(failing)} file(s).", "red"))
        return EXIT_FINDINGS
    out.line(styled("No accessibility findings.", "green"))
    return EXIT_OK
