"""Processor time of `assembler check` on the sample, against a baseline tree of the assembler.

    git worktree add --detach /tmp/base 76721e3        # the tree to compare with (any commit)
    python3 bench/check_cpu.py --baseline /tmp/base      # 7 runs of each, alternating
    python3 bench/check_cpu.py --baseline /tmp/base --runs 11 --inputs inputs

Each run is its own process, `python -m assembler check` in the tree's folder with PYTHONPATH set to that tree,
the reading cache off (ASSEMBLER_CACHE=off: every return is read, as in the first check of a year) and the chase
list written to a scratch folder. Its processor time is user + system of the process and of the reading workers
it waited for (wait4), which the load of other work on the machine disturbs far less than the wall time. Runs
alternate between the trees, so that a change of load falls on both; the median of each is compared, and the
spread (lowest and highest) is printed beside it. Both trees are compiled first (`compileall`), so that neither
pays for compiling its modules when the machine sets PYTHONDONTWRITEBYTECODE. By default each tree checks its
own sample (`inputs/` in that tree); `--inputs` gives one folder to both. `--returns-only` leaves out, in a tree
that has it, check's reading of the partnership's own files (chapters, data workbooks, briefings, summary: what the
build would stop on, build_rules.BuildRules), so that what reading the returns costs is compared alone. Not a test:
the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Timing:
    cpu: float   # user + system seconds, the process and the children it waited for
    wall: float
    returncode: int


def compile_tree(tree: Path) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "assembler")], check=True,
                   stdout=subprocess.DEVNULL)


# `python -m assembler` with the partnership's own files left unread, where the tree reads them in check.
RETURNS_ONLY = """
import sys
try:
    from assembler.build_rules import BuildRules
    BuildRules.meanwhile = lambda self, still_reading=None: None
    BuildRules.apply = lambda self, intake: []
except ImportError:
    pass
from assembler.cli import entry_point
sys.argv[0] = "assembler"
entry_point()
"""


def time_check(tree: Path, inputs: Path | None, scratch: Path, returns_only: bool = False) -> Timing:
    env = {**os.environ, "PYTHONPATH": str(tree), "ASSEMBLER_CACHE": "off"}
    start = ["-c", RETURNS_ONLY] if returns_only else ["-m", "assembler"]
    command = [sys.executable, *start, "check", "--chase-out", str(scratch / "chase")]
    if inputs is not None:
        command += ["--inputs", str(inputs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Timing(usage.ru_utime + usage.ru_stime, wall, process.returncode)


def compare(baseline: Path, current: Path, runs: int, inputs: Path | None,
            returns_only: bool = False) -> dict[str, list[Timing]]:
    timings: dict[str, list[Timing]] = {"baseline": [], "current": []}
    trees = {"baseline": baseline, "current": current}
    with tempfile.TemporaryDirectory(prefix="check-cpu-") as work:
        for index in range(runs):
            # Alternate which goes first, so neither always follows the other.
            order = ["baseline", "current"] if index % 2 == 0 else ["current", "baseline"]
            for name in order:
                scratch = Path(work) / f"{name}-{index}"
                scratch.mkdir()
                timings[name].append(time_check(trees[name], inputs, scratch, returns_only))
    return timings


def summary(timings: list[Timing]) -> tuple[float, float, float, float]:
    cpu = [t.cpu for t in timings]
    return statistics.median(cpu), min(cpu), max(cpu), statistics.median(t.wall for t in timings)


def report(timings: dict[str, list[Timing]]) -> str:
    lines = ["| check | processor (s), median | lowest | highest | wall (s), median |", "|---|---:|---:|---:|---:|"]
    for name, runs in timings.items():
        median, low, high, wall = summary(runs)
        lines.append(f"| {name} | {median:.2f} | {low:.2f} | {high:.2f} | {wall:.2f} |")
    ratio = summary(timings["current"])[0] / summary(timings["baseline"])[0]
    walls = summary(timings["current"])[3] / summary(timings["baseline"])[3]
    lines.append(f"\ncurrent ÷ baseline, processor time: {ratio:.2f}; wall time: {walls:.2f}")
    codes = {name: sorted({t.returncode for t in runs}) for name, runs in timings.items()}
    lines.append(f"exit codes: {codes}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a tree of the assembler (its assembler/ and inputs/)")
    parser.add_argument("--current", type=Path, default=REPO, help="the tree to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each tree (default 7)")
    parser.add_argument("--inputs", type=Path, help="one inputs folder for both (default: each tree's own inputs/)")
    parser.add_argument("--returns-only", action="store_true",
                        help="leave out check's reading of the partnership's own files, where a tree has it")
    parser.add_argument("--no-compile", action="store_true", help="do not compile the trees first")
    args = parser.parse_args(argv)
    baseline, current = args.baseline.resolve(), args.current.resolve()
    if not args.no_compile:
        compile_tree(baseline)
        compile_tree(current)
    print(report(compare(baseline, current, args.runs, args.inputs.resolve() if args.inputs else None,
                         args.returns_only)))
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
