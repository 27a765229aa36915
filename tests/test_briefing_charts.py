"""A chart in a 7-minute briefing prints, in every format: the one-pagers share the report's block renderer.

Before, the one-pagers had renderers of their own with no branch for a chart, and a briefing section
with ![..](chart:..) printed nothing in its place, with no error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from assembler.assemble import read_partnership_material
from assembler.checks.nothing_lost import briefing_expectations, find_losses, output_text
from assembler.checks.pdf_accessibility import check_pdf, walk_structure
from assembler.config import load_config
from assembler.content.briefings import load_briefing
from assembler.document.briefing import plan_briefing
from assembler.writers import WRITERS
from assembler.writers.one_pagers import write_briefing
from tests.onepage_helpers import SAFE_SLEEP, pdf_pages, write_briefing_yaml

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"
CHART = "training-by-sector"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def charts(sample_config):
    return read_partnership_material(INPUTS, sample_config).charts


def _with_chart(section: int, caption: str = "") -> list[tuple[str, str]]:
    sections = [(h, t) for h, t in SAFE_SLEEP]
    heading, text = sections[section]
    title = f' "{caption}"' if caption else ""
    sections[section] = (heading, f"{text}\n\n![Training by sector](chart:{CHART}{title})\n")
    return sections


def _written(tmp_path: Path, config, charts, sections) -> dict[str, Path]:
    briefing = load_briefing(write_briefing_yaml(tmp_path / "in", "safe-sleep", sections))
    plan = plan_briefing(briefing, config, INPUTS, charts)
    return {path.suffix: path for path in write_briefing(plan, tmp_path / "out")}, plan


def test_a_chart_in_a_briefing_prints_in_the_pdf_as_a_figure_with_its_words(tmp_path, config, charts):
    chart = charts[CHART]
    files, plan = _written(tmp_path, config, charts, _with_chart(5, "Who came to training"))
    pdf = files[".pdf"]
    assert pdf_pages(pdf) == 1
    with pikepdf.open(pdf) as document:
        figures = [str(element.obj.get("/Alt", "")) for element in walk_structure(document) if element.role == "/Figure"]
    assert chart.alt_text in figures  # tagged as a figure that says every bar in words
    text = output_text(pdf)
    for label in chart.labels:  # the bars' labels are drawn as text
        assert " ".join(label.split()[:1]) in text
    assert chart.value_label(chart.values[0]) in text
    assert "Who came to training" in text  # the caption
    assert find_losses(pdf.name, text, briefing_expectations(plan)) == []
    assert check_pdf(pdf, with_pdfua=False) == []


def test_a_chart_in_a_briefing_prints_in_the_docx_as_a_picture_in_its_box(tmp_path, config, charts):
    chart = charts[CHART]
    files, plan = _written(tmp_path, config, charts, _with_chart(2))
    with zipfile.ZipFile(files[".docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        pictures = [name for name in archive.namelist() if name.startswith("word/media/")]
    cells = body.findall(f".//{W}tc")
    with_chart = [cell for cell in cells if any(d.get("descr") == chart.alt_text for d in cell.iter("{*}docPr"))]
    assert len(with_chart) == 1  # in the third box, beside its text
    box_text = "".join(t.text or "" for t in with_chart[0].iter(f"{W}t"))
    assert "Information" in box_text and chart.title in box_text  # the box's heading; the chart's title as caption
    assert len(pictures) == 2  # the logo and the chart
    assert find_losses(files[".docx"].name, output_text(files[".docx"]), briefing_expectations(plan)) == []
    assert WRITERS["docx"].check_accessibility(files[".docx"], True) == []  # the picture has its alt text


@pytest.mark.libreoffice
def test_a_briefing_with_a_chart_prints_on_one_page_in_word(tmp_path, config, charts):
    files, _ = _written(tmp_path, config, charts, _with_chart(0))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(files[".docx"])], check=True, capture_output=True, timeout=180)
    printed = tmp_path / "lo" / "safe-sleep.pdf"
    assert pdf_pages(printed) == 1
    images = subprocess.run(["pdfimages", "-list", str(printed)], capture_output=True, text=True).stdout
    assert len([line for line in images.splitlines()[2:] if line.split()[2:3] == ["image"]]) == 2  # the logo and the chart


def test_every_format_writes_the_briefing_and_reads_it_back(tmp_path, config, charts):
    files, plan = _written(tmp_path, config, charts, _with_chart(1))
    assert set(files) == {writer.suffix for writer in WRITERS.values()}
    for path in files.values():
        assert plan.title.split(":")[0] in output_text(path)


def test_a_word_lost_from_a_briefing_is_reported_with_its_section(tmp_path, config, charts):
    files, plan = _written(tmp_path, config, charts, SAFE_SLEEP)
    text = output_text(files[".pdf"])
    cut = re.sub(r"\bsofa\b", "", text, flags=re.I)
    losses = find_losses("safe-sleep.pdf", cut, briefing_expectations(plan))
    assert [(loss.agency, loss.section, loss.missing_words) for loss in losses] == [
        ("briefing 'Safe sleep for babies'", "section 2 'Why it matters'", ["sofa"]),
        ("briefing 'Safe sleep for babies'", "section 3 'Information'", ["sofa"]),
    ]


def test_a_chart_a_briefing_names_that_report_yaml_does_not_define_stops_check(sample_inputs, config):
    sections = [(h, t) for h, t in SAFE_SLEEP]
    sections[3] = (sections[3][0], sections[3][1] + "\n\n![Funding](chart:no-such-chart)\n")
    write_briefing_yaml(sample_inputs / "briefings", "safe-sleep", sections)
    problems = read_partnership_material(sample_inputs, load_config(sample_inputs / "report.yaml")).problems
    unknown = [p for p in problems if "no-such-chart" in p.message]
    assert len(unknown) == 1 and unknown[0].file.endswith("safe-sleep.yaml") and "charts:" in unknown[0].fix
