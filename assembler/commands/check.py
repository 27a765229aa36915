"""`assembler check`: read every return, list what is wrong with each, and write the chase list."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from assembler.commands.check_sources import print_notes, print_sources, superseded_reason
from assembler.commands.common import DEFAULT_OUTPUTS, add_inputs_option, load_config_or_report
from assembler.config import ReportConfig
from assembler.console import out, print_problem_line, print_problem_row, problems_json, styled
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK
from assembler.intake_types import Intake
from assembler.loading import modules_loading
from assembler.problems import Problem
from assembler.schema import SectionKey, Submission, plain_text

NAME = "check"
HELP = "read the agencies' returns, list every problem with the fix, and write the chase list"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="returns or folders of returns, searched recursively (default: <inputs>/returns)")
    add_inputs_option(parser)
    parser.add_argument("--json", type=Path, metavar="FILE", dest="json_file",
                        help="also write the normalised returns in the common schema to FILE ('-' for standard output)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also list the warnings, the superseded files, notes and where each return came from")
    parser.add_argument("--allow-missing", action="store_true",
                        help="agencies that have sent nothing are listed and chased but do not make the exit code 1 "
                             "(as 'build --allow-missing' builds without them)")
    parser.add_argument("--chase-out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="where to write chase-list.xlsx and chase/<agency>.txt and .eml (default: outputs)")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs, as_json=str(args.json_file) == "-")
    if config is None:
        return EXIT_INPUT_ERRORS
    with modules_loading():  # heavy imports only when the command runs, all at once (loading.py says why)
        from assembler.build_rules import BuildRules
        from assembler.chase import chase_list, chase_notes, write_chase_outputs
        from assembler.intake import read_returns
        from assembler.reading_cache import cache_for
        from assembler.returns_coverage import RETURNS_DIR, too_few_returns
        # What only the partnership's material and the firewall need (assemble, summary, printable) is loaded by
        # BuildRules.meanwhile, while the reading workers, forked without it, read.

    paths = args.paths or [args.inputs / RETURNS_DIR]
    for path in paths:
        if not path.exists():
            out.line(styled(f"{path} does not exist.", "red"), " Give a return file or a folder of returns.")
            return EXIT_INPUT_ERRORS
    to_stdout = args.json_file is not None and str(args.json_file) == "-"
    with tempfile.TemporaryDirectory(prefix="assembler-check-") as scratch:
        image_dir = _image_dir(args.json_file, Path(scratch), to_stdout)
        cache = cache_for(args.chase_out)  # what reading gave last time, for what has not changed
        rules = BuildRules(args.inputs, config, cache)  # what the build would stop on, found now
        intake = read_returns(paths, config, image_dir, rules.meanwhile, cache)
        stoppers = rules.apply(intake)
        if not args.paths:  # the whole returns folder: the build would stop on too few usable returns
            shortfall = too_few_returns(intake, config, str(paths[0]))
            stoppers += [shortfall] if shortfall else []
        if args.json_file is not None:
            data = export(intake, config, stoppers, rules.warnings)
            text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            if to_stdout:
                sys.stdout.write(text)
            else:
                args.json_file.parent.mkdir(parents=True, exist_ok=True)
                args.json_file.write_text(text, encoding="utf-8")
    if not to_stdout:
        print_report(intake, args.verbose)
        print_stoppers(stoppers)
        print_partnership_warnings(rules.warnings)
    entries = chase_list(intake, config)
    written = write_chase_outputs(entries, args.chase_out, config, chase_notes(intake, config))
    if not to_stdout:
        out.line(f"Chase list: {written[0]} ({len(entries)} agencies to chase, each with an e-mail (.txt and .eml draft) "
                 f"in {args.chase_out / 'chase'})")
        if args.json_file is not None:
            out.line(f"Returns exported to {args.json_file}")
    # A missing agency is something to act on (chase it) once the whole returns folder is checked.
    missing = bool(intake.missing) and not args.paths and not args.allow_missing
    return EXIT_INPUT_ERRORS if has_blocking_problems(intake) or stoppers or missing else EXIT_OK


def _image_dir(json_file: Path | None, scratch: Path, to_stdout: bool) -> Path:
    """Pictures from the returns go beside the JSON that refers to them; otherwise they are thrown away."""
    if json_file is None or to_stdout:
        return scratch / "images"
    return json_file.parent / f"{json_file.stem}-images"


def has_blocking_problems(intake: Intake) -> bool:
    """Exit 1: an error on a return that would be used, or a file that could not be placed at all."""
    return any(s.has_errors for s in intake.accepted) or bool(intake.rejected) or bool(intake.unknown)


def print_report(intake: Intake, verbose: bool = False) -> None:
    """One line per problem, per file and per agency, on a terminal (severity in colour) and in a log alike:
    easy to grep, and a line the officer can copy into an e-mail. What needs the officer's action (errors,
    files that could not be used or placed, agencies still missing) is always listed; warnings, superseded
    files, notes and where each return came from only with `verbose`, and counted otherwise."""
    problems = list(intake.problems())
    listed = problems if verbose else [p for p in problems if p.severity == "error"]
    # The counts agree with the exit code: files that could not be used or placed are problems too.
    unplaced = len(intake.rejected) + len(intake.unknown)
    if problems or unplaced:
        out.line(styled(f"Problems in the returns ({_count(problems)}; {len(intake.rejected)} files not usable, "
                        f"{len(intake.unknown)} from agencies not in report.yaml)", "bold"))
    else:
        out.line(styled("No problems in the returns that will be used.", "green"))
    for p in listed:
        print_problem_row(p.severity, p)
    for s in intake.superseded if verbose else []:
        own = [p for p in s.problems if p.field != "return"]
        detail = "; ".join(f"{p.field}: {p.message}" for p in own) or "no problems of its own"
        out.line(f"  superseded (not used): {s.agency_name} | {_short(s.source.path)} | {superseded_reason(s)} | {detail}")
    for r in intake.rejected:
        print_problem_row("rejected", r, who=r.agency_id or "unknown agency")
    for s in intake.unknown:
        print_problem_row("unknown agency", _unknown_problem(s), who=s.agency_name)
    if verbose:
        print_notes(intake)
        print_sources(intake)
    if intake.missing:
        out.line(styled(f"No return yet from {len(intake.missing)} agencies: ", "bold"), ", ".join(a.name for a in intake.missing))
    out.line(f"{len(intake.accepted)} returns accepted, {len(intake.superseded)} superseded, "
             f"{len(intake.rejected)} rejected, {len(intake.unknown)} from unknown agencies, {len(intake.missing)} missing.")
    unlisted = len(problems) - len(listed)
    if not verbose and (unlisted or intake.superseded or intake.notes):
        out.line(f"Not listed: {unlisted} warning{'s' if unlisted != 1 else ''}, the superseded files and where each "
                 "return came from: 'assembler check --verbose' lists them.")


def print_stoppers(stoppers: list[Problem]) -> None:
    """Problems in the partnership's own files (report.yaml, chapters, data, briefings) that would stop the build."""
    if stoppers:
        out.line(styled(f"Problems in the partnership's own files that would stop the build ({len(stoppers)})", "bold"))
    for error in stoppers:
        print_problem_line(error)


