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
from assembler.console import out, styled
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK, InputError
from assembler.intake_types import Intake
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
    parser.add_argument("--chase-out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="where to write chase-list.xlsx and chase/<agency>.txt and .eml (default: outputs)")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_report(args.inputs, as_json=str(args.json_file) == "-")
    if config is None:
        return EXIT_INPUT_ERRORS
    from assembler.build import RETURNS_DIR  # heavy imports only when the command runs
    from assembler.build_rules import BuildRules
    from assembler.chase import chase_list, chase_notes, write_chase_outputs
    from assembler.intake import read_returns
    from assembler.reading_cache import cache_for
    from assembler.returns_coverage import too_few_returns

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
            data = export(intake, config, stoppers)
            text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            if to_stdout:
                sys.stdout.write(text)
            else:
                args.json_file.parent.mkdir(parents=True, exist_ok=True)
                args.json_file.write_text(text, encoding="utf-8")
    if not to_stdout:
        print_report(intake, args.verbose)
        print_stoppers(stoppers)
    entries = chase_list(intake, config)
    written = write_chase_outputs(entries, args.chase_out, config, chase_notes(intake, config))
    if not to_stdout:
        out.line(f"Chase list: {written[0]} ({len(entries)} agencies to chase, each with an e-mail (.txt and .eml draft) "
                 f"in {args.chase_out / 'chase'})")
        if args.json_file is not None:
            out.line(f"Returns exported to {args.json_file}")
    return EXIT_INPUT_ERRORS if has_blocking_problems(intake) or stoppers else EXIT_OK


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
        out.line("  ", styled(p.severity, "red" if p.severity == "error" else "yellow"),
                 f": {p.agency} | {_short(p.file)} | {p.field}: {p.message}. Fix: {p.hint}")
    for s in intake.superseded if verbose else []:
        own = [p for p in s.problems if p.field != "return"]
        detail = "; ".join(f"{p.field}: {p.message}" for p in own) or "no problems of its own"
        out.line(f"  superseded (not used): {s.agency_name} | {_short(s.source.path)} | {superseded_reason(s)} | {detail}")
    for r in intake.rejected:
        out.line("  ", styled("rejected", "red"), f": {r.agency_id or 'unknown agency'} | {_short(str(r.path))} | {r.reason} Fix: {r.fix}")
    for s in intake.unknown:
        out.line("  ", styled("unknown agency", "red"), f": {s.agency_name} | {_short(s.source.path)} | not in report.yaml: "
                 f"{_unknown_what(s)}. Fix: {_unknown_fix(s)}")
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


def print_stoppers(stoppers: list[InputError]) -> None:
    """Problems in the partnership's own files (report.yaml, chapters, data, briefings) that would stop the build."""
    if stoppers:
        out.line(styled(f"Problems in the partnership's own files that would stop the build ({len(stoppers)})", "bold"))
    for error in stoppers:
        out.line("  ", styled("error", "red"), f": {error}")


def _unknown_what(submission: Submission) -> str:
    return next((p.message for p in submission.problems if p.field == "agency"), "not in report.yaml")


def _unknown_fix(submission: Submission) -> str:
    """The exact line to add under assign: (or agencies:), from the unknown_agency problem."""
    return next((p.hint for p in submission.problems if p.field == "agency"),
                "add the agency to report.yaml, or ask the sender which agency it is")


def _count(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    return f"{errors} errors, {len(problems) - errors} warnings"


def _short(path: str | None) -> str:
    return Path(path).name if path else ""


def export(intake: Intake, config: ReportConfig, stoppers: list[InputError] = ()) -> dict:
    """The normalised returns in the common schema, with a plain-text rendering of each section."""
    return {
        "partnership": config.partnership.name,
        "period": config.period,
        "submissions": [_submission(s, "accepted") for s in intake.accepted],
        "superseded": [_submission(s, "superseded") for s in intake.superseded],
        "unknown": [_submission(s, "unknown") for s in intake.unknown],
        "rejected": [{"path": str(r.path), "reason": r.reason, "fix": r.fix, "agency_id": r.agency_id} for r in intake.rejected],
        "missing": [{"agency_id": a.id, "agency_name": a.name, "email": a.email} for a in intake.missing],
        "notes": [{"agency_id": n.agency_id, "file": n.file, "message": n.message} for n in intake.notes],
        # What in the partnership's own files would stop the build.
        "partnership_problems": [{"file": e.file, "field": e.field, "message": e.message, "fix": e.fix} for e in stoppers],
    }


def _submission(submission: Submission, status: str) -> dict:
    data = submission.model_dump(mode="json")
    sections = {key.value: {"blocks": data.pop(key.value), "text": plain_text(submission.section(key))} for key in SectionKey}
    return {**data, "sections": sections, "status": status}
