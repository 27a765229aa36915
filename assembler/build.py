"""`assembler build`: from the inputs folder to every output, or to a clear list of what stops it."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assembler import __version__
from assembler.build_rules import brand_contrast_errors
from assembler.config import ReportConfig
from assembler.document import build_document
from assembler.errors import InputError
from assembler.outputs import publish, sha256_file, staging_folder, write_json
from assembler.parallel import run_parallel
from assembler.returns_coverage import too_few_returns
from assembler.schema import SectionKey, section_title
from assembler.warmup import REPORT_PDF_STEPS, warm_up_writers
from assembler.writer_host import HOST_UP_TO_RETURNS, WriterHost

RETURNS_DIR = "returns"
KINDS = ("report", "summary", "briefings", "web")
REPORT_DOCX = "annual-report.docx"
REPORT_PDF = "annual-report.pdf"
MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    left_out: list[InputError] = field(default_factory=list)
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
    A writer host the caller started early is used, or closed when the partnership is too large for one."""
    only = set(only or KINDS)
    result = BuildResult()
    timed = _Timer(result, on_step)
    result.errors += brand_contrast_errors(config, inputs)

    host = _writer_host(inputs, writer_host)
    try:
        return _build(inputs, out, config, only, force, timed, result, host, allow_missing)
    finally:
        if host:
            host.close()


def _writer_host(inputs: Path, started: WriterHost | None = None) -> WriterHost | None:
    """A process that loads the writers while this one reads (see writer_host), for a small partnership."""
    from assembler.intake import discover

    folder = inputs / RETURNS_DIR
    if len(discover([folder] if folder.is_dir() else [])) > HOST_UP_TO_RETURNS:
        if started:
            started.close()
        return None
    return started or WriterHost.start()


def _build(inputs: Path, out: Path, config: ReportConfig, only: set[str], force: bool, timed: _Timer,
           result: BuildResult, host, allow_missing: bool = False) -> BuildResult:
    with staging_folder(out) as staging, _writers_stop_if_abandoned(host):
        with timed("read returns and chapters"):
            # The partnership's own material is read while worker processes read the returns:
            # the main process would otherwise only wait for them.
            material = []

            def meanwhile(still_reading):
                from assembler.assemble import read_partnership_material

                material.append(read_partnership_material(inputs, config))
                if not host:  # else the host is loading the writers already
                    warm_up_writers(still_reading, REPORT_PDF_STEPS)

            intake = _read_returns(inputs, config, staging / ".work" / "images", meanwhile)
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
            results = _write_containing_faults(document, report, config, inputs, staging, only, host, result)
        except InputError as error:  # found only by the writer that needed it (a picture that cannot be read)
            result.errors.append(error)
            return result
        left_out = {s.agency_id for s in content.report.submissions} - {s.agency_id for s in report.submissions}
        intake.accepted = [s for s in intake.accepted if s.agency_id not in left_out]
        for name, ((paths, errors), seconds) in results.items():
            result.timings[name] = seconds
            written += paths
            result.errors += errors
        if "web" in only:  # after the others: the site offers their files for download, with their sizes
            with timed("write and check web edition"):
                written += _write_web(document, report, config, inputs, staging, out, result)
        if result.errors and not force:
            return result
        _write_manifest(staging, inputs, config, intake, written, forced_past=result.errors)
        shutil_rmtree(staging / ".work")
        result.outputs, result.retired = publish(staging, out, lambda relative: _owned_output(relative, only))
    return result


# The files and folders in outputs/ each kind of output owns: a file there that the build did not make
# (the briefing of a deleted input) is moved aside. Others (the chase list, templates) are left alone.
OWNED_OUTPUTS = {"report": (REPORT_DOCX, REPORT_PDF), "summary": ("summary.docx", "summary.pdf"), "briefings": ("briefings",),
                 "web": ("web",)}


def _owned_output(relative: Path, only: set[str]) -> bool:
    owned = {MANIFEST} | {name for kind in only for name in OWNED_OUTPUTS[kind]}
    return relative.parts[0] in owned


@contextmanager
def _writers_stop_if_abandoned(host):
    """A build stopped part-way (SIGTERM, Ctrl-C) ends its writer host before the staging folder is removed:
    a host left to finish would write into the folder again after it was cleared."""
    try:
        yield
    except BaseException:
        if host:
            host.close(abandon=True)
        raise

# --- the last safety net: one agency's section that a writer cannot lay out is left out, not the report ----------
# The firewall (readers/printable.py) should let nothing through that a writer cannot print; should a writer
# still fail, the build finds the agencies whose sections fail alone, leaves them out naming agency and file,
# and builds the rest. A failure no agency's section causes alone is the assembler's, and is raised.