def print_partnership_warnings(warnings: list[Problem]) -> None:
    """What the build prints about the partnership's own files and publishes anyway (abbreviations not defined)."""
    if warnings:
        out.line(styled(f"Warnings about the partnership's own files ({len(warnings)}); the build prints them and goes on", "bold"))
    for warning in warnings:
        print_problem_line(warning)


def _unknown_problem(submission: Submission) -> Problem:
    """The unknown_agency problem (what is not clear, and the exact line to add under assign: or agencies:),
    shown against the file the officer sees in returns/."""
    found = next((p for p in submission.problems if p.code == "unknown_agency"), None) or Problem(
        code="unknown_agency", message="not in report.yaml",
        fix="add the agency to report.yaml, or ask the sender which agency it is")
    return found.with_(field="not in report.yaml", file=submission.source.path)


def _count(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    return f"{errors} errors, {len(problems) - errors} warnings"


def _short(path: str | None) -> str:
    return Path(path).name if path else ""


def export(intake: Intake, config: ReportConfig, stoppers: list[Problem] = (), warnings: list[Problem] = ()) -> dict:
    """The normalised returns in the common schema, with a plain-text rendering of each section."""
    return {
        "partnership": config.partnership.name,
        "period": config.period,
        "submissions": [_submission(s, "accepted") for s in intake.accepted],
        "superseded": [_submission(s, "superseded") for s in intake.superseded],
        "unknown": [_submission(s, "unknown") for s in intake.unknown],
        "rejected": problems_json(intake.rejected),
        "missing": [{"agency_id": a.id, "agency_name": a.name, "email": a.email} for a in intake.missing],
        "notes": problems_json(intake.notes),
        # What in the partnership's own files would stop the build.
        "partnership_problems": problems_json(stoppers),
        "partnership_warnings": problems_json(warnings),
    }


def _submission(submission: Submission, status: str) -> dict:
    data = submission.model_dump(mode="json")
    sections = {key.value: {"blocks": data.pop(key.value), "text": plain_text(submission.section(key))} for key in SectionKey}
    return {**data, "sections": sections, "status": status}
