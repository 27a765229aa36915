"""The sample returns in inputs/returns/: realistic, complete, reproducible, with exactly the planted problems."""

from __future__ import annotations

import email
import email.policy
import importlib.util
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from assembler.template_fields import INDICATORS_FIELD, SECTION_GUIDANCE, parse_identifier

from conftest import REPO, SAMPLE_INPUTS

RETURNS = SAMPLE_INPUTS / "returns"
GENERATOR = REPO / "tools" / "make_sample_returns.py"
SOURCES = REPO / "tools" / "sample_source" / "returns"
SILENT_AGENCIES = {"public-health", "sendlo"}
TWO_RETURNS = {"wuth", "koala", "cafcass"}


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    return {p.stem: _front_matter(p) for p in sorted(SOURCES.glob("*.md"))}


def _generate(out: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True, capture_output=True, cwd=REPO)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_registered_agency_but_two_sent_something(config, sources):
    sent = {meta["agency"] for meta in sources.values()}
    registered = {a.id for a in config.agencies}
    assert registered - sent == SILENT_AGENCIES
    assert len(registered & sent) == 28
    assert sent - registered == {"wirral-chinese-community-network"}
    per_agency = {a: sum(m["agency"] == a for m in sources.values()) for a in sent}
    assert {a for a, n in per_agency.items() if n == 2} == TWO_RETURNS


def test_generated_folder_matches_the_sources(sources):
    names = {p.name for p in RETURNS.iterdir()}
    assert "README.md" in names
    assert len(names) == len(sources) + 1
    kinds = [Path(n).suffix for n in names if n != "README.md"]
    assert kinds.count(".eml") == 3 and kinds.count(".doc") == 1
    assert kinds.count(".xlsx") >= 4 and kinds.count(".docx") >= 20
    readme = (RETURNS / "README.md").read_text(encoding="utf-8")
    for name in names - {"README.md"}:
        assert f"`{name}`" in readme, name


def test_generation_is_deterministic_and_committed_files_are_current(tmp_path):
    _generate(tmp_path / "one")
    _generate(tmp_path / "two")
    first, second = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert first == second
    committed = _files(RETURNS)
    stale = sorted(n for n in first if committed.get(n) != first[n])
    assert not stale, f"inputs/returns is out of date; run python3 {GENERATOR.relative_to(REPO)}: {stale}"


def test_sample_sizes_are_realistic():
    """Small charities write a few hundred words, large agencies several hundred: both must be handled."""
    words = {}
    for path in RETURNS.glob("*.docx"):
        words[path.name] = sum(len(p.text.split()) for p in Document(str(path)).paragraphs) + sum(
            len(c.text.split()) for t in Document(str(path)).tables for row in t.rows for c in row.cells)
    assert min(words.values()) < 300
    assert max(words.values()) > 700


