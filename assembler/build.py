"""`assembler build`: from the inputs folder to every output, or to a clear list of what stops it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assembler import __version__
from assembler.build_rules import brand_contrast_errors
from assembler.config import ReportConfig
from assembler.document import agency_sections, build_document
from assembler.errors import InputError
from assembler.outputs import publish, sha256_file, staging_folder, write_json
from assembler.problems import Problem
from assembler.reading_cache import cache_for
from assembler.returns_coverage import RETURNS_DIR, too_few_returns
from assembler.schema import SectionKey, section_title
from assembler.speed import Writing
from assembler.writers.format import BRIEFINGS_DIR, REPORT_NAME, SUMMARY_NAME
from assembler.writer_host import WriterHost

# Imported inside the functions below, on purpose, for start-up speed:
# - the writers (the WRITERS table, the one-pagers) and the checks of what they wrote: the writing tasks run in
#   worker processes (forked from a writer host that has loaded them already, or from this process after the
#   warm-up), and the build process itself need not load reportlab, python-docx and the fonts again;
# - intake and assemble (the readers, lxml, the Markdown and figure parsers): the writer host imports this module
#   for its tasks while the build process reads, and needs none of them.

KINDS = ("report", "summary", "briefings", "web")
MANIFEST = "manifest.json"
WEB_PAGES_STEP = "write and check web pages"


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    left_out: list[Problem] = field(default_factory=list)
    retired: list[Path] = field(default_factory=list)  # old outputs this build replaced without remaking them
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Timer:
    """Times each step into the result and tells the caller (a progress display) when one starts."""

    def __init__(self, result: BuildResult, on_step: Callable[[str], None] | None):
        self.result = result
        self.on_step = on_step

    def __call__(self, step: str):
        timer = self

        class _Step:
            def __enter__(self):
                if timer.on_step:
                    timer.on_step(step)
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.result.timings[step] = time.perf_counter() - self.start

        return _Step()


def build(inputs: Path, out: Path, config: ReportConfig, only: set[str] | None = None, force: bool = False,
          allow_missing: bool = False,
          on_step: Callable[[str], None] | None = None, writer_host: WriterHost | None = None) -> BuildResult:
    """Build the outputs named in `only` (default all). Nothing is written when errors remain, unless forced.
    A writer host the caller started early (speed.start_early) is used, or closed when the partnership is too
    large for one."""
    only = set(only or KINDS)
    result = BuildResult()
    timed = _Timer(result, on_step)
    result.errors += brand_contrast_errors(config, inputs)

    writing = Writing.for_build(len(_return_files(inputs)), writer_host)
    try:
        return _build(inputs, out, config, only, force, timed, result, writing, allow_missing)
    finally:
        writing.close()


def _return_files(inputs: Path) -> list[Path]:
    from assembler.intake import discover

    folder = inputs / RETURNS_DIR
    return discover([folder] if folder.is_dir() else [])


def _build(inputs: Path, out: Path, config: ReportConfig, only: set[str], force: bool, timed: _Timer,
           result: BuildResult, writing: Writing, allow_missing: bool = False) -> BuildResult:
    with staging_folder(out) as staging, writing.stopped_if_abandoned():
        with timed("read returns and chapters"):
            # The partnership's own material is read while worker processes read the returns:
            # the main process would otherwise only wait for them.
            material = []
            cache = cache_for(out)  # what reading gave last time, for what has not changed

            def meanwhile(still_reading):
                from assembler.assemble import read_partnership_material

                def read():
                    return read_partnership_material(inputs, config)

                material.append(cache.material(inputs, config, read) if cache else read())
                writing.while_reading(still_reading)

            intake = _read_returns(inputs, config, staging / ".work" / "images", meanwhile, cache)
            from assembler.assemble import assemble_report

            content = assemble_report(material[0], config, intake.accepted)
        _sort_intake_problems(intake, result, force)
        # Not overridden by --force: publishing a report without its agencies needs its own, deliberate flag.
        shortfall = None if allow_missing or "report" not in only else too_few_returns(intake, config, str(inputs / RETURNS_DIR))
        if shortfall:
            result.errors.append(shortfall)
            return result
        result.errors.extend(content.problems)
        result.warnings.extend(content.warnings)
        if result.errors and not force:
            return result
        report, document = _document_without_faulty_agencies(content.report, config, inputs, content.charts, result)
        if timed.on_step:
            timed.on_step("write and check the " + ", ".join(kind for kind in KINDS if kind in only))
        written: list[Path] = []
        try:
            results = _write_containing_faults(document, report, config, inputs, staging, only, writing, result)
        except InputError as error:  # found only by the writer that needed it (a picture that cannot be read)
            result.errors.append(error.problem)
            return result
        left_out = {s.agency_id for s in content.report.submissions} - {s.agency_id for s in report.submissions}
        intake.accepted = [s for s in intake.accepted if s.agency_id not in left_out]
        web = None
        for name, (outcome, seconds) in results.items():
            result.timings[name] = seconds
            if name == WEB_PAGES_STEP:
                web = outcome
                continue
            paths, errors = outcome
            written += paths
            result.errors += errors
        if web is not None:  # after the others: the site offers their files for download, with their sizes
            with timed("finish web edition"):
                written += _finish_web(web, report, staging, out, result)
        if result.errors and not force:
            return result
        _write_manifest(staging, inputs, config, intake, written, forced_past=result.errors)
        shutil_rmtree(staging / ".work")
        result.outputs, result.retired = publish(staging, out, lambda relative: _owned_output(relative, only))
    return result


# The files and folders in outputs/ each kind of output owns: a file there that the build did not make
# (the briefing of a deleted input) is moved aside. Others (the chase list, templates) are left alone.
def _owned_outputs() -> dict[str, tuple[str, ...]]:
    from assembler.writers import WRITERS

    return {"report": tuple(f"{REPORT_NAME}{w.suffix}" for w in WRITERS.values()),
            "summary": tuple(f"{SUMMARY_NAME}{w.suffix}" for w in WRITERS.values()), "briefings": (BRIEFINGS_DIR,),
            "web": ("web",)}


def _owned_output(relative: Path, only: set[str]) -> bool:
    owned_outputs = _owned_outputs()
    owned = {MANIFEST} | {name for kind in only for name in owned_outputs[kind]}
    return relative.parts[0] in owned


# --- the last safety net: one agency's section that a writer cannot lay out is left out, not the report ----------
# The firewall (readers/printable.py) should let nothing through that a writer cannot print; should a writer
# still fail, the build finds the agencies whose sections fail alone, leaves them out naming agency and file,
# and builds the rest. A failure no agency's section causes alone is the assembler's, and is raised.

MAX_CONTAINED = 3  # rounds of leaving sections out before a fault is taken to be the assembler's


def _document_without_faulty_agencies(report, config: ReportConfig, inputs: Path, charts, result: BuildResult):
    """(report, document); agencies whose sections cannot even be put in the document model are left out."""
    try:
        return report, build_document(report, config, inputs, charts)
    except Exception as error:
        faulty = _faulty_submissions(report.submissions, lambda some: agency_sections(some, config))
        if not faulty:
            raise
        report = _leave_out(report, faulty, error, result)
        return report, build_document(report, config, inputs, charts)


def _write_containing_faults(document, report, config: ReportConfig, inputs: Path, staging: Path, only: set[str],
                             writing: Writing, result: BuildResult):
    tasks = _writing_tasks(document, report, config, inputs, staging, only)
    try:
        return writing.run(tasks)
    except Exception as first_error:
        error = first_error
    for _ in range(MAX_CONTAINED):
        faulty = _faulty_submissions(report.submissions, lambda some: _write_alone(document, some, config, staging))
        if not faulty:
            raise error
        report = _leave_out(report, faulty, error, result)
        document = build_document(report, config, inputs, document.charts)
        try:
            return writing.run(_writing_tasks(document, report, config, inputs, staging, only))
        except Exception as again:
            error = again
    raise error


def _faulty_submissions(submissions: list, fails_with: Callable[[list], object]) -> list:
    """The submissions that make `fails_with` raise on their own, found by halving (a handful of tries
    for one bad return among hundreds). Empty when it fails only on all of them together, or not at all."""
    def fails(some: list) -> bool:
        try:
            fails_with(some)
        except Exception:
            return True
        return False

    def search(some: list) -> list:
        if not some or not fails(some):
            return []
        if len(some) == 1:
            return some
        middle = len(some) // 2
        return search(some[:middle]) + search(some[middle:])

    return search(list(submissions))


def _write_alone(document, submissions: list, config: ReportConfig, staging: Path) -> None:
    """Every report writer on a document holding only these agencies' sections (and their case studies)."""
    from assembler.writers import WRITERS

    alone = dataclasses.replace(document, sections=agency_sections(submissions, config))
    with tempfile.TemporaryDirectory(prefix="probe-", dir=staging) as work:
        for writer in WRITERS.values():
            writer.write_report(alone, Path(work) / f"probe{writer.suffix}")


