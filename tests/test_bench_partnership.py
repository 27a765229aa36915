"""The benchmark's generated partnership must stay one the assembler accepts without a problem: when a new rule
rejects it, bench/run.py times failures instead of builds."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from make_partnership import make_partnership  # noqa: E402
from run import change_one_return  # noqa: E402


def _check(inputs: Path, chase: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSEMBLER_CACHE": "off", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "assembler", "check", "--inputs", str(inputs), "--chase-out", str(chase)],
                          cwd=REPO, env=env, capture_output=True, text=True)


def test_generated_partnership_checks_with_no_problem_and_a_changed_return_still_does(tmp_path):
    inputs = make_partnership(7, tmp_path / "partnership")
    returns = sorted((inputs / "returns").iterdir())
    assert [p.suffix for p in returns].count(".xlsx") == 1 and len(returns) == 7

    result = _check(inputs, tmp_path / "chase")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems in the returns" in result.stdout
    assert "7 returns accepted, 0 superseded, 0 rejected, 0 from unknown agencies, 0 missing" in result.stdout

    changed = change_one_return(inputs, 1)
    before = changed.read_bytes()
    arrived = changed.stat().st_mtime
    change_one_return(inputs, 2)
    assert changed.read_bytes() != before and changed.stat().st_mtime == arrived
    result = _check(inputs, tmp_path / "chase")
    assert result.returncode == 0 and "No problems in the returns" in result.stdout, result.stdout
