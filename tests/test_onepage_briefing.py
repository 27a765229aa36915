"""7-minute briefings: one page, seven numbered boxes, every word, and the fitting rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assembler.content.briefings import load_briefing
from assembler.errors import InputError
from assembler.document.briefing import plan_briefing
from assembler.writers.pdf.briefing import GAP, fit_briefing
from assembler.writers.pdf.briefing import write_briefing_pdf as draw_briefing_pdf
from assembler.writers.pdf.fit import MIN_BODY_SIZE, sizes_to_try
from tests.onepage_helpers import HEADINGS, SAFE_SLEEP, filler, pdf_pages, pdf_text, words_of, write_briefing_yaml


def write_briefing_pdf(briefing, config, inputs, path, charts=None):
    """The briefing's plan, fitted to its page and drawn: the measured layout, as the DOCX is given it."""
    plan = plan_briefing(briefing, config, inputs, charts or {})
    layout = fit_briefing(plan)
    draw_briefing_pdf(plan, layout, path)
    return layout

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"


def test_briefing_pdf_is_one_page_with_numbers_headings_and_every_word(tmp_path, config):
    briefing = load_briefing(write_briefing_yaml(tmp_path, "safe-sleep", SAFE_SLEEP))
    out = tmp_path / "safe-sleep.pdf"
    layout = write_briefing_pdf(briefing, config, INPUTS, out)
    assert pdf_pages(out) == 1
    assert layout.body_size == 11  # short text keeps the brand size
    text = pdf_text(out)
    lines = [line.strip() for line in text.splitlines()]
    for number, (heading, body) in enumerate(SAFE_SLEEP, start=1):
        # the badge number is on the line before its heading
        at = lines.index(heading)
        assert lines[at - 1] == str(number), f"no number {number} before '{heading}'"
        missing = set(words_of(body)) - set(re.findall(r"[A-Za-z0-9'’]+", text))
        assert not missing, f"section {number} lost words: {missing}"
    assert "Safe sleep for babies" in text and "1 May 2024" in text and "All practitioners" in text


def test_briefing_with_three_times_too_much_text_fails_with_the_over_by_message(tmp_path, config):
    # about 45 words a box fit at 11 pt; 150 is more than three times that and too much even at 8 pt
    sections = [(h, filler(150 if i != 2 else 180, i)) for i, h in enumerate(HEADINGS)]
    briefing = load_briefing(write_briefing_yaml(tmp_path, "too-long", sections))
    with pytest.raises(InputError) as caught:
        write_briefing_pdf(briefing, config, INPUTS, tmp_path / "too-long.pdf")
    error = caught.value
    assert error.file.endswith("too-long.yaml")
    message = str(error)
    assert f"even at the smallest type ({MIN_BODY_SIZE:g} pt)" in message
    over = re.search(r"over by about (\d+) lines \(about (\d+) words\)", message)
    assert over and int(over.group(1)) > 5 and int(over.group(2)) > 50, message
    assert "the longest section is section 3 'Information' (181 words)" in message
    assert not (tmp_path / "too-long.pdf").exists()


def test_slightly_too_much_text_fits_at_a_smaller_size(tmp_path, config):
    sections = [(h, filler(50, i)) for i, h in enumerate(HEADINGS)]
    briefing = load_briefing(write_briefing_yaml(tmp_path, "longer", sections))
    out = tmp_path / "longer.pdf"
    layout = write_briefing_pdf(briefing, config, INPUTS, out)
    assert layout.body_size == 10.0  # measured: 11 and 10.5 overflow, 10 fits
    assert pdf_pages(out) == 1
    # "children" is in no heading, title or footer: every one printed comes from a section
    assert pdf_text(out).count("children") == sum(t.count("children") for _, t in sections)


