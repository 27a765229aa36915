"""The one-page summary: its sources (chapter bullets, workbook figures, tiles) and the one-page rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assembler.assemble import load_partnership_content
from assembler.config.model import KeyFigure as KeyFigureSpec
from assembler.errors import InputError
from assembler.writers.one_pagers import write_onepagers
from assembler.document.summary import summary_content
from assembler.schema import Briefing, BriefingSection, CaseStudy, Chapter, DataTable, Heading, Paragraph, Partnership, Report, Run, SourceFile, Submission
from tests.onepage_helpers import pdf_pages, pdf_text, write_briefing_yaml, SAFE_SLEEP

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"


@pytest.fixture(scope="module")
def sample(sample_config, tmp_path_factory):
    from assembler.intake import read_returns

    # With the returns: the summary's case study tile is the report's case study, from Cafcass's return.
    intake = read_returns([INPUTS / "returns"], sample_config, tmp_path_factory.mktemp("images"))
    content = load_partnership_content(INPUTS, sample_config, intake.accepted)
    assert not content.problems, content.problems
    return content.report


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample, sample_config):
    out = tmp_path_factory.mktemp("outputs")
    paths = write_onepagers(sample, sample_config, INPUTS, out, {"summary"})
    return out, paths


def _without_tiles(config):
    """For a made-up report, which mentions none of the sample's case studies and resources."""
    return config.model_copy(update={"summary": config.summary.model_copy(update={"case_studies": [], "resources": []})})


def _report(chapters, tables=None, submissions=()):
    return Report(partnership=Partnership(name="P", short_name="P"), period="2023-24", plan_period="2024-25",
                  chapters=chapters, data=tables or {}, submissions=list(submissions))


def _table():
    return DataTable(id="training.attendance", title="attendance", columns=["Sector", "Attendees"],
                     rows=[["Health", 100.0], ["Police", 20.5]])


def test_summary_files_are_written_and_the_pdf_is_one_page(built):
    out, paths = built
    assert paths == [out / "summary.docx", out / "summary.pdf"]
    assert pdf_pages(out / "summary.pdf") == 1


def test_summary_pdf_shows_every_chapter_block_figure_and_tile(built, sample, config):
    out, _ = built
    text = re.sub(r"\s+", " ", pdf_text(out / "summary.pdf"))
    chapters = [c for c in sample.chapters if c.summary_bullets]
    assert len(chapters) >= 2
    for chapter in chapters:
        assert chapter.summary_heading in text
        for bullet in chapter.summary_bullets:
            assert re.sub(r"\s+", " ", bullet) in text, f"bullet from {chapter.source} missing: {bullet}"
    assert "43,000" in text and "visits to our website" in text
    assert "372" in text and "956" in text  # the protection-plan figure and the total of training.attendance
    for name in config.summary.case_studies + config.summary.resources:
        assert name in text
    assert "https://www.wirralsafeguarding.co.uk" in text and "2023-24" in text


def test_summary_docx_has_title_logo_alt_and_every_bullet(built, sample, config):
    from docx import Document

    out, _ = built
    document = Document(str(out / "summary.docx"))
    assert document.core_properties.title == "WSCP Annual report summary 2023-24"
    assert document.inline_shapes[0]._inline.docPr.get("descr") == config.brand.logo_alt
    text = "\n".join(p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs)
    for chapter in sample.chapters:
        for bullet in chapter.summary_bullets:
            assert bullet in text
    tiles = document.tables[-1]
    assert [c.text for c in tiles.rows[0].cells] == ["Case studies", "Resources"]
    assert tiles.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_summary_docx_carries_nothing_of_its_template(built, config):
    """No preview picture of a blank page, no Word 2010 copy of the styles, no template title or dates."""
    import zipfile

    from docx import Document

    out, _ = built
    names = zipfile.ZipFile(out / "summary.docx").namelist()
    assert "word/styles.xml" in names
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    core = Document(str(out / "summary.docx")).core_properties
    assert (core.subject, core.comments, core.author) == (core.title, "", config.partnership.name)
    assert core.created.date() == core.modified.date() == core.last_printed.date() == config.publication_date


