"""Benchmark `assembler check` and `assembler build` on synthetic partnerships, against LibreOffice.

    python3 bench/run.py                      # N = 30, 300, 1000
    python3 bench/run.py --sizes 30 --no-libreoffice

For each N: generate a partnership (bench/make_partnership.py), then time, as
separate processes, `assembler check`, `assembler build` and
`soffice --headless --convert-to pdf` on the annual-report.docx the build
wrote: the PDF route a user has today. Peak memory is measured two ways: the
largest single process (from wait4's rusage) and the sum of the resident sizes
of the whole process tree, sampled every 50 ms (an upper bound: forked workers
share pages). Prints a Markdown table and writes it, with the machine, to
bench/results.md. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from make_partnership import make_partnership  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


@dataclass
class Run:
    command: list[str]
    seconds: float
    returncode: int
    peak_process_mb: float  # the largest single process (rusage ru_maxrss)
    peak_tree_mb: float     # the sum over the process tree at its sampled peak
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure(self) -> str:
        lines = [line for line in (self.stderr or self.stdout).splitlines() if line.strip()]
        return lines[-1][:200] if lines else f"exit code {self.returncode}"


@dataclass
class Row:
    size: int
    generate_seconds: float
    check: Run | None = None
    build: Run | None = None
    libreoffice: Run | None = None
    build_steps: dict[str, float] = field(default_factory=dict)
    pages: int | None = None
    full_build_error: str | None = None  # set when only `build --only report` could be timed


# ---------------------------------------------------------------- measuring


def _children(pid: int) -> list[int]:
    """pid and every process descending from it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def _tree_rss(pid: int) -> int:
    total = 0
    for member in _children(pid):
        try:
            with open(f"/proc/{member}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def measure(command: list[str], cwd: Path = REPO, env: dict | None = None, sample_tree: bool = True) -> Run:
    """Run `command` to the end; its wall time, exit code and peak memory.

    Sampling the process tree's memory walks /proc every 50 ms, which costs the
    command a few per cent of a core: `sample_tree=False` leaves it out (the
    largest process's peak still comes from rusage) for runs that are timed.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while sample_tree and not done.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # Read the pipes before waiting so a chatty command cannot block on a full pipe.
    stdout_chunks: list[str] = []
    reader = threading.Thread(target=lambda: stdout_chunks.append(process.stdout.read()), daemon=True)
    reader.start()
    stderr = process.stderr.read()
    reader.join()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(command, seconds, process.returncode, usage.ru_maxrss / 1024, peak[0] / MB,
               "".join(stdout_chunks), stderr)


# ---------------------------------------------------------------- the steps


def assembler(*args: str) -> list[str]:
    return [sys.executable, "-m", "assembler", *args]


def has_command(name: str) -> bool:
    result = subprocess.run(assembler("--help"), cwd=REPO, capture_output=True, text=True)
    return re.search(rf"^\s+{re.escape(name)}\b", result.stdout, re.MULTILINE) is not None


def build_steps(stdout: str) -> dict[str, float]:
    """'Steps: read returns and chapters 2.32 s, write summary 0.5 s' -> {'read returns and chapters': 2.32, ...}
    (printed by `assembler build --timings`)."""
    match = re.search(r"^Steps: (.*)$", stdout, re.MULTILINE)
    if not match:
        return {}
    return {step.strip(): float(seconds) for step, seconds in re.findall(r"(.+?) ([\d.]+) s(?:, |$)", match.group(1))}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(docx: Path, work: Path) -> Run:
    """Time one conversion; a warm-up conversion first builds LibreOffice's profile, which is not timed."""
    profile = work / "lo-profile"
    command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(work / "lo"), str(docx)]
    if not profile.exists():
        measure(command, cwd=work)
    return measure(command, cwd=work)


def pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    except Exception:  # a benchmark reports what it can
        return None