def test_sizes_step_down_by_half_a_point_to_the_floor():
    assert sizes_to_try(11) == [11, 10.5, 10, 9.5, 9, 8.5, 8]
    assert sizes_to_try(14) == sizes_to_try(11)  # one-pagers never start above 11 pt
    assert sizes_to_try(9.7) == [9.5, 9, 8.5, 8]


@pytest.mark.parametrize("count, advice", [(6, "add the missing ones"), (8, "merge two of them")])
def test_six_or_eight_sections_is_a_clear_error(tmp_path, count, advice):
    sections = [(f"Part {i}", "Some text.") for i in range(1, count + 1)]
    path = write_briefing_yaml(tmp_path, f"count-{count}", sections)
    with pytest.raises(InputError) as caught:
        load_briefing(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"exactly 7 numbered sections, this one has {count}" in message and advice in message


def test_briefing_pdf_is_deterministic(tmp_path, config):
    briefing = load_briefing(write_briefing_yaml(tmp_path, "safe-sleep", SAFE_SLEEP))
    write_briefing_pdf(briefing, config, INPUTS, tmp_path / "a.pdf")
    write_briefing_pdf(briefing, config, INPUTS, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def _write_pair(tmp_path: Path, config, sections, slug: str = "safe-sleep"):
    from assembler.writers.docx.briefing import write_briefing_docx

    briefing = load_briefing(write_briefing_yaml(tmp_path, slug, sections))
    layout = write_briefing_pdf(briefing, config, INPUTS, tmp_path / f"{slug}.pdf")
    write_briefing_docx(plan_briefing(briefing, config, INPUTS, {}), layout, tmp_path / f"{slug}.docx")
    return layout, tmp_path / f"{slug}.docx"


def test_briefing_docx_has_the_same_content_in_fixed_cells(tmp_path, config):
    from docx import Document

    layout, path = _write_pair(tmp_path, config, SAFE_SLEEP)
    document = Document(str(path))
    assert document.core_properties.title == "7-minute briefing: Safe sleep for babies"
    header, grid = document.tables
    headings = [p.text.strip() for cell in (c for row in grid.rows for c in row.cells)
                for p in cell.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{n}  {h}" for n, (h, _) in enumerate(SAFE_SLEEP, start=1)]
    rows = [round(row.height.pt, 1) for row in grid.rows]
    # each row is the PDF's box height plus half a gap on each inner edge
    assert rows == [round(h + GAP / 2 * ((i > 0) + (i < 3)), 1) for i, h in enumerate(layout.row_heights)]
    assert all(row.height_rule == 2 for row in grid.rows)  # WD_ROW_HEIGHT_RULE.EXACTLY
    boxes = [cell for row in grid.rows for cell in row.cells][:7]
    body_sizes = {run.font.size.pt for cell in boxes for p in cell.paragraphs if p.style.name != "Heading 2" for run in p.runs}
    assert body_sizes == {layout.body_size}
    text = "\n".join(p.text for row in grid.rows for cell in row.cells for p in cell.paragraphs)
    for _, body in SAFE_SLEEP:
        assert set(words_of(body)) <= set(re.findall(r"[A-Za-z0-9'’]+", text))
    picture = document.inline_shapes[0]._inline.docPr
    assert picture.get("descr") == config.brand.logo_alt


@pytest.mark.libreoffice
@pytest.mark.parametrize("words", [0, 50])
def test_briefing_docx_prints_on_one_page_with_nothing_cut_off(tmp_path, config, words):
    import shutil
    import subprocess

    sections = SAFE_SLEEP if not words else [(h, filler(words, i)) for i, h in enumerate(HEADINGS)]
    _, path = _write_pair(tmp_path, config, sections)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(path)], check=True, capture_output=True, timeout=180)
    printed = tmp_path / "lo" / "safe-sleep.pdf"
    assert pdf_pages(printed) == 1
    text = pdf_text(printed)
    # exact row heights clip what does not fit, so every word showing means nothing overflowed
    for _, body in sections:
        assert set(words_of(body)) <= set(re.findall(r"[A-Za-z0-9'’]+", text))
    if words:
        assert text.count("children") == sum(t.count("children") for _, t in sections)


def test_briefing_pdf_is_tagged_with_a_sect_per_box_and_passes_the_checks(tmp_path, config):
    import pikepdf

    from assembler.checks.docx_accessibility import check_docx
    from assembler.checks.pdf_accessibility import check_pdf, structure_text, walk_structure

    _, docx_path = _write_pair(tmp_path, config, SAFE_SLEEP)
    pdf_path = tmp_path / "safe-sleep.pdf"
    assert check_pdf(pdf_path) == []
    assert check_docx(docx_path) == []
    with pikepdf.open(pdf_path) as pdf:
        elements = list(walk_structure(pdf))
    sects = [e for e in elements if e.role == "/Sect"]
    assert [str(e.obj.T) for e in sects] == [h for h, _ in SAFE_SLEEP]
    for sect in sects:  # the box's heading is inside its Sect
        kids = [k for k in sect.obj.K] if isinstance(sect.obj.K, pikepdf.Array) else [sect.obj.K]
        assert str(kids[0].S) == "/H2"
    headings = [text for role, text in structure_text(pdf_path) if role == "H2"]
    assert headings == [f"{n} {h}" for n, (h, _) in enumerate(SAFE_SLEEP, start=1)]
    assert [text for role, text in structure_text(pdf_path) if role == "H1"] == ["Safe sleep for babies"]


SAMPLE_BRIEFINGS = sorted((INPUTS / "briefings").glob("*.yaml"))


@pytest.mark.skipif(not SAMPLE_BRIEFINGS, reason="no sample briefings in inputs/briefings")
@pytest.mark.parametrize("source", SAMPLE_BRIEFINGS, ids=lambda p: p.stem)
def test_every_sample_briefing_is_one_page_with_its_numbers_headings_and_words(tmp_path, config, source):
    from assembler.schema import plain_text

    briefing = load_briefing(source)
    out = tmp_path / f"{briefing.slug}.pdf"
    layout = write_briefing_pdf(briefing, config, INPUTS, out)
    assert pdf_pages(out) == 1 and 8 <= layout.body_size <= 11
    text = pdf_text(out)
    lines = [line.strip() for line in text.splitlines()]
    printed = set(re.findall(r"[A-Za-z0-9'’]+", text))
    for number, section in enumerate(briefing.sections, start=1):
        heading_words = " ".join(section.heading.split())
        at = next(i for i, line in enumerate(lines) if line.startswith(heading_words[:20]))
        assert lines[at - 1] == str(number)
        missing = set(words_of(plain_text(section.blocks))) - printed
        assert not missing, f"{source.name} section {number} lost {missing}"


def test_the_over_by_estimate_is_about_right(tmp_path, config):
    """Cutting the words the message asks for (spread over the boxes, a little extra) makes it fit; half does not."""
    def attempt(words: int, slug: str):
        sections = [(h, filler(words, i)) for i, h in enumerate(HEADINGS)]
        return write_briefing_pdf(load_briefing(write_briefing_yaml(tmp_path, slug, sections)), config, INPUTS, tmp_path / f"{slug}.pdf")

    with pytest.raises(InputError) as caught:
        attempt(150, "over")
    to_cut = int(re.search(r"about (\d+) words", caught.value.message).group(1))
    assert attempt(150 - round(to_cut * 1.2 / 7), "cut-enough").body_size == MIN_BODY_SIZE
    with pytest.raises(InputError):
        attempt(150 - round(to_cut * 0.5 / 7), "cut-half")


def test_briefing_docx_is_deterministic(tmp_path, config):
    _, first = _write_pair(tmp_path / "a", config, SAFE_SLEEP)
    _, second = _write_pair(tmp_path / "b", config, SAFE_SLEEP)
    assert first.read_bytes() == second.read_bytes()