def test_bullets_come_only_from_chapters_that_have_them(config):
    chapters = [
        Chapter(id="a", title="A", blocks=[], summary_heading="First block", summary_bullets=["One.", "Two."], source="chapters/a.md"),
        Chapter(id="b", title="B", blocks=[]),
        Chapter(id="c", title="C title", blocks=[], summary_bullets=["Three."], source="chapters/c.md"),
    ]
    content = summary_content(_report(chapters, {"training.attendance": _table(), "communications.website": DataTable(
        id="communications.website", title="w", columns=["Measure", "Value"], rows=[["Website visits", 43000.0]]),
        "social-care.figures": DataTable(id="social-care.figures", title="f", columns=["Measure", "Value"],
                                         rows=[["Children subject to a child protection plan", 372.0]])}), _without_tiles(config), INPUTS)
    assert [(b.heading, b.bullets, b.source) for b in content.blocks] == [
        ("First block", ["One.", "Two."], "chapters/a.md"), ("C title", ["Three."], "chapters/c.md")]
    assert [f.value for f in content.figures] == ["43,000", "372", "120"]  # total of Attendees: 100 + 20.5, rounded


def test_key_figures_by_expression_and_case_studies_from_returns(config):
    chapter = Chapter(id="a", title="A", blocks=[], summary_bullets=["One."])
    summary = config.summary.model_copy(update={
        "key_figures": [KeyFigureSpec(label="trained", expression='{{ total("training.attendance", "Attendees") | number(1) }}')],
        "case_studies": [], "resources": [],
    })
    cfg = config.model_copy(update={"summary": summary})
    source = SourceFile(path="returns/x.docx", sha256="0" * 64, format="docx")
    submissions = [Submission(agency_id="x", agency_name="X", period="2023-24", source=source,
                              case_studies=[CaseStudy(title="Family Toolbox", blocks=[]), CaseStudy(title="Noah review", blocks=[])])]
    content = summary_content(_report([chapter], {"training.attendance": _table()}, submissions), cfg, INPUTS)
    assert [(f.value, f.label) for f in content.figures] == [("120.5", "trained")]
    assert content.case_studies == ["Family Toolbox (X)", "Noah review (X)"]  # as the report heads them


def test_a_key_figure_that_names_a_missing_row_is_an_error_naming_the_setting(config):
    summary = config.summary.model_copy(update={
        "key_figures": [KeyFigureSpec(label="x", table="training.attendance", row="Fire", column="Attendees")]})
    with pytest.raises(InputError) as caught:
        summary_content(_report([Chapter(id="a", title="A", blocks=[], summary_bullets=["One."])], {"training.attendance": _table()}),
                        config.model_copy(update={"summary": summary}), INPUTS)
    assert caught.value.field == "summary.key_figures.1"
    assert caught.value.file.endswith("report.yaml") and "no row 'Fire'" in caught.value.message


def _with_case_study(chapter: Chapter) -> Report:
    source = SourceFile(path="returns/x.docx", sha256="0" * 64, format="docx")
    study = CaseStudy(title="Hearing from a child who did not want to talk", blocks=[Paragraph(runs=[Run(text="A boy of nine.")])])
    submission = Submission(agency_id="cafcass", agency_name="Cafcass", period="2023-24", source=source, case_studies=[study])
    return _report([chapter], {}, [submission])


