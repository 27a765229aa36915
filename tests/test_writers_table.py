"""A new output format is one package and one row of writers.WRITERS: build, check-outputs and the
nothing-lost check take it up from the table, and nothing-lost finds a word its writer drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembler.build import build
from assembler.checks.nothing_lost import output_text
from assembler.cli import main
from assembler.commands.check_outputs import check_output_files
from assembler.config import load_config
from assembler.schema import plain_text
from assembler.writers import WRITERS
from assembler.writers.format import OutputFormat

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"


def _lines_of_report(document) -> list[str]:
    return [line for section in document.sections for line in (section.title, plain_text(section.blocks))]


def _text_format(drop: str = "") -> OutputFormat:
    """Plain text, one file per publication: what a minimal format must do to join the table."""
    def write(path: Path, lines: list[str]) -> None:
        path.write_text("\n".join(lines).replace(drop, "") if drop else "\n".join(lines), encoding="utf-8")

    return OutputFormat(
        name="txt", suffix=".txt",
        write_report=lambda document, path: write(path, _lines_of_report(document)),
        write_summary=lambda content, layout, path: write(path, [
            *(line for block in content.blocks for line in (block.heading, *block.bullets)),
            *(f"{figure.value} {figure.label}" for figure in content.figures), *content.case_studies, *content.resources,
            content.full_report]),
        write_briefing=lambda plan, layout, path: write(path, [
            plan.title, *(line for section in plan.sections for line in (section.heading, plain_text(section.blocks)))]),
        read_text=lambda path: [path.read_text(encoding="utf-8")],
        check_accessibility=lambda path, thorough: [] if path.read_text(encoding="utf-8").strip() else [f"{path.name} is empty"],
    )


@pytest.fixture
def with_text_format(monkeypatch):
    def register(drop: str = "") -> None:
        monkeypatch.setitem(WRITERS, "txt", _text_format(drop))
    return register


def test_a_format_in_the_table_is_built_checked_and_listed_in_the_manifest(tmp_path, with_text_format):
    with_text_format()
    out = tmp_path / "out"
    result = build(SAMPLE, out, load_config(SAMPLE / "report.yaml"), writer_host=None)
    assert result.ok, [str(e) for e in result.errors]
    names = {p.relative_to(out).as_posix() for p in result.outputs}
    assert {"annual-report.txt", "summary.txt", "briefings/neglect-toolkit.txt"} <= names
    assert {"annual-report.pdf", "annual-report.docx", "summary.pdf", "summary.docx"} <= names
    assert "neglect toolkit" in output_text(out / "briefings" / "neglect-toolkit.txt").lower()
    found = check_output_files(out)
    assert out / "annual-report.txt" in found and all(not findings for findings in found.values())
    assert main(["check-outputs", "--out", str(out)]) == 0


def test_a_word_a_format_drops_stops_the_build_naming_the_file(tmp_path, with_text_format):
    with_text_format(drop="Graded Care Profile")
    result = build(SAMPLE, tmp_path / "out", load_config(SAMPLE / "report.yaml"), writer_host=None)
    lost = [e for e in result.errors if "words missing" in e.message]
    assert lost and {e.file for e in lost} >= {"neglect-toolkit.txt"}
    assert all(e.file.endswith(".txt") for e in lost)  # the PDF and the DOCX kept every word


def test_the_build_and_the_writers_table_load_no_format_library_until_a_writer_runs():
    """The writers' entry points import their writer when called: a build plans its tasks, and `check` runs,
    before reportlab or python-docx are loaded (a writer host loads them meanwhile, on the idle core)."""
    import subprocess
    import sys

    code = ("import sys, assembler.build, assembler.writers, assembler.commands.check_outputs, assembler.checks.nothing_lost;"
            "print(sorted(m for m in ('reportlab', 'docx', 'pikepdf', 'pypdfium2') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
