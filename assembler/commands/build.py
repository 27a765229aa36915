"""`assembler build`: the annual report, summary and briefings from the inputs folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from assembler.build import KINDS, build
from assembler.commands.common import add_inputs_option, add_outputs_option, load_config_or_report
from assembler.console import err, out, print_problems
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK
from assembler.outputs import PREVIOUS_DIR, OutputsBusy

NAME = "build"
HELP = "build the annual report (DOCX + PDF), the one-page summary, the 7-minute briefings and the web edition"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    add_outputs_option(parser)
    parser.add_argument("--only", choices=KINDS, action="append", help="build only this kind (repeatable)")
    parser.add_argument("--force", action="store_true", help="build even though returns have errors (they are printed as they are)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="build even though fewer agencies sent a usable return than rules.min_returns asks for")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also list every warning, everything left out of the report and every file written")
    parser.add_argument("--timings", action="store_true", help="also print how long each step took (steps in parallel overlap)")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = load_config_or_report(args.inputs)
    if config is None:
        return EXIT_INPUT_ERRORS
    try:
        with err.status("Building…") as status:
            result = build(args.inputs, args.out, config, only=set(args.only or KINDS), force=args.force,
                           allow_missing=args.allow_missing, on_step=lambda step: status.update(f"Building: {step}…"), writer_host=args.writer_host)
    except OutputsBusy as busy:
        err.print(str(busy), markup=False)
        return EXIT_INPUT_ERRORS
    if args.verbose and result.left_out:
        print_problems(result.left_out, title="Left out of the report (not stopping the build)")
    if args.verbose and result.warnings:
        print_problems(result.warnings, title="Warnings (printed as they are)")
    if result.errors:
        # --force builds despite errors in returns, but some errors stop even a forced build (too few returns).
        written = bool(result.outputs)
        print_problems(result.errors, title="Errors: " + ("built anyway (--force)" if written else "nothing was written"))
        if not written:
            out.print("Fix the errors above (or run 'assembler check' for the chase list), then build again.")
            return EXIT_INPUT_ERRORS
    if args.verbose:
        for path in result.outputs:
            out.print(f"wrote {path}", markup=False)
    out.print(f"Built {len(result.outputs)} files into {args.out} in {time.perf_counter() - started:.1f} s: "
              f"{describe_outputs(result.outputs, args.out)}.", markup=False, soft_wrap=True)  # one line in a log
    if result.retired:
        out.print(f"Moved {len(result.retired)} old output{'s' if len(result.retired) != 1 else ''} this build did not make "
                  f"to {args.out / PREVIOUS_DIR}: " + ", ".join(p.name for p in result.retired), markup=False, soft_wrap=True)
    if not args.verbose and (result.left_out or result.warnings):
        out.print(f"{_count(result.warnings, 'warning')}, and {len(result.left_out)} left out of the report (files "
                  "not used, agencies that sent nothing): 'assembler build --verbose' lists them; 'assembler check' "
                  "lists them with the chase list.", markup=False, soft_wrap=True)
    if args.timings:
        out.print("Steps: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result.timings.items()), soft_wrap=True)
    return EXIT_OK


def describe_outputs(paths: list[Path], out: Path) -> str:
    """'annual-report.docx, annual-report.pdf, summary.docx, summary.pdf, 3 briefings (DOCX and PDF),
    manifest.json': the set at a glance, however many briefings there are."""
    names = sorted((str(p.relative_to(out)) for p in paths), key=lambda n: (n == "manifest.json", n))
    briefings = sorted({Path(n).stem for n in names if n.startswith("briefings/")})
    pages = [n for n in names if n.startswith("web/") and n.endswith(".html")]
    shown = [n for n in names if not n.startswith(("briefings/", "web/"))]
    if briefings:
        formats = sorted({Path(n).suffix.lstrip(".").upper() for n in names if n.startswith("briefings/")})
        listed = formats[0] if len(formats) == 1 else ", ".join(formats[:-1]) + " and " + formats[-1]
        shown.insert(len([n for n in shown if n != "manifest.json"]),
                     f"{len(briefings)} briefing{'s' if len(briefings) != 1 else ''} ({listed})")
    if pages:
        shown.insert(len([n for n in shown if n != "manifest.json"]), f"the web edition ({len(pages)} pages in web/)")
    return ", ".join(shown) or "nothing"


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"