def test_a_tile_names_a_case_study_block_or_a_link_or_heading_not_just_words_the_report_has(config):
    """Issue 21: an agency, a committee or a bullet is not a case study; a resource is what the report links to
    or heads a section with, not any words it happens to contain."""
    chapter = Chapter(id="a", title="A", blocks=[
        Heading(level=2, text="Spotlight briefings and 7-minute briefings"),
        Paragraph(runs=[Run(text="The Family Toolbox and the Domestic Abuse Hub made staff happy; see our "),
                        Run(text="case reviews ", link="https://x.org/r"), Run(text="page", bold=True, link="https://x.org/r")])],
        summary_bullets=["One."])
    summary = config.summary.model_copy(update={"key_figures": [], "case_studies": ["Family Toolbox", "Hearing from a child who did not want to talk"],
                                                "resources": ["Spotlight briefings", "case reviews page", "Domestic Abuse Hub", "App"]})
    with pytest.raises(InputError) as caught:
        summary_content(_with_case_study(chapter), config.model_copy(update={"summary": summary}), INPUTS)
    message = caught.value.message
    assert caught.value.field == "summary.case_studies and summary.resources" and caught.value.file.endswith("report.yaml")
    assert "'Family Toolbox', 'Domestic Abuse Hub' and 'App'" in message
    assert "its case studies: 'Hearing from a child who did not want to talk (Cafcass)'" in message
    summary = summary.model_copy(update={"case_studies": ["Hearing from a child who did not want to talk (Cafcass)"],
                                         "resources": ["Spotlight briefings", "Case reviews page"]})
    content = summary_content(_with_case_study(chapter), config.model_copy(update={"summary": summary}), INPUTS)
    assert content.case_studies == ["Hearing from a child who did not want to talk (Cafcass)"]


def test_a_briefing_s_title_does_not_count_as_in_the_report(config):
    """The briefings are published beside the report, not printed in it."""
    chapter = Chapter(id="a", title="A", blocks=[], summary_bullets=["One."])
    briefing = Briefing(slug="b", title="Contextual safeguarding", date="2024-05-01", audience="All",
                        sections=[BriefingSection(heading=f"H{n}", blocks=[]) for n in range(7)])
    summary = config.summary.model_copy(update={"key_figures": [], "case_studies": [], "resources": ["Contextual safeguarding"]})
    report = _report([chapter]).model_copy(update={"briefings": [briefing]})
    with pytest.raises(InputError, match="'Contextual safeguarding'"):
        summary_content(report, config.model_copy(update={"summary": summary}), INPUTS)


def test_no_summary_bullets_at_all_is_an_error(config):
    with pytest.raises(InputError, match="no chapter has summary bullets"):
        summary_content(_report([Chapter(id="a", title="A", blocks=[])]), config, INPUTS)


def test_a_summary_far_too_long_names_the_longest_block(tmp_path, sample, config):
    long = sample.chapters[0].model_copy(update={"summary_bullets": ["Partners worked together to keep children safe. " * 12] * 12})
    report = sample.model_copy(update={"chapters": [long, *sample.chapters[1:]]})
    with pytest.raises(InputError) as caught:
        write_onepagers(report, config, INPUTS, tmp_path, {"summary"})
    message = str(caught.value)
    assert "does not fit on one page even at the smallest type (8 pt)" in message
    assert re.search(r"over by about \d+ lines \(about \d+ words\)", message)
    assert f"the block '{long.summary_heading}' (summary_bullets in {long.source})" in message


def test_briefings_are_written_per_slug(tmp_path, sample, config):
    from assembler.content.briefings import load_briefing

    briefing = load_briefing(write_briefing_yaml(tmp_path / "in", "safe-sleep", SAFE_SLEEP))
    report = sample.model_copy(update={"briefings": [briefing]})
    paths = write_onepagers(report, config, INPUTS, tmp_path / "out", {"briefings"})
    assert paths == [tmp_path / "out" / "briefings" / "safe-sleep.docx", tmp_path / "out" / "briefings" / "safe-sleep.pdf"]
    assert not (tmp_path / "out" / "summary.pdf").exists()


def test_summary_is_deterministic(tmp_path, sample, config):
    first = write_onepagers(sample, config, INPUTS, tmp_path / "a", {"summary"})
    second = write_onepagers(sample, config, INPUTS, tmp_path / "b", {"summary"})
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.libreoffice
def test_summary_docx_prints_on_one_page_with_every_bullet(built, sample, tmp_path):
    import shutil
    import subprocess

    out, _ = built
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out / "summary.docx")], check=True, capture_output=True, timeout=180)
    assert pdf_pages(tmp_path / "summary.pdf") == 1
    text = re.sub(r"\s+", " ", pdf_text(tmp_path / "summary.pdf"))
    for chapter in sample.chapters:
        for bullet in chapter.summary_bullets:
            assert re.sub(r"\s+", " ", bullet) in text