def bench_size(size: int, work: Path, run_libreoffice: bool, can_check: bool, repeat: int = 1) -> Row:
    """Time N = `size`. The build and the LibreOffice conversion run `repeat` times, alternating (so a slow
    spell on a shared machine hits both), and the median run of each is kept. A first build, not timed,
    samples the process tree's memory."""
    inputs, out = work / f"partnership-{size}", work / f"outputs-{size}"
    started = time.perf_counter()
    make_partnership(size, inputs)
    row = Row(size, time.perf_counter() - started)
    if can_check:
        # Every check reads every return, as the first check of a year does: no reading kept from the run before.
        cold = {**os.environ, "ASSEMBLER_CACHE": "off"}
        row.check = _median([measure(assembler("check", "--inputs", str(inputs)), env=cold) for _ in range(repeat)])
    command = assembler("build", "--inputs", str(inputs), "--out", str(out), "--timings")
    report_docx, report_pdf = out / "annual-report.docx", out / "annual-report.pdf"
    if out.exists():
        shutil.rmtree(out)
    memory = measure(command)
    builds: list[Run] = []
    conversions: list[Run] = []
    for _ in range(repeat if memory.ok else 1):
        if out.exists():
            shutil.rmtree(out)
        builds.append(measure(command, sample_tree=False))
        if not builds[-1].ok:
            # Keep the comparison with LibreOffice possible while a later step (summary, briefings) is broken.
            row.full_build_error = builds[-1].failure()
            builds = [measure(assembler("build", "--inputs", str(inputs), "--out", str(out), "--only", "report", "--timings"))]
            conversions = []
        if run_libreoffice and soffice() and report_docx.exists():
            conversions.append(convert_with_libreoffice(report_docx, work))
        if row.full_build_error:
            break
    row.build = _median(builds)
    if not row.full_build_error:
        row.build = replace(row.build, peak_process_mb=max(row.build.peak_process_mb, memory.peak_process_mb),
                            peak_tree_mb=memory.peak_tree_mb)
    row.libreoffice = _median(conversions) if conversions else None
    row.build_steps = build_steps(row.build.stdout)
    row.pages = pdf_pages(report_pdf) if report_pdf.exists() else None
    return row


LONG_PARAGRAPH_SENTENCE = "Practitioners from every partner met families at home and wrote down what the children said. "


