"""`assembler build` end to end on the sample partnership: what is written, reproducibly and atomically."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from assembler.build import build
from assembler.cli import main
from assembler.config import load_config
from assembler.outputs import sha256_file
from assembler.schema import Paragraph

from conftest import SAMPLE_INPUTS


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out)]) == 0
    return out


def test_every_output_is_written(built: Path):
    names = set(_files(built))
    assert {"annual-report.docx", "annual-report.pdf", "summary.docx", "summary.pdf", "manifest.json"} <= names
    briefings = sorted((SAMPLE_INPUTS / "briefings").glob("*.yaml"))
    assert briefings, "the sample has briefings"
    for briefing in briefings:
        assert f"briefings/{briefing.stem}.pdf" in names and f"briefings/{briefing.stem}.docx" in names


def test_no_staging_folder_is_left_behind(built: Path):
    assert not [p for p in built.parent.iterdir() if ".staging-" in p.name]


def test_manifest_lists_inputs_and_outputs_with_their_hashes(built: Path):
    manifest = json.loads((built / "manifest.json").read_text())
    inputs = {entry["path"]: entry["sha256"] for entry in manifest["inputs"]}
    assert inputs["report.yaml"] == sha256_file(SAMPLE_INPUTS / "report.yaml")
    assert any(path.startswith("returns/") for path in inputs)
    outputs = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    assert outputs["annual-report.pdf"] == sha256_file(built / "annual-report.pdf")
    assert manifest["period"] == "2023-24" and manifest["assembler_version"]


def test_accepted_agencies_reach_both_report_files(built: Path):
    manifest = json.loads((built / "manifest.json").read_text())
    assert len(manifest["returns_accepted"]) >= 25
    assert all(path.startswith("returns/") for path in manifest["returns_accepted"])  # whatever --inputs said
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(built / "annual-report.pdf").pages)
    docx_text = "\n".join(p.text for p in open_docx(built / "annual-report.docx").paragraphs)
    for name in ("Merseyside Police", "Merseyside Fire & Rescue Service", "Koala North West", "Cafcass"):
        assert name in pdf_text and name in docx_text
    # Left out, and reported as such: the unknown sender and the agencies that sent nothing usable.
    assert "Wirral Chinese Community Network" not in pdf_text
    # An agency that sent nothing is named once, where the report says whose returns it lacks.
    flat = " ".join(pdf_text.split())
    assert flat.count("Wirral Public Health") == 1
    assert "Returns not received No return from NSPCC, SEND Local Offer Team and Wirral Public Health" in flat


def test_a_figure_the_agency_qualified_prints_as_they_typed_it(built: Path):
    """'250+' (Our Space) and 'approx 300' (Early Help, in Excel) are not 250 and 300."""
    from assembler.checks.nothing_lost import docx_text, pdf_text

    for text in (pdf_text(built / "annual-report.pdf"), docx_text(built / "annual-report.docx")):
        assert "Visits from young people per month\n250+" in text or "Visits from young people per month 250+" in text
        assert "approx 300" in text and "60+" in text


def test_same_inputs_give_byte_identical_outputs(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(again)]) == 0
    first, second = _files(built), _files(again)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_writing_in_this_process_gives_the_same_bytes_as_writing_in_the_writer_host(built: Path, tmp_path: Path, monkeypatch):
    import assembler.speed as speed

    monkeypatch.setattr(speed, "HOST_UP_TO_RETURNS", 0)  # as for a large partnership: no host, warm-up here
    here = tmp_path / "here"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(here)]) == 0
    assert _files(here) == _files(built)


def test_writing_with_no_worker_process_gives_the_same_bytes_and_reads_the_report_pdf_once(built: Path, tmp_path: Path,
                                                                                         monkeypatch):
    """Every task in this process, one after another (one core): the same files as the pool wrote; and the report
    PDF's text is extracted once, for both the words check and the summary's page numbers."""
    import assembler.checks.pdf_text as pdf_text
    import assembler.parallel as parallel
    import assembler.writer_host as writer_host

    for module in (parallel, writer_host):
        monkeypatch.setattr(module, "usable_cores", lambda: 1)
    extracted: list[str] = []
    extract = pdf_text.pdf_page_texts

    def counted(path):
        extracted.append(Path(path).name)
        return extract(path)

    monkeypatch.setattr(pdf_text, "pdf_page_texts", counted)
    alone = tmp_path / "alone"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(alone)]) == 0
    assert _files(alone) == _files(built)
    assert extracted.count("annual-report.pdf") == 1
    assert "summary.pdf" in extracted  # the count is of this build's extractions: the one-pagers' are here too
    summary = " ".join(PdfReader(alone / "summary.pdf").pages[0].extract_text().split())
    assert re.search(r", page \d+", summary)  # the tiles still name their pages in the report


def test_a_failed_build_leaves_previous_outputs_untouched(built: Path, sample_inputs: Path, tmp_path: Path, capsys):
    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out)]) == 0
    before = _files(out)
    chapter = sample_inputs / "chapters" / "introduction.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n{{ lookup("funding.income", "Nobody", "Amount") }}\n', encoding="utf-8")
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    message = captured.out + captured.err
    assert "introduction.md" in message and "Nobody" in message
    assert _files(out) == before
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_only_summary_builds_only_the_summary(tmp_path: Path):
    out = tmp_path / "out"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 0
    assert {"summary.docx", "summary.pdf"} <= set(_files(out))
    assert "annual-report.pdf" not in _files(out)


def test_a_writer_that_drops_a_paragraph_fails_the_build_naming_agency_and_section(tmp_path: Path, monkeypatch):
    import assembler.writers.pdf.report as pdf_report

    original = pdf_report.write_pdf_report

    def lossy_writer(document, path):
        sections = list(document.sections)
        for index, section in enumerate(sections):
            if section.kind == "agency":
                paragraphs = [b for b in section.blocks if isinstance(b, Paragraph)]
                dropped = paragraphs[1]
                sections[index] = dataclasses.replace(section, blocks=[b for b in section.blocks if b is not dropped])
                break
        original(dataclasses.replace(document, sections=sections), path)

    monkeypatch.setattr(pdf_report, "write_pdf_report", lossy_writer)
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    result = build(SAMPLE_INPUTS, tmp_path / "out", config, only={"report"})
    assert not result.ok
    lost = [e for e in result.errors if e.file == "annual-report.pdf"]
    # The first agency alphabetically lost the second paragraph of its first section; the DOCX lost nothing.
    assert [e.agency for e in lost] == ["Barnardo's"]
    assert "Barnardo's, about:" in lost[0].message and "words missing" in lost[0].message
    assert not [e for e in result.errors if e.file == "annual-report.docx"]
    assert not (tmp_path / "out" / "annual-report.pdf").exists()


def test_build_reports_what_was_left_out(built: Path, tmp_path: Path, capsys):
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(tmp_path / "o"), "--only", "summary"]) == 0
    assert "6 left out of the report" in " ".join(capsys.readouterr().out.split())  # counted by default
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(tmp_path / "o"), "--only", "summary", "--verbose"]) == 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "Left out" in printed
    assert "Wirral Chinese Community Network" in printed
    assert "Wirral Public Health" in printed


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--only", "everything"])
    assert exit_info.value.code == 2


def test_a_build_killed_halfway_leaves_previous_outputs_intact(tmp_path: Path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "outputs"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 0
    before = _files(out)
    process = subprocess.Popen([sys.executable, "-m", "assembler", "build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed while the writers are at work: the first output is staged, the report PDF is still being laid out.
    deadline = time.monotonic() + 60
    while not _staged_outputs(tmp_path) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    assert process.poll() is None, "the build finished before it could be killed"
    # Worker processes (Linux /proc shows them; one core has none) must end with it, rather than finish
    # their tasks into the staging folder the next build clears.
    watch_workers = sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
    workers = _descendants(process.pid) if watch_workers else []
    assert workers or not watch_workers, "the writers had not started"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _files(out) == before
    deadline = time.monotonic() + 1
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [pid for pid in workers if _running(pid)]
    # The next build clears the dead build's staging folder and succeeds.
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "summary"]) == 0
    assert not list(tmp_path.glob(".outputs.staging-*"))


def _staged_outputs(folder: Path) -> list[Path]:
    return [p for staging in folder.glob(".outputs.staging-*") for p in staging.rglob("*.*") if ".work" not in p.parts]


def _running(pid: int) -> bool:
    """True while the process exists and has not ended (an ended one may wait as a zombie to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    """Processes forked from `pid`, and from them in turn (Linux /proc): a small build's writers are
    forked from its writer host."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, generation = [], [pid]
    while generation:
        generation = [child for child, parent in parents.items() if parent in generation]
        found += generation
    return found


def test_text_in_every_script_survives_into_both_report_files(built: Path):
    from assembler.checks.nothing_lost import docx_text, pdf_text

    # Our Space typed a Symbol-font diamond between words where a dash belongs: it prints as the dash.
    wanted = ["£269,847", "’", "–", "Council – and", "Łucja Wiśniewska", "Zofia Wójcik", "Gruffydd-Siân", "🙂"]
    for name, text in (("DOCX", docx_text(built / "annual-report.docx")), ("PDF", pdf_text(built / "annual-report.pdf"))):
        missing = [w for w in wanted if w not in text]
        assert missing == [], f"{name} lost {missing}"
    # A second, independent extractor agrees for the PDF.
    pypdf_text = "\n".join(page.extract_text() for page in PdfReader(built / "annual-report.pdf").pages)
    assert all(w in pypdf_text for w in wanted if w != "🙂")


def test_the_command_exits_with_main_s_code_and_keeps_what_it_printed(tmp_path):
    """`assembler` ends with a quick os._exit: its exit code and its output must survive that."""
    import subprocess
    import sys

    built = subprocess.run([sys.executable, "-m", "assembler", "build", "--inputs", str(SAMPLE_INPUTS),
                            "--out", str(tmp_path / "out"), "--only", "summary"], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "summary.pdf" in built.stdout and "Built" in built.stdout
    missing = subprocess.run([sys.executable, "-m", "assembler", "check", "--inputs", str(tmp_path / "nowhere")],
                             capture_output=True, text=True)
    assert missing.returncode == 2  # wrong usage: the folder given does not exist
    assert "nowhere' does not exist" in missing.stderr and "--inputs DIR" in missing.stderr


def test_a_lead_in_ending_in_a_colon_is_on_the_page_of_its_table(built: Path):
    """CWP's 'Training compliance at the end of the year:' and its table (sample return), in both files."""
    from assembler.checks.pdf_text import pdf_page_texts

    lead = "Training compliance at the end of the year:"
    pages = [text for text in pdf_page_texts(built / "annual-report.pdf") if lead in text]
    assert len(pages) == 1 and "Level 3 safeguarding children" in pages[0].split(lead, 1)[1]
    paragraph = next(p for p in open_docx(built / "annual-report.docx").paragraphs if p.text.strip() == lead)
    assert paragraph.paragraph_format.keep_with_next


def test_a_picture_prints_at_the_same_size_in_both_report_files(built: Path):
    """One sizing rule (writers/pictures.py, picture_size_mm): the Word report printed the sample's pictures half as wide
    again as the PDF. Pictures narrower than the text are compared (the text widths of the two differ)."""
    import pikepdf

    pdf_widths = []
    with pikepdf.open(built / "annual-report.pdf") as pdf:
        for page in pdf.pages[1:]:  # after the cover, whose logo each cover design sizes itself
            xobjects = page.obj.Resources.get("/XObject", {})
            images = {str(name) for name, xobject in xobjects.items() if xobject.get("/Subtype") == "/Image"}
            matrix = None
            for operands, operator in pikepdf.parse_content_stream(page, "cm Do"):
                if str(operator) == "cm":
                    matrix = [float(value) for value in operands]
                elif str(operands[0]) in images and matrix:
                    pdf_widths.append(round(matrix[0] / 72 * 25.4, 1))
    docx_widths = [round(shape.width.mm, 1) for shape in list(open_docx(built / "annual-report.docx").inline_shapes)[1:]]
    narrower = [width for width in docx_widths if width < 150]
    assert len(narrower) >= 2 and narrower == [width for width in pdf_widths if width < 150]


def test_figures_in_a_table_line_up_on_the_right_in_both_report_files(built: Path):
    """Cafcass's key indicators (547, 241, 97.4%, 88%): right-aligned in Word and in the PDF alike."""
    starts = {}

    def note(text, cm, tm, font, size):
        if text.strip() in ("547", "97.4%"):
            starts[text.strip()] = tm[4] * cm[0] + cm[4]

    page = next(p for p in PdfReader(built / "annual-report.pdf").pages if "Safeguarding letters filed by the first hearing" in p.extract_text())
    page.extract_text(visitor_text=note)
    assert starts["547"] > starts["97.4%"] + 3  # a shorter figure starts further right: they share a right edge
    table = next(t for t in open_docx(built / "annual-report.docx").tables if "Safeguarding letters filed by the first hearing" in t._element.xml)
    assert all(row.cells[1].paragraphs[0].alignment == 2 for row in table.rows)  # WD_ALIGN_PARAGRAPH.RIGHT, header too


def test_a_picture_that_cannot_be_read_is_an_error_naming_it_not_an_internal_fault(sample_inputs: Path, tmp_path: Path, capsys):
    """Only the writer that draws a picture opens it: what it finds is reported like any other input error."""
    (sample_inputs / "broken.png").write_bytes(b"not a picture")
    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![A broken picture](broken.png)\n", encoding="utf-8")
    assert main(["build", "--inputs", str(sample_inputs), "--out", str(tmp_path / "out")]) == 1
    printed = " ".join((lambda c: c.out + c.err)(capsys.readouterr()).split())
    assert "broken.png: image: the picture cannot be read" in printed and "internal fault" not in printed
    assert not [path for path in (tmp_path / "out").rglob("*") if path.is_file()]  # nothing was written