MAX_CONTAINED = 3  # rounds of leaving sections out before a fault is taken to be the assembler's


def _document_without_faulty_agencies(report, config: ReportConfig, inputs: Path, charts, result: BuildResult):
    """(report, document); agencies whose sections cannot even be put in the document model are left out."""
    from assembler.document import agency_sections

    try:
        return report, build_document(report, config, inputs, charts)
    except Exception as error:
        faulty = _faulty_submissions(report.submissions, lambda some: agency_sections(some, config))
        if not faulty:
            raise
        report = _leave_out(report, faulty, error, result)
        return report, build_document(report, config, inputs, charts)


def _write_containing_faults(document, report, config: ReportConfig, inputs: Path, staging: Path, only: set[str],
                             host, result: BuildResult):
    tasks = _writing_tasks(document, report, config, inputs, staging, only)
    try:
        return (host.run(tasks) if host else None) or run_parallel(tasks)
    except Exception as first_error:
        error = first_error
    for _ in range(MAX_CONTAINED):
        faulty = _faulty_submissions(report.submissions, lambda some: _write_alone(document, some, config, staging))
        if not faulty:
            raise error
        report = _leave_out(report, faulty, error, result)
        document = build_document(report, config, inputs, document.charts)
        try:
            return run_parallel(_writing_tasks(document, report, config, inputs, staging, only))
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
    """Both report writers on a document holding only these agencies' sections (and their case studies)."""
    import dataclasses
    import tempfile

    from assembler.document import agency_sections
    from assembler.writers.docx.report import write_docx_report
    from assembler.writers.pdf.report import write_pdf_report

    alone = dataclasses.replace(document, sections=agency_sections(submissions, config))
    with tempfile.TemporaryDirectory(prefix="probe-", dir=staging) as work:
        write_pdf_report(alone, Path(work) / "probe.pdf")
        write_docx_report(alone, Path(work) / "probe.docx")


def _leave_out(report, faulty: list, error: Exception, result: BuildResult):
    detail = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}" if str(error).strip() else type(error).__name__
    for submission in faulty:
        source = submission.source
        where = source.path + (f" (attachment {source.attachment})" if source.attachment else "")
        result.left_out.append(InputError(
            where, f"the report could not be laid out with this return's section ({detail}), so the section is left out",
            "ask the agency to save the return again (pictures pasted as PNG, no unusual objects) and send it; "
            "report it to the maintainers with the return attached", field=submission.agency_name))
    left_out = {id(s) for s in faulty}
    return report.model_copy(update={"submissions": [s for s in report.submissions if id(s) not in left_out]})


def _writing_tasks(document, report, config: ReportConfig, inputs: Path, staging: Path, only: set[str]) -> list:
    """Tasks that write the outputs and check that nothing an agency wrote was lost on the way: each
    writer checks its own files, except the report PDF, whose checks are follow-up tasks."""
    first_title = section_title(SectionKey.ABOUT, config.activity_year, config.plan_year)
    tasks = []
    if "report" in only:
        pdf = staging / REPORT_PDF
        tasks.append(("write report PDF", _write_pdf, (document, pdf)))
        # The PDF's checks run as soon as it is written, side by side, on whichever workers are free then.
        tasks.append(("check report PDF words", _check_pdf_words, (pdf, report.submissions, first_title), "write report PDF"))
        tasks.append(("check report PDF structure", _check_pdf_structure, (pdf,), "write report PDF"))
        tasks.append(("write and check report DOCX", _write_docx, (document, staging / REPORT_DOCX, report.submissions, first_title)))
    # One task per one-pager, so the two workers share them out evenly beside the report.
    if "summary" in only:
        tasks.append(("write summary", _write_onepagers, (report, config, inputs, staging, {"summary"})))
    if "briefings" in only:
        for briefing in report.briefings:
            alone = report.model_copy(update={"briefings": [briefing]})
            tasks.append((f"write briefing {briefing.slug}", _write_onepagers, (alone, config, inputs, staging, {"briefings"})))
    return tasks


def _write_pdf(document, path: Path):
    from assembler.writers.pdf.report import write_pdf_report

    write_pdf_report(document, path)
    return [path], []