def test_template_returns_are_filled_content_controls():
    document = Document(str(RETURNS / "Probation Wirral PDU - WSCP return.docx"))
    identity = parse_identifier(document.core_properties.identifier)
    assert (identity.agency_id, identity.period) == ("probation", "2023-24")
    controls = {sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")): sdt for sdt in document.element.body.iter(qn("w:sdt"))}
    about = controls["about"]
    assert about.find(qn("w:sdtPr")).find(qn("w:showingPlcHdr")) is None
    text = "".join(t.text for t in about.iter(qn("w:t")))
    assert "statutory criminal justice service" in text and "Click or tap" not in text
    rows = list(controls[INDICATORS_FIELD].iter(qn("w:tr")))
    assert "".join(t.text for t in rows[1].iter(qn("w:t"))).startswith("Cases with domestic abuse")


def test_koala_draft_has_guidance_and_an_impossible_percentage_but_the_final_is_clean():
    draft = Document(str(RETURNS / "Koala WSCP return draft.docx"))
    final = Document(str(RETURNS / "Koala WSCP return 2023-24 final.docx"))
    draft_text = "\n".join(t.text for t in draft.element.body.iter(qn("w:t")))
    final_controls = [sdt for sdt in final.element.body.iter(qn("w:sdt"))]
    final_filled = "\n".join(t.text for sdt in final_controls for t in sdt.iter(qn("w:t")))
    # The guidance sits outside the controls in every template; only the draft typed it inside one.
    assert draft_text.count(SECTION_GUIDANCE["about"]) == 2
    assert "120%" in draft_text
    assert SECTION_GUIDANCE["about"] not in final_filled and "120%" not in final_filled
    assert draft.core_properties.modified < final.core_properties.modified


def test_wuth_original_has_placeholders_and_the_amendment_does_not():
    old_paragraphs = [p.text for p in Document(str(RETURNS / "WUTH WSCP submission 2023-24.docx")).paragraphs]
    new = "\n".join(p.text for p in Document(str(RETURNS / "WUTH WSCP submission 2023-24 (amended).docx")).paragraphs)
    assert "xx%" in "\n".join(old_paragraphs) and "xx%" not in new
    # The priorities heading is followed straight away by the next heading: the section is empty.
    after = old_paragraphs[old_paragraphs.index("Planned safeguarding priorities for 2024") + 1]
    assert after == "Key figures"
    assert "612" in new


def test_police_return_has_tracked_changes():
    body = Document(str(RETURNS / "WSCP Annual Report 2023-24 - Merseyside Police v3.docx")).element.body
    inserted = "".join(t.text for ins in body.iter(qn("w:ins")) for t in ins.iter(qn("w:t")))
    deleted = "".join(t.text for d in body.iter(qn("w:del")) for t in d.iter(qn("w:delText")))
    assert "468" in inserted and "412" in deleted and "Harm Reduction Unit" in deleted
    assert {e.get(qn("w:author")) for e in body.iter(qn("w:ins"))} == {"Pennington, Sarah (DCI)"}


def test_pictures_keep_alt_text_and_links_survive():
    for name, alt in (("Our Space annual return 23-24.docx", "Bar chart of monthly visits"),
                      ("Lighthouse Centre return.docx", "A child's drawing"),
                      ("DA Hub WSCP return.docx", "Poster for the Domestic Abuse No Excuse campaign")):
        document = Document(str(RETURNS / name))
        descriptions = [e.get("descr") for e in document.element.body.iter(qn("wp:docPr"))]
        assert any(d and d.startswith(alt) for d in descriptions), name
    document = Document(str(RETURNS / "Our Space annual return 23-24.docx"))
    assert "https://www.therightsideofcare.com" in [r.target_ref for r in document.part.rels.values() if r.is_external]


def test_excel_returns_hold_numbers_as_people_type_them():
    wchc = openpyxl.load_workbook(RETURNS / "wchc_annual_return_FINAL v2.xlsx")["Indicators"]
    values = {row[0].value: row[1] for row in wchc.iter_rows(min_row=2) if row[0].value}
    rha = values["CLA with an up-to-date review health assessment"]
    assert rha.value == 0.912 and "%" in rha.number_format
    assert values["Calls to the safeguarding advice line"].value == "1,257"
    early_help = RETURNS / "Early Help return WSCP 23-24.xlsx"
    formulas = openpyxl.load_workbook(early_help)["Indicators"]
    cached = openpyxl.load_workbook(early_help, data_only=True)["Indicators"]
    formula_cells = [c.coordinate for row in formulas.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_cells == ["B6"] and cached["B6"].value is None
    identifier = openpyxl.load_workbook(early_help).properties.identifier
    assert parse_identifier(identifier).agency_id == "early-help"


def test_emails_have_fixed_dates_senders_and_one_hostile_attachment_name():
    messages = {p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in RETURNS.glob("*.eml")}
    assert len(messages) == 3
    for name, message in messages.items():
        assert message["Date"] and message["From"], name
        assert any(part.get_filename() for part in message.iter_attachments()), name
    catch22 = messages["FW Catch22 WSCP annual return.eml"]
    names = [part.get_filename() for part in catch22.iter_attachments()]
    assert names == ["Catch22 WSCP return 2023-24.xlsx", "../../evil.docx"]
    assert "wirral@catch-22.example" in catch22["From"]
    magenta = messages["Magenta Living safeguarding return.eml"]
    assert magenta["Date"].datetime.date().isoformat() == "2024-05-07"  # after the 30 April due date


def test_nspcc_sent_only_a_legacy_doc():
    files = [p for p in RETURNS.iterdir() if p.name.startswith("NSPCC")]
    assert [p.suffix for p in files] == [".doc"]
    assert files[0].read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")


def test_barnardos_section_is_over_its_word_limit(config):
    table = Document(str(RETURNS / "Barnardos Wirral services - WSCP submission.docx")).tables[0]
    about = table.rows[0].cells[1].text
    assert table.rows[0].cells[0].text == "About our agency and what we do"
    assert len(about.split()) > config.rules.word_limits["about"]


# --- what `assembler check` says (the intake lands separately) --------------------------------

@pytest.fixture(scope="module")
def intake(sample_config, tmp_path_factory):
    if importlib.util.find_spec("assembler.intake") is None:
        pytest.skip("assembler.intake is not there yet")
    from assembler.intake import read_returns

    return read_returns([RETURNS], sample_config, tmp_path_factory.mktemp("images"))


def test_check_finds_exactly_the_planted_problems(intake):
    accepted = {s.agency_id for s in intake.accepted}
    assert len(accepted) == 27 and "nspcc" not in accepted
    assert not [p for s in intake.accepted for p in s.problems if p.severity == "error"]
    warnings = {(s.agency_id, p.message.casefold()) for s in intake.accepted for p in s.problems}
    expected = {
        "barnardos": "340 words",
        "koala": "2 returns",
        "wuth": "2 returns",
        "early-help": "formula",
        "forum-housing": "after the due date",
        "magenta-living": "after the due date",
        "merseyside-police": "tracked changes",
        "our-space": "emoji",  # kept, with the warning that Word may print it as a box
    }
    assert {agency for agency, _ in warnings} == set(expected)
    for agency, words in expected.items():
        assert any(words in message for a, message in warnings if a == agency), (agency, words)
    assert len(warnings) == len(expected)
    # Notes, asking nothing: lines typed as sub-headings (bold lines; plain lines in a cell) read as headings.
    notes = {n.agency_id: n.message for n in intake.notes if n.code == "subheadings_read" and n.severity == "note"}
    assert notes == {
        "yjs": "3 lines typed as sub-headings were read as headings (activity: 'In the Zone', 'Operation Inclusion', 'Turnaround')",
        "wchc": "5 lines typed as sub-headings were read as headings (activity: 'Safeguarding walkabouts', 'Listening to "
                "children looked after', 'Quality of review health assessments', '16 Plus team and foster carers', 'Assurance data')",
    }


def test_check_lists_superseded_rejected_unknown_and_missing(intake):
    superseded = {Path(s.source.path).name: s for s in intake.superseded}
    assert set(superseded) == {"Cafcass Wirral return 2022-23.docx", "Koala WSCP return draft.docx",
                               "WUTH WSCP submission 2023-24.docx"}
    messages = lambda name: " ".join(p.message for p in superseded[name].problems)
    assert "2022-23" in messages("Cafcass Wirral return 2022-23.docx")
    assert "this is last year's return (2022-23)" in messages("Cafcass Wirral return 2022-23.docx")
    assert "120" in messages("Koala WSCP return draft.docx") and "placeholder" in messages("Koala WSCP return draft.docx")
    assert "xx%" in messages("WUTH WSCP submission 2023-24.docx") and "TBC" in messages("WUTH WSCP submission 2023-24.docx")
    assert "empty" in messages("WUTH WSCP submission 2023-24.docx")

    rejected = {Path(r.file).name: r for r in intake.rejected}
    assert set(rejected) == {"FW Catch22 WSCP annual return.eml", "NSPCC Wirral WSCP return 2023-24.doc"}
    assert "evil.docx" in rejected["FW Catch22 WSCP annual return.eml"].message
    assert ".doc" in rejected["NSPCC Wirral WSCP return 2023-24.doc"].message
    assert not (RETURNS.parent.parent / "evil.docx").exists() and not (REPO.parent / "evil.docx").exists()

    assert [s.agency_name for s in intake.unknown] == ["Wirral Chinese Community Network"]
    assert {a.id for a in intake.missing} == {"nspcc", "sendlo", "public-health"}


def test_indicators_typed_as_text_become_numbers(intake):
    indicators = {(s.agency_id, i.label): i for s in intake.accepted for i in s.indicators}
    assert indicators[("wchc", "CLA with an up-to-date review health assessment")].value == pytest.approx(91.2)
    assert indicators[("wchc", "Calls to the safeguarding advice line")].value == 1257
    catch22 = indicators[("catch22", "Additional funding secured for mentoring")]
    assert (catch22.value, catch22.unit) == (34000, "£")
    assert indicators[("nwas", "Referrals sent to the local authority within 24 hours")].value == pytest.approx(98.1)