def add_long_paragraph(inputs: Path, kilobytes: int) -> Path:
    """Make the first Word return's activity section one paragraph of `kilobytes` kB (issue 16: layout time
    linear in a paragraph's length); the return it changed."""
    from docx import Document

    path = sorted((inputs / "returns").glob("*.docx"))[0]
    document = Document(str(path))
    body = document.paragraphs
    heading = next(i for i, p in enumerate(body) if p.style.name.startswith("Heading") and "activity" in p.text.casefold())
    text = LONG_PARAGRAPH_SENTENCE * (kilobytes * 1000 // len(LONG_PARAGRAPH_SENTENCE) + 1)
    body[heading + 1].add_run(" " + text[: kilobytes * 1000].strip())
    document.save(str(path))
    return path


def bench_long_paragraph(size: int, kilobytes: int, work: Path, repeat: int) -> tuple[Run, Run]:
    """(build of the partnership as generated, build with one return's activity one `kilobytes` kB paragraph).
    The long one is built with --force: a section that long is far over its word limit, an error."""
    inputs, out = work / f"partnership-{size}-long", work / f"outputs-{size}-long"
    make_partnership(size, inputs)
    plain, long = [], []
    command = assembler("build", "--inputs", str(inputs), "--out", str(out), "--force", "--timings")
    for _ in range(repeat):
        plain.append(measure(command, sample_tree=False))
    add_long_paragraph(inputs, kilobytes)
    for _ in range(repeat):
        long.append(measure(command, sample_tree=False))
    return _median(plain), _median(long)


def long_paragraph_report(size: int, kilobytes: int, plain: Run, long: Run) -> str:
    return "\n".join([
        f"A return with a {kilobytes} kB paragraph (N={size}, one return's activity section one paragraph of "
        f"{kilobytes} kB, built with --force since it is far over its word limit):",
        "",
        "| partnership | build | PDF writer |",
        "|---|---:|---:|",
        f"| as generated | {_cell(plain, 's')} s | {build_steps(plain.stdout).get('write report PDF', float('nan')):.2f} s |",
        f"| with the {kilobytes} kB paragraph | {_cell(long, 's')} s | "
        f"{build_steps(long.stdout).get('write report PDF', float('nan')):.2f} s |",
    ])


def _median(runs: list[Run]) -> Run:
    """The middle run by time (the faster of the two middle ones for an even count)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


# ---------------------------------------------------------------- reporting


def _cell(run: Run | None, what: str) -> str:
    if run is None:
        return "n/a"
    if not run.ok:
        return "failed"
    return {"s": f"{run.seconds:.2f}", "mb": f"{run.peak_process_mb:.0f} / {run.peak_tree_mb:.0f}"}[what]


def table(rows: list[Row]) -> str:
    lines = [
        "| returns | report pages | check (s) | check peak MB | build (s) | build peak MB | build s / return "
        "| LibreOffice DOCX→PDF (s) | LibreOffice ÷ build |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = per_return = "n/a"
        if row.build and row.build.ok:
            per_return = f"{row.build.seconds / row.size * 1000:.0f} ms"
            if row.libreoffice and row.libreoffice.ok:
                ratio = f"{row.libreoffice.seconds / row.build.seconds:.2f}×"
        build_label = _cell(row.build, "s") + (" (report only)" if row.full_build_error else "")
        lines.append(
            f"| {row.size} | {row.pages or 'n/a'} | {_cell(row.check, 's')} | {_cell(row.check, 'mb')} "
            f"| {build_label} | {_cell(row.build, 'mb')} | {per_return} "
            f"| {_cell(row.libreoffice, 's')} | {ratio} |"
        )
    return "\n".join(lines)


def steps_table(rows: list[Row]) -> str:
    steps = list(dict.fromkeys(step for row in rows for step in row.build_steps))
    if not steps:
        return ""
    lines = ["| returns | " + " | ".join(steps) + " |", "|---:|" + "---:|" * len(steps)]
    for row in rows:
        cells = (f"{row.build_steps[s]:.2f}" if s in row.build_steps else "n/a" for s in steps)
        lines.append(f"| {row.size} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        if row.full_build_error:
            found.append(f"- N={row.size}, full build (only the report was timed): {row.full_build_error}")
        for name, run in (("check", row.check), ("build", row.build), ("LibreOffice", row.libreoffice)):
            if run is not None and not run.ok:
                found.append(f"- N={row.size}, {name}: {run.failure()}")
    return found


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE).group(1)
    except (OSError, AttributeError):
        pass
    memory = ""
    try:
        kb = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE).group(1))
        memory = f", {kb / MB:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    office = ""
    if soffice():
        version = subprocess.run([soffice(), "--version"], capture_output=True, text=True).stdout.strip()
        office = f"; {version.split(' ')[0]} {version.split(' ')[1] if ' ' in version else ''}".rstrip()
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}{office}")


def report(rows: list[Row], repeat: int = 1) -> str:
    parts = [
        "# Benchmark: assembler against LibreOffice",
        "",
        f"Machine: {machine()}.",
        "",
        "Made by `python3 bench/run.py` (synthetic partnerships from `bench/make_partnership.py`: one return per "
        "agency, about 500 words, a bulleted list and a five-row indicator table; 80 % .docx, 20 % .xlsx). "
        "Each command runs as its own process, so times include Python start-up and imports "
        "(from compiled bytecode, as after pip installs the package). "
        "Peak MB: largest single process / sum over the process tree (sampled every 50 ms; an upper bound, "
        "since forked workers share pages). LibreOffice converts the annual-report.docx the build wrote "
        "(after an untimed warm-up run that creates its profile). "
        + (f"Each time is the median of {repeat} runs, builds and conversions alternating; memory comes from "
           "one more build, not timed. " if repeat > 1 else "")
        + "The figures depend on the machine and on what else it is doing.",
        "",
        table(rows),
    ]
    steps = steps_table(rows)
    if steps:
        parts += ["", "Where the build's time goes (seconds, from the build's own timings):", "", steps]
    problems = failures(rows)
    if problems:
        parts += ["", "Failures:", "", *problems]
    return "\n".join(parts) + "\n"


def profile_build(size: int, work: Path, top: int = 12) -> str:
    """The build of partnership-N under cProfile: where the main process spends its time, as Markdown.

    Work done in worker processes (reading returns, writers run in parallel) is
    not followed by cProfile: it shows only as the main process waiting.
    """
    import io
    import pstats

    inputs, out, stats_file = work / f"partnership-{size}", work / f"profile-out-{size}", work / f"build-{size}.prof"
    if not inputs.exists():
        make_partnership(size, inputs)
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "assembler",
               "build", "--inputs", str(inputs), "--out", str(out)]
    subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if not stats_file.exists():
        return ""
    stats = pstats.Stats(str(stats_file), stream=io.StringIO())
    total = stats.total_tt

    def rows(sort: str, keep) -> list[str]:
        chosen = []
        for (filename, line, function), (_, calls, tottime, cumtime, _) in sorted(
            stats.stats.items(), key=lambda item: item[1][2 if sort == "tottime" else 3], reverse=True
        ):
            if keep(filename):
                where = re.sub(r"^.*/(site-packages|assembler)/", r"\1/", filename).replace("site-packages/", "")
                chosen.append(f"| {where}:{line} {function} | {calls:,} | {tottime:.2f} | {cumtime:.2f} |")
            if len(chosen) == top:
                break
        return chosen

    header = ["| function | calls | own s | with callees s |", "|---|---:|---:|---:|"]
    return "\n".join([
        f"Profile of `assembler build` at N={size} (main process only: work in worker processes shows as "
        f"waiting; {total:.1f} s under the profiler, which slows Python code about twice):",
        "",
        "Most time in the function itself:",
        "",
        *header, *rows("tottime", lambda name: name != "~"),
        "",
        "The assembler's own steps, with what they call:",
        "",
        *header, *rows("cumtime", lambda name: "/assembler/" in name and "site-packages" not in name),
    ])


def compile_package() -> None:
    """Compile the package's bytecode once, as pip does when it installs a package. Where
    PYTHONDONTWRITEBYTECODE is set (as on the machine in bench/results.md), every timed run
    would otherwise compile each module from source again, about 0.15 s a build."""
    import compileall

    compileall.compile_dir(REPO / "assembler", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 1000], help="numbers of returns")
    parser.add_argument("--work", type=Path, default=Path("/tmp/assembler-bench"), help="scratch folder")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice comparison")
    parser.add_argument("--results", type=Path, default=HERE / "results.md", help="Markdown file to write")
    parser.add_argument("--profile", type=int, metavar="N", help="also profile the build of N returns")
    parser.add_argument("--repeat", type=int, default=3, metavar="K",
                        help="time each build and conversion K times, alternating, and keep the median (default 3)")
    parser.add_argument("--long-paragraph", type=int, default=100, metavar="KB",
                        help="also time N=30 with one return holding a paragraph of KB kB (default 100; 0 skips it)")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    compile_package()
    can_check = has_command("check")
    if not can_check:
        print("note: this assembler has no 'check' command yet; only the build is timed", file=sys.stderr)
    rows = []
    for size in args.sizes:
        print(f"N={size}: generating, checking, building…", file=sys.stderr, flush=True)
        rows.append(bench_size(size, args.work.resolve(), not args.no_libreoffice, can_check, max(1, args.repeat)))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    text = report(rows, max(1, args.repeat))
    if args.long_paragraph:
        print(f"N=30 with a {args.long_paragraph} kB paragraph: building…", file=sys.stderr, flush=True)
        plain, long = bench_long_paragraph(30, args.long_paragraph, args.work.resolve(), max(1, args.repeat))
        text += "\n" + long_paragraph_report(30, args.long_paragraph, plain, long) + "\n"
    if args.profile:
        print(f"N={args.profile}: profiling the build…", file=sys.stderr, flush=True)
        profile = profile_build(args.profile, args.work.resolve())
        text += ("\n" + profile + "\n") if profile else ""
    print(text)
    args.results.write_text(text + _kept_notes(args.results), encoding="utf-8")
    return 0 if not failures(rows) else 1


KEPT = "<!-- Below this line: measured by hand, kept when bench/run.py writes the file again. -->"


def _kept_notes(results: Path) -> str:
    """The hand-measured notes at the end of the results file (check against its baseline, the reading cache)."""
    try:
        old = results.read_text(encoding="utf-8")
    except OSError:
        return ""
    return "\n" + KEPT + old.split(KEPT, 1)[1] if KEPT in old else ""


if __name__ == "__main__":
    sys.exit(main())