def _check_pdf_words(path: Path, submissions, first_title: str):
    """Nothing lost, and every character extracts as itself: both read the PDF's text, extracted once."""
    from assembler.checks.nothing_lost import expectations, find_losses
    from assembler.checks.pdf_accessibility import extraction_problems
    from assembler.checks.pdf_text import pdf_page_texts

    texts = pdf_page_texts(path)
    losses = find_losses(path.name, "\n".join(texts), expectations(submissions, first_title))
    return [], _loss_errors(losses) + _finding_errors(path, extraction_problems(texts))


def _check_pdf_structure(path: Path):
    from assembler.checks.pdf_accessibility import check_pdf

    return [], _finding_errors(path, check_pdf(path, with_pdfua=False, with_text=False))


def _write_docx(document, path: Path, submissions, first_title: str):
    from assembler.checks.nothing_lost import check_outputs
    from assembler.writers.docx.report import write_docx_report

    write_docx_report(document, path)
    return [path], _loss_errors(check_outputs(submissions, first_title, docx=path, pdf=None)) + _accessibility_errors([path])


def _write_web(document, report, config: ReportConfig, inputs: Path, staging: Path, out: Path, result: BuildResult):
    from assembler.writers.html.build_step import write_and_check_web

    try:
        written, problems, losses, findings = write_and_check_web(report, document, config, inputs, staging, out)
    except InputError as error:  # a picture only this writer needed (--only web) that cannot be read
        result.errors.append(error)
        return []
    reported = {str(error) for error in result.errors}  # the summary's own writer may have said it already
    result.errors += [p for p in problems if str(p) not in reported] + _loss_errors(losses) + [e for path, found in findings.items() for e in _finding_errors(path, found)]
    return written


def _write_onepagers(report, config: ReportConfig, inputs: Path, staging: Path, kinds: set[str]):
    from assembler.onepage import write_onepagers

    problems: list[InputError] = []  # a one-pager that cannot fit stops only itself
    written = write_onepagers(report, config, inputs, staging, kinds, problems=problems)
    return written, problems + _accessibility_errors(written)


def _accessibility_errors(paths: list[Path]) -> list[InputError]:
    """What a screen-reader user would trip over in what was just written (issue: accessible outputs)."""
    from assembler.checks.docx_accessibility import check_docx
    from assembler.checks.pdf_accessibility import check_pdf

    errors = []
    for path in paths:
        errors += _finding_errors(path, check_pdf(path, with_pdfua=False) if path.suffix == ".pdf" else check_docx(path))
    return errors


def _finding_errors(path: Path, findings: list[str]) -> list[InputError]:
    fix = "a fault in the assembler or in the brand settings: run 'assembler check-outputs' on a forced build for details"
    return [InputError(path.name, finding, fix, field="accessibility") for finding in findings]


def _loss_errors(losses) -> list[InputError]:
    fix = "this is a fault in the assembler, not in the return: report it with the return attached"
    return [InputError(loss.output, str(loss), fix, field=loss.agency) for loss in losses]


def _read_returns(inputs: Path, config: ReportConfig, image_dir: Path, meanwhile):
    from assembler.intake import read_returns

    folder = inputs / RETURNS_DIR
    return read_returns([folder] if folder.is_dir() else [], config, image_dir, meanwhile)


def _sort_intake_problems(intake, result: BuildResult, force: bool) -> None:
    """Errors in returns that would be printed block the build; files that cannot be placed are reported as left out."""
    for submission in intake.accepted:
        for problem in submission.problems:
            entry = InputError(problem.file or submission.source.path, problem.message, problem.hint, field=f"{submission.agency_name}: {problem.field}")
            (result.errors if problem.severity == "error" else result.warnings).append(entry)
    for submission in intake.unknown:
        result.left_out.append(InputError(submission.source.path, f"from '{submission.agency_name}', which is not in the agency registry", "add the agency to report.yaml to include it"))
    for rejected in intake.rejected:
        result.left_out.append(InputError(str(rejected.path), rejected.reason, rejected.fix))
    for agency in intake.missing:
        result.left_out.append(InputError(RETURNS_DIR, f"no usable return from {agency.name}", f"chase {agency.email} (see outputs/chase-list.xlsx after 'assembler check')"))


def _write_manifest(staging: Path, inputs: Path, config: ReportConfig, intake, written: list[Path],
                    forced_past: list[InputError] = ()) -> None:
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
        "returns_accepted": sorted(str(Path(s.source.path).relative_to(inputs)) for s in intake.accepted) if intake else [],
        "outputs": [{"path": str(p.relative_to(staging)), "sha256": sha256_file(p)} for p in sorted(written)],
        # A build made with --force despite errors says so, and which: the board may be reading it.
        **({"forced_despite_errors": [str(error) for error in forced_past]} if forced_past else {}),
    })


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