def _leave_out(report, faulty: list, error: Exception, result: BuildResult):
    detail = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}" if str(error).strip() else type(error).__name__
    for submission in faulty:
        source = submission.source
        where = source.path + (f" (attachment {source.attachment})" if source.attachment else "")
        result.left_out.append(Problem(
            code="section_not_laid_out", agency=submission.agency_name, agency_id=submission.agency_id, file=where,
            message=f"the report could not be laid out with this return's section ({detail}), so the section is left out",
            fix="ask the agency to save the return again (pictures pasted as PNG, no unusual objects) and send it; "
            "report it to the maintainers with the return attached"))
    left_out = {id(s) for s in faulty}
    return report.model_copy(update={"submissions": [s for s in report.submissions if id(s) not in left_out]})


def _writing_tasks(document, report, config: ReportConfig, inputs: Path, staging: Path, only: set[str]) -> list:
    """Tasks that write the outputs in every format of writers.WRITERS and check that nothing an agency wrote
    was lost on the way, and that each file is accessible: the report's checks are follow-up tasks, run as
    soon as its file is written, side by side on whichever workers are free then."""
    from assembler.writers import WRITERS

    from assembler.parallel import Gate

    first_title = section_title(SectionKey.ABOUT, config.activity_year, config.plan_year)
    tasks, at_gates = [], []
    if "report" in only:
        for name, writer in WRITERS.items():
            path, step = staging / f"{REPORT_NAME}{writer.suffix}", f"write report {name.upper()}"
            waits_for = writer.report_waits_for()  # a format that takes something from another's report
            # One that does starts beside it and waits for it at a gate, once it has done what it can without it.
            # Such a report and its checks go after every other task: the worker that is not laying out the
            # PDF writes the one-pagers and the web pages first, and then the Word report's blocks.
            report_tasks = at_gates if waits_for else tasks
            if waits_for:
                report_tasks.append((step, _write_report, (name, document, path), Gate(f"write report {waits_for.upper()}")))
            else:
                report_tasks.append((step, _write_report, (name, document, path)))
            # The report's text is read once, for the words check and (the PDF's) for the summary's page numbers.
            read, text = f"read report {name.upper()} text", _report_text_file(staging, name)
            report_tasks.append((read, _read_report_text, (name, path, text), step))
            report_tasks.append((f"check report {name.upper()} words", _check_report_words, (name, text, path, report.submissions, first_title), read))
            report_tasks.append((f"check report {name.upper()} structure", _check_accessibility, (name, path), step))
    # One task per one-pager, so the two workers share them out evenly beside the report.
    if "summary" in only:  # after the report PDF's text, when there is one: its tiles name their pages in it
        after = ("read report PDF text",) if "report" in only and "pdf" in WRITERS else ()
        report_text = _report_text_file(staging, "pdf") if after else None
        tasks.append(("write summary", _write_summary, (report, config, inputs, staging, report_text), *after))
    if "briefings" in only:
        from assembler.document.briefing import plan_briefing

        for briefing in report.briefings:
            plan = plan_briefing(briefing, config, inputs, document.charts)
            tasks.append((f"write briefing {briefing.slug}", _write_briefing, (plan, staging / BRIEFINGS_DIR)))
    if "web" in only:  # every page beside the other writers; the links to their files are added after them
        tasks.append((WEB_PAGES_STEP, _write_web_pages, (report, document, config, inputs, staging)))
    return tasks + at_gates