def test_summary_is_tagged_and_passes_the_accessibility_checks(built, sample):
    import pikepdf

    from assembler.checks.docx_accessibility import check_docx
    from assembler.checks.pdf_accessibility import check_pdf, structure_text, walk_structure

    out, _ = built
    assert check_pdf(out / "summary.pdf") == []
    assert check_docx(out / "summary.docx") == []
    with pikepdf.open(out / "summary.pdf") as pdf:
        roles = [e.role for e in walk_structure(pdf)]
    assert roles.count("/Sect") == len([c for c in sample.chapters if c.summary_bullets])
    assert "/Table" in roles and "/TH" in roles and "/Figure" in roles
    tagged = structure_text(out / "summary.pdf")
    assert [t for r, t in tagged if r == "H1"] == ["Annual report summary 2023-24"]
    assert [t for r, t in tagged if r == "H3"] == [c.summary_heading for c in sample.chapters if c.summary_bullets]


def test_a_briefing_that_cannot_fit_stops_only_itself(tmp_path, sample, config):
    from assembler.content.briefings import load_briefing
    from tests.onepage_helpers import HEADINGS, filler

    good = load_briefing(write_briefing_yaml(tmp_path / "in", "a-good", SAFE_SLEEP))
    bad = load_briefing(write_briefing_yaml(tmp_path / "in", "b-too-long", [(h, filler(200, i)) for i, h in enumerate(HEADINGS)]))
    report = sample.model_copy(update={"briefings": [bad, good]})
    problems: list[InputError] = []
    paths = write_onepagers(report, config, INPUTS, tmp_path / "out", {"briefings", "summary"}, problems=problems)
    assert [p.name for p in paths] == ["summary.docx", "summary.pdf", "a-good.docx", "a-good.pdf"]
    assert len(problems) == 1 and problems[0].file.endswith("b-too-long.yaml") and "over by about" in problems[0].message
    with pytest.raises(InputError, match="b-too-long.yaml"):
        write_onepagers(report, config, INPUTS, tmp_path / "again", {"briefings"})


@pytest.mark.libreoffice
def test_every_sample_one_pager_docx_prints_on_one_page_with_nothing_clipped(tmp_path, sample, config):
    import shutil
    import subprocess

    from assembler.content.briefings import load_briefings
    from assembler.schema import plain_text
    from tests.onepage_helpers import words_of

    briefings, problems = load_briefings(INPUTS)
    assert not problems
    report = sample.model_copy(update={"briefings": briefings})
    written = write_onepagers(report, config, INPUTS, tmp_path / "out", {"summary", "briefings"})
    documents = [p for p in written if p.suffix == ".docx"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "printed"), *map(str, documents)], check=True, capture_output=True, timeout=300)
    for document in documents:
        printed = tmp_path / "printed" / f"{document.stem}.pdf"
        assert pdf_pages(printed) == 1, document.name
    # exact row heights clip overflowing text, so every word printing means nothing was cut off
    for briefing in briefings:
        printed = set(re.findall(r"[A-Za-z0-9'’]+", pdf_text(tmp_path / "printed" / f"{briefing.slug}.pdf")))
        for section in briefing.sections:
            assert set(words_of(plain_text(section.blocks))) <= printed, f"{briefing.slug}: '{section.heading}' clipped in Word"


def test_a_summary_without_logo_figures_or_tiles_still_fits_and_uses_the_room(tmp_path, sample, config, built):
    bare = config.model_copy(update={
        "summary": config.summary.model_copy(update={"key_figures": [], "case_studies": [], "resources": []}),
        "brand": config.brand.model_copy(update={"logo": None}),
    })
    from assembler.writers.pdf.summary import fit_summary

    full = fit_summary(summary_content(sample, config, INPUTS))
    sample = sample.model_copy(update={"submissions": []})  # no case studies of the returns' to fill the tiles with
    layout = fit_summary(summary_content(sample, bare, INPUTS))
    assert layout.body_size >= full.body_size  # the space the bands took goes to the bullets
    paths = write_onepagers(sample, bare, INPUTS, tmp_path, {"summary"})
    assert pdf_pages(paths[1]) == 1 and "Case studies" not in pdf_text(paths[1])
