"""Every abbreviation in the report is in the glossary or spelt out at first use (issue 21): check and build
list the missing ones with their count and first use; report.yaml's glossary entries print in the glossary."""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from pypdf import PdfReader

from assembler.checks.acronyms import abbreviation_warning, glossary_terms, missing_abbreviations
from assembler.cli import main
from assembler.schema import Chapter, Paragraph, Partnership, Report, Run, Table

from conftest import SAMPLE_INPUTS

ISSUE_GAPS = ("WSCP", "DBS", "MAPPA", "ADCS", "CP", "PPU", "DASH", "IDVA", "ED")


def _report(*paragraphs: str, glossary_rows=(("CAMHS", "Child and adolescent mental health services."),)) -> Report:
    chapters = [Chapter(id="intro", title="Introduction", blocks=[Paragraph(runs=[Run(text=p)]) for p in paragraphs]),
                Chapter(id="glossary", title="Glossary", blocks=[Table(header_rows=[["Term", "Meaning"]],
                                                                          rows=[list(r) for r in glossary_rows])])]
    return Report(partnership=Partnership(name="Wirral Safeguarding Children Partnership", short_name="WSCP"),
                  period="2023-24", plan_period="2024-25", chapters=chapters)


def test_missing_abbreviations_are_counted_and_placed_at_first_use(config):
    config = config.model_copy(update={"glossary": {}, "chapters": ["intro", "glossary"], "agency_chapter": "intro"})
    report = _report(
        "The WSCP met. Multi-Agency Public Protection Arrangements (MAPPA) work well; MAPPA met twice.",
        "Protecting Vulnerable People (PPU) teams and the WSCP and CAMHS and the NHS in the UK.",
        "MY Voice helps; the SAFE system is safe. Two IDVAs and one IDVA; the DBS (Disclosure and Barring Service).",
        "Annex IV and YMCA Wirral, NSPCC and the Child Protection Information Sharing system (CP-IS), Wallasey CH44 8ED.",
    )
    missing = {m.abbreviation: m for m in missing_abbreviations(report, config)}
    assert set(missing) == {"WSCP", "PPU", "IDVA"}  # spelt out, in the glossary, names, words in capitals: not listed
    assert missing["WSCP"].uses == 2 and missing["IDVA"].uses == 2 and missing["WSCP"].first_used == "Introduction"
    warning = str(abbreviation_warning(list(missing.values()), "inputs/report.yaml"))
    assert "WSCP (2 uses, first in Introduction)" in warning and "PPU (1 use, first in Introduction)" in warning
    assert "glossary:" in warning


def test_report_yaml_entries_define_and_the_glossary_table_defines(config):
    report = _report("The WSCP and CAMHS met.")
    assert not missing_abbreviations(report, config.model_copy(update={"glossary": {"WSCP": "Wirral Safeguarding Children Partnership"},
                                                                    "chapters": ["intro", "glossary"], "agency_chapter": "intro"}))
    assert {"CAMHS", "WSCP"} <= glossary_terms(report, config)


def _run(*args: str) -> tuple[int, str]:
    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(printed):
        code = main(list(args))
    return code, " ".join(printed.getvalue().split())


@pytest.fixture(scope="module")
def without_dbs(tmp_path_factory) -> Path:
    """The sample with two glossary entries taken out of report.yaml."""
    inputs = tmp_path_factory.mktemp("acronyms") / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    yaml = inputs / "report.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = re.sub(r"\n  (DBS|MAPPA): [^\n]*", "", text)
    yaml.write_text(text, encoding="utf-8")
    return inputs


def test_the_sample_defines_every_abbreviation_it_uses(config):
    from assembler.assemble import load_partnership_content
    from assembler.intake import read_returns

    assert set(ISSUE_GAPS) <= set(config.glossary)
    intake = read_returns([SAMPLE_INPUTS / "returns"], config, None)
    content = load_partnership_content(SAMPLE_INPUTS, config, intake.accepted)
    assert missing_abbreviations(content.report, config) == []
    assert not [w for w in content.warnings if w.field == "glossary"]


def test_check_and_build_list_the_missing_ones_and_the_glossary_prints_report_yaml_s(without_dbs: Path, tmp_path: Path):
    expected = ("2 abbreviations are used in the report but neither in the glossary nor spelt out at first use: "
                "DBS (2 uses, first in Koala North West: About our agency and what we do); "
                "MAPPA (1 use, first in Probation Service (Merseyside): About our agency and what we do)")
    code, printed = _run("check", "--inputs", str(without_dbs), "--chase-out", str(tmp_path / "chase"))
    assert expected in printed and "warning" in printed
    code, printed = _run("build", "--inputs", str(without_dbs), "--out", str(tmp_path / "out"), "--verbose")
    assert code == 0 and expected in printed
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "out" / "annual-report.pdf").pages]
    glossary = next(i for i, text in enumerate(pages) if "Abbreviations and terms used in this report" in text)
    text = " ".join(pages[glossary:])
    assert "WSCP Wirral Safeguarding Children Partnership." in text and "PPU Public Protection Unit" in text
    assert text.index("ICB") < text.index("IDVA") < text.index("JTAI")  # in alphabetical order among the chapter's own