def _write_report(name: str, document, path: Path, *ready):
    """`ready`: for a report written at a gate (parallel.Gate), what says the report it waits for is written."""
    from assembler.writers import WRITERS

    WRITERS[name].write_report(document, path, *ready)
    return [path], []


def _report_text_file(staging: Path, name: str) -> Path:
    return staging / ".work" / f"{REPORT_NAME}.{name}.text.json"


def _read_report_text(name: str, path: Path, text: Path):
    """The report's text as a reader gets it, page by page, kept in `text` for the tasks that read it: each
    PDF's text was extracted twice (PDFium, half a second for 460 pages), once by each."""
    from assembler.writers import WRITERS

    text.parent.mkdir(parents=True, exist_ok=True)
    # JSON keeps any string exactly, lone surrogates included (escaped as \udXXX)
    text.write_text(json.dumps(WRITERS[name].read_text(path)), encoding="ascii")
    return [], []


def _report_pages(text: Path) -> list[str]:
    return json.loads(text.read_text(encoding="ascii"))


def _check_report_words(name: str, text: Path, path: Path, submissions, first_title: str):
    """Nothing lost, and every character reads back as itself: both from the file's text, read once."""
    from assembler.checks.nothing_lost import expectations, find_losses
    from assembler.writers import WRITERS

    pages = _report_pages(text)
    losses = find_losses(path.name, "\n".join(pages), expectations(submissions, first_title))
    return [], _loss_errors(losses) + _finding_errors(path, WRITERS[name].text_problems(pages))


