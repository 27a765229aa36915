"""The table of readers drives intake: a kind with a row is read by its reader, a kind without one is refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assembler.intake import read_file, read_returns
from assembler.problems import Problem
from assembler.readers.base import ReturnContent
from assembler.readers.table import READERS, Reader
from assembler.schema import Paragraph, Run, plain_text
from assembler.template_fields import TEMPLATE_FORMATS
from test_readers_builders import rows_workbook

REPO = Path(__file__).resolve().parent.parent
MAGIC = b"FAKE-RETURN 1\n"


def _read_fake(path: Path, image_dir: Path) -> ReturnContent:
    """A reader for a made-up format: 'FAKE-RETURN 1', then the agency's name, then its 'about' text."""
    _, agency, about = path.read_text(encoding="utf-8").split("\n", 2)
    content = ReturnContent(agency_name=agency, title_text=agency)
    content.sections["about"] = [Paragraph(runs=[Run(text=about.strip())])]
    return content


FAKE = Reader("fake", (".fake",), _read_fake, recognise=lambda head: head.startswith(MAGIC))


@pytest.fixture()
def spied_excel(monkeypatch):
    """The Excel row with its reader watched: what it was given to read."""
    given: list[str] = []
    row = READERS["xlsx"]
    monkeypatch.setitem(READERS, "xlsx", replace(row, read=lambda path, images: given.append(path.name) or row.read(path, images)))
    return given


def test_a_kind_registered_in_the_table_is_read_by_its_reader(tmp_path, config, monkeypatch, spied_excel):
    monkeypatch.setitem(READERS, "fake", FAKE)
    returns = tmp_path / "returns"
    returns.mkdir()
    # Named like a workbook: the content decides the reader, never the name.
    (returns / "Merseyside Fire figures.xlsx").write_bytes(MAGIC + "Merseyside Fire and Rescue Service\nWe ran 40 home visits.".encode())
    rows_workbook(returns / "NWAS return.xlsx", [["About our agency and what we do", "We answered every call."]])

    intake = read_returns([returns], config, tmp_path / "images")  # in forked workers, which see the patched table

    assert not intake.rejected, intake.rejected
    by_agency = {s.agency_id: s for s in intake.accepted}
    assert by_agency["mfrs"].source.format == "fake" and plain_text(by_agency["mfrs"].about) == "We ran 40 home visits."
    assert by_agency["nwas"].source.format == "xlsx"
    [entry] = read_file(returns / "Merseyside Fire figures.xlsx", config, tmp_path / "images")  # and in this process
    assert entry.source.format == "fake" and spied_excel == []


def test_a_kind_without_a_row_is_refused_and_never_sent_to_the_excel_reader(tmp_path, config, spied_excel):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(MAGIC + b"Merseyside Fire and Rescue Service\nWe ran 40 home visits.")  # no row reads it
    [rejected] = read_file(path, config, tmp_path / "images")
    assert isinstance(rejected, Problem)
    assert rejected.message == "This is not a Word, Excel or e-mail file, whatever its name says."
    assert "send the return again" in rejected.fix
    assert spied_excel == []


def test_a_kind_taken_out_of_the_table_is_no_longer_read(tmp_path, config, monkeypatch, spied_excel):
    book = rows_workbook(tmp_path / "NWAS return.xlsx", [["About our agency and what we do", "We answered every call."]])
    monkeypatch.delitem(READERS, "xlsx")
    [rejected] = read_file(book, config, tmp_path / "images")
    assert isinstance(rejected, Problem) and rejected.message == "This is a .xlsx file, a kind the report does not read."
    assert spied_excel == []


def test_every_template_an_agency_can_be_sent_is_read_back_as_a_return():
    for kind in TEMPLATE_FORMATS:
        assert READERS[kind].gives == "return" and READERS[kind].suffixes[0] == f".{kind}"


def test_every_row_is_filed_under_its_own_kind():
    for kind, row in READERS.items():
        assert row.kind == kind and row.suffixes and all(s.startswith(".") for s in row.suffixes)
