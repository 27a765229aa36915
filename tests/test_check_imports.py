"""`assembler check` loads only what checking needs: not the writers' libraries, not jinja, not the build.

Importing is most of a check's processor time (issue 15: check stays within 10% of its time before the
partnership's own files were checked too), and each of these costs tens of milliseconds. A later change that
imports one of them at the top of a module check uses fails here, by name, instead of slowing every check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Top-level packages check must not load, and this project's modules that belong to the build alone.
HEAVY_PACKAGES = {"reportlab", "docx", "docxtpl", "pikepdf", "pypdfium2", "jinja2", "playwright", "fontTools"}
BUILD_MODULES = {"assembler.build", "assembler.writer_host", "assembler.warmup", "assembler.speed",
                 "assembler.writers.one_pagers"}
BUILD_PACKAGES = ("assembler.writers.docx.", "assembler.writers.pdf.", "assembler.writers.html", "assembler.checks.nothing_lost")

PROGRAM = """
import json, os, sys
from assembler.cli import main
stdout = sys.stdout
sys.stdout = open(os.devnull, "w")
code = main(sys.argv[1:])
sys.stdout = stdout
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _check_modules(*args: str, cache: str = "off") -> tuple[int, set[str]]:
    result = subprocess.run([sys.executable, "-c", PROGRAM, "check", *args], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO), "ASSEMBLER_CACHE": cache}, check=True)
    outcome = json.loads(result.stdout.splitlines()[-1])
    return outcome["code"], set(outcome["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY_PACKAGES or m in BUILD_MODULES
                  or m.startswith(BUILD_PACKAGES))


def test_check_of_the_sample_loads_no_writer_no_jinja_and_not_the_build(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    code, modules = _check_modules("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"))
    assert code == 1  # the sample's planted problems: the check really read and judged every file
    assert (tmp_path / "out" / "chase-list.xlsx").is_file()
    # What it did need was loaded: the readers, the chapters' Markdown, the figures, the chase list's workbook.
    assert {"assembler.intake", "assembler.content.chapters", "assembler.document.figures", "markdown_it",
            "openpyxl"} <= modules
    assert _heavy(modules) == []


def test_a_second_check_from_the_reading_cache_loads_no_more(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    cache = str(tmp_path / "cache")
    _check_modules("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"), cache=cache)
    code, modules = _check_modules("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"), cache=cache)
    assert code == 1 and any((tmp_path / "cache").iterdir())
    assert _heavy(modules) == []