def _check_accessibility(name: str, path: Path):
    from assembler.writers import WRITERS

    return [], _finding_errors(path, WRITERS[name].check_accessibility(path, False))


def _write_summary(report, config: ReportConfig, inputs: Path, staging: Path, report_text: Path | None = None):
    """The summary in every format, checked: a summary that cannot be made (too long for its page, a key figure
    that cannot be computed) stops only itself. With the report PDF's text (_read_report_text), each tile names
    its page in it."""
    from assembler.checks.nothing_lost import summary_expectations
    from assembler.document.summary import summary_content, with_pages
    from assembler.writers.one_pagers import write_summary

    try:
        content = summary_content(report, config, inputs)
        if report_text is not None and report_text.is_file():
            content = with_pages(content, report, _report_pages(report_text))
        written = write_summary(content, staging)
    except InputError as error:
        return [], [error.problem]
    return written, _one_pager_errors(written, summary_expectations(content))


def _write_web_pages(report, document, config: ReportConfig, inputs: Path, staging: Path):
    """The web edition's pages, checked (build_step.WebPages), or the problem that stopped them."""
    from assembler.writers.html.build_step import write_and_check_pages

    try:
        return write_and_check_pages(report, document, config, inputs, staging)
    except InputError as error:  # a picture only this writer needed (--only web) that cannot be read
        return error.problem


def _finish_web(web, report, staging: Path, out: Path, result: BuildResult) -> list[Path]:
    """The web edition finished once the files it offers are written (or found from an earlier build in `out`)."""
    from assembler.writers.html.build_step import finish_and_check

    if isinstance(web, Problem):
        result.errors.append(web)
        return []
    written, problems, losses, findings = finish_and_check(web, report, staging, out)
    reported = {str(error) for error in result.errors}  # the summary's own writer may have said it already
    result.errors += [problem for problem in problems if str(problem) not in reported] + _loss_errors(losses)
    result.errors += [error for path, found in findings.items() for error in _finding_errors(path, found)]
    return written


def _write_briefing(plan, folder: Path):
    from assembler.checks.nothing_lost import briefing_expectations
    from assembler.writers.one_pagers import write_briefing

    try:
        written = write_briefing(plan, folder)
    except InputError as error:  # too long for its page: it stops only itself
        return [], [error.problem]
    return written, _one_pager_errors(written, briefing_expectations(plan))


