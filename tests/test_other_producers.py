"""Returns made by other programs than Word and Excel on Windows: LibreOffice, Google Docs and Sheets, Strict Open
XML, exporters that write their own XML. Each is generated here, and what it says must reach the report (or be
refused with what to ask for); what it hid must not.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from assembler.readers.safety import Rejection
from assembler.readers.xlsx_return import read_xlsx
from tests.conftest import SAMPLE_INPUTS
from test_readers_builders import ABOUT, ACTIVITY, PRIORITIES, rows_workbook

# Transitional namespaces and their Strict Open XML names (ECMA-376 Part 1, Strict conformance).
STRICT_NAMES = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
}


def rewrite_parts(path: Path, change) -> Path:
    """The package at `path` with every part's bytes passed through `change(name, data)`."""
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            package.writestr(info, change(info.filename, data))
    return path


def as_strict(path: Path) -> Path:
    """Every part and relationship in Strict Open XML's namespaces, as Excel's 'Strict Open XML Spreadsheet' saves."""
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data  # content types are the same in both
        for transitional, strict in STRICT_NAMES.items():
            data = data.replace(transitional, strict)
        return data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1) if name == "xl/workbook.xml" else data
    return rewrite_parts(path, change)


def checked(tmp_path: Path, replaced: str, name: str, make) -> dict:
    """check's JSON export for the sample partnership with the return `replaced` swapped for `make(path)`."""
    from assembler.cli import main

    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    (inputs / "returns" / replaced).unlink()
    make(inputs / "returns" / name)
    export = tmp_path / "returns.json"
    main(["check", "--inputs", str(inputs), "--json", str(export), "--chase-out", str(tmp_path / "chase")])
    return json.loads(export.read_text())


def nwas_workbook(path: Path) -> Path:
    return rows_workbook(path, [["North West Ambulance Service NHS Trust"],
                                ["About our agency and what we do", ABOUT],
                                ["2023 activity and what we would like to celebrate", ACTIVITY],
                                ["Planned safeguarding priorities for 2024", PRIORITIES]],
                         [["Indicator", "Value"], ["Referrals raised by crews", 3908]])


# --- Strict Open XML ---------------------------------------------------------------------------------------

def test_a_strict_open_xml_workbook_is_refused_with_what_to_ask_for_not_read_as_empty(tmp_path):
    strict = as_strict(nwas_workbook(tmp_path / "nwas.xlsx"))
    with pytest.raises(Rejection, match="Strict Open XML Spreadsheet") as refused:
        read_xlsx(strict, tmp_path / "img")
    assert "'Excel Workbook (.xlsx)'" in refused.value.fix


def test_check_lists_a_strict_workbook_as_rejected_with_the_fix(tmp_path):
    data = checked(tmp_path, "NWAS_WSCP_return_2324.xlsx", "NWAS strict.xlsx",
                   lambda path: as_strict(nwas_workbook(path)))
    [rejected] = [p for p in data["rejected"] if p["file"].endswith("NWAS strict.xlsx")]
    assert rejected["severity"] == "error"
    assert rejected["message"] == "The file was saved as 'Strict Open XML Spreadsheet', which the report cannot read."
    assert rejected["fix"] == ("Ask the agency to open it in Excel, choose File > Save As, pick 'Excel Workbook (.xlsx)' "
                               "and send that file.")
    assert not [s for s in data["submissions"] if any(src["path"].endswith("NWAS strict.xlsx")
                                                      for src in s["section_sources"].values() if src)]