def _one_pager_errors(paths: list[Path], expected) -> list[Problem]:
    """What a one-pager lost of its plan's words, and what a screen-reader user would trip over in it."""
    from assembler.checks.nothing_lost import find_losses, writer_for

    errors = []
    for path in paths:
        writer = writer_for(path)
        pages = writer.read_text(path)
        errors += _loss_errors(find_losses(path.name, "\n".join(pages), expected))
        errors += _finding_errors(path, writer.check_accessibility(path, False) + writer.text_problems(pages))
    return errors


def _finding_errors(path: Path, findings: list[str]) -> list[Problem]:
    fix = "a fault in the assembler or in the brand settings: run 'assembler check-outputs' on a forced build for details"
    return [Problem(code="output_accessibility", file=path.name, field="accessibility", message=finding, fix=fix)
            for finding in findings]


def _loss_errors(losses) -> list[Problem]:
    fix = "this is a fault in the assembler, not in the return: report it with the return attached"
    return [Problem(code="output_lost_text", file=loss.output, agency=loss.agency, message=str(loss), fix=fix) for loss in losses]


def _read_returns(inputs: Path, config: ReportConfig, image_dir: Path, meanwhile, cache):
    from assembler.intake import read_returns

    folder = inputs / RETURNS_DIR
    return read_returns([folder] if folder.is_dir() else [], config, image_dir, meanwhile, cache)


def _sort_intake_problems(intake, result: BuildResult, force: bool) -> None:
    """Errors in returns that would be printed block the build; files that cannot be placed are reported as left out."""
    for submission in intake.accepted:
        for problem in submission.problems:
            (result.errors if problem.is_error else result.warnings).append(problem)
    for submission in intake.unknown:
        result.left_out.append(Problem(code="unknown_agency", agency_id=submission.agency_id, file=submission.source.path,
                                       message=f"from '{submission.agency_name}', which is not in the agency registry",
                                       fix="add the agency to report.yaml to include it"))
    result.left_out += intake.rejected
    for agency in intake.missing:
        result.left_out.append(Problem(code="missing_return", agency_id=agency.id, file=RETURNS_DIR,
                                       message=f"no usable return from {agency.name}",
                                       fix=f"chase {agency.email} (see outputs/chase-list.xlsx after 'assembler check')"))


def _write_manifest(staging: Path, inputs: Path, config: ReportConfig, intake, written: list[Path],
                    forced_past: list[Problem] = ()) -> None:
    """Every input used and every output made, with sha256: the audit trail of the build."""
    # A link is not followed (the screen refused it): its target is not an input, and hashing it would read it.
    used = sorted({p for p in inputs.rglob("*")
                   if p.is_file() and not p.is_symlink() and not p.name.startswith((".", "~$"))})
    write_json(staging / MANIFEST, {
        "assembler_version": __version__,
        # Fixed from the inputs, so the same inputs give the same manifest.
        "built_for": config.publication_date.isoformat(),
        "partnership": config.partnership.name,
        "period": config.period,
        "inputs": [{"path": str(p.relative_to(inputs)), "sha256": sha256_file(p)} for p in used],
        # Relative to the inputs folder, like "inputs": the manifest must not depend on how --inputs was spelled.
        "returns_accepted": _accepted_files(intake, inputs) if intake else [],
        "outputs": [{"path": str(p.relative_to(staging)), "sha256": sha256_file(p)} for p in sorted(written)],
        # A build made with --force despite errors says so, and which: the board may be reading it.
        **({"forced_despite_errors": [str(error) for error in forced_past]} if forced_past else {}),
    })


def _accepted_files(intake, inputs: Path) -> list[str]:
    """Every file an accepted return was made from: a return merged from a narrative document and a figures
    workbook names both (each part's own file is in section_sources), not only the newer."""
    files = {source.path for s in intake.accepted for source in (s.source, *s.section_sources.values())}
    return sorted(str(Path(path).relative_to(inputs)) for path in files)


def shutil_rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
