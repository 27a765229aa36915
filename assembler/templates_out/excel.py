"""The blank Excel return sent to an agency.

Sheet SHEET_RETURN: labels in column A (locked), input cells in column B, each
input cell a workbook-level defined name equal to its field name (agency_id,
agency_name, period, about, activity, priorities, contact_*). The sheet is
protected without a password so only the input cells can be typed in; agency_id
and period stay locked.
Sheet SHEET_INDICATORS: header row INDICATOR_COLUMNS, then INDICATOR_ROWS unlocked
rows. Value accepts anything (people type '91.2%' or '£34,000' and the reader
parses it) but shows an input message; Unit is a list: %, £, count.
Sheet SHEET_CASE_STUDIES: one row per case study, defined names case_study_N_title/_text.
The core property `identifier` carries ReturnIdentity(agency, period).identifier().
"""

from __future__ import annotations

from pathlib import Path

from assembler.excel_library import openpyxl  # noqa: F401  (first: see there)
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.utils import quote_sheetname

from assembler.config import Agency, ReportConfig
from assembler.deterministic_zip import normalise_zip
from assembler.excel_text import put_text
from assembler.templates_out.common import (
    CONTACT_LABELS,
    instructions,
    section_guidance,
    section_heading,
    template_properties,
    template_title,
    zip_date_time,
)
from assembler.template_fields import (
    CASE_STUDY_COLUMNS,
    CASE_STUDY_COUNT,
    CONTACT_FIELDS,
    FIELD_AGENCY_ID,
    FIELD_AGENCY_NAME,
    FIELD_PERIOD,
    INDICATOR_COLUMNS,
    INDICATOR_ROWS,
    RETURN_COLUMNS,
    SECTION_FIELDS,
    SHEET_CASE_STUDIES,
    SHEET_INDICATORS,
    SHEET_RETURN,
    case_study_fields,
)

UNITS = ("%", "£", "count")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
INPUT = Protection(locked=False)
# The cells to fill in are shaded and outlined, so 'the shaded cells' is true in Excel, LibreOffice and Numbers
# (a white cell looks like every other cell there).
INPUT_FILL = PatternFill("solid", fgColor="FFFFF4CE")
INPUT_EDGE = Side(style="thin", color="FF8C8C8C")
INPUT_BORDER = Border(left=INPUT_EDGE, right=INPUT_EDGE, top=INPUT_EDGE, bottom=INPUT_EDGE)


def _input_cell(cell) -> None:
    cell.protection = INPUT
    cell.fill = INPUT_FILL
    cell.border = INPUT_BORDER
    cell.alignment = WRAP_TOP


def _print_one_page_wide(sheet, landscape: bool = False) -> None:
    """Printed, a sheet is as wide as one page (Excel otherwise prints column B on pages of its own)."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it needs
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
SECTION_ROW_HEIGHT = 180  # points: room for a few paragraphs before the cell scrolls


def write_excel_template(path: Path, agency: Agency, config: ReportConfig) -> Path:
    """Write the blank Excel return for `agency` to `path` (deterministic bytes)."""
    workbook = Workbook()
    header_fill = PatternFill("solid", fgColor="FF" + config.brand.colours.primary.lstrip("#"))
    header_font = Font(bold=True, color="FF" + config.brand.colours.header_text.lstrip("#"))

    _return_sheet(workbook, agency, config, header_fill, header_font)
    _indicators_sheet(workbook, header_fill, header_font)
    _case_studies_sheet(workbook, header_fill, header_font)
    _set_properties(workbook, agency, config)

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    normalise_zip(path, date_time=zip_date_time(config))
    path.chmod(0o644)  # normalise_zip leaves a private temp file's mode; templates are meant to be shared
    return path


def _name_cell(workbook: Workbook, name: str, sheet: str, cell: str) -> None:
    column, row = cell.rstrip("0123456789"), cell[len(cell.rstrip("0123456789")):]
    workbook.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!${column}${row}")


def _return_sheet(workbook, agency: Agency, config: ReportConfig, header_fill, header_font) -> None:
    sheet = workbook.active
    sheet.title = SHEET_RETURN
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 100

    put_text(sheet["A1"], template_title(agency, config))
    sheet["A1"].font = Font(bold=True, size=14, color="FF" + config.brand.colours.primary.lstrip("#"))
    row = 2
    for line in instructions(agency, config, "xlsx"):
        put_text(sheet.cell(row, 1), line).font = Font(italic=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row, 1).alignment = WRAP_TOP
        sheet.row_dimensions[row].height = 30
        row += 1

    row += 1
    for column, title in enumerate(RETURN_COLUMNS, start=1):
        put_text(sheet.cell(row, column), title).fill = header_fill
        sheet.cell(row, column).font = header_font
    row += 1

    def field(name: str, label: str, value: str | None = None, editable: bool = True, height: float | None = None) -> None:
        nonlocal row
        put_text(sheet.cell(row, 1), label).font = Font(bold=True)
        sheet.cell(row, 1).alignment = WRAP_TOP
        cell = put_text(sheet.cell(row, 2), value)
        cell.alignment = WRAP_TOP
        if editable:
            _input_cell(cell)
        if height:
            sheet.row_dimensions[row].height = height
        _name_cell(workbook, name, SHEET_RETURN, cell.coordinate)
        row += 1

    field(FIELD_AGENCY_ID, "Agency id (do not change)", agency.id, editable=False)
    field(FIELD_PERIOD, "Period (do not change)", config.period, editable=False)
    field(FIELD_AGENCY_NAME, "Agency name", agency.name)
    for key in SECTION_FIELDS:
        label = f"{section_heading(key, config)}\n\n{section_guidance(key, config)}"
        field(key, label, height=SECTION_ROW_HEIGHT)
    for name in CONTACT_FIELDS:
        field(name, CONTACT_LABELS[name])

    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # no password: it stops accidents, not people
    _print_one_page_wide(sheet)


def _indicators_sheet(workbook, header_fill, header_font) -> None:
    sheet = workbook.create_sheet(SHEET_INDICATORS)
    widths = {"Indicator": 60, "Value": 14, "Unit": 10, "Period": 16, "Note": 40}
    for column, title in enumerate(INDICATOR_COLUMNS, start=1):
        cell = put_text(sheet.cell(1, column), title)
        cell.fill, cell.font = header_fill, header_font
        sheet.column_dimensions[cell.column_letter].width = widths.get(title, 20)
    for row in range(2, INDICATOR_ROWS + 2):
        for column in range(1, len(INDICATOR_COLUMNS) + 1):
            _input_cell(sheet.cell(row, column))

    last = INDICATOR_ROWS + 1
    value_col = _column_letter(sheet, "Value")
    unit_col = _column_letter(sheet, "Unit")
    value_rule = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="Value",
                                prompt="A number, e.g. 91.2 for 91.2%, 34000 for £34,000 or 1257 for a count. "
                                       "Put the unit in the next column.")
    value_rule.add(f"{value_col}2:{value_col}{last}")
    unit_rule = DataValidation(type="list", formula1='"' + ",".join(UNITS) + '"', allow_blank=True,
                               showInputMessage=True, promptTitle="Unit", prompt="%, £ or count",
                               showErrorMessage=True, errorTitle="Unit", error="Choose %, £ or count from the list.")
    unit_rule.add(f"{unit_col}2:{unit_col}{last}")
    sheet.add_data_validation(value_rule)
    sheet.add_data_validation(unit_rule)
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.insertRows = False  # agencies with more figures may add rows
    sheet.protection.formatColumns = False
    _print_one_page_wide(sheet, landscape=True)


def _column_letter(sheet, title: str) -> str:
    return sheet.cell(1, INDICATOR_COLUMNS.index(title) + 1).column_letter


def _case_studies_sheet(workbook, header_fill, header_font) -> None:
    sheet = workbook.create_sheet(SHEET_CASE_STUDIES)
    for column, (title, width) in enumerate(zip(CASE_STUDY_COLUMNS, (12, 40, 100)), start=1):
        cell = put_text(sheet.cell(1, column), title)
        cell.fill, cell.font = header_fill, header_font
        sheet.column_dimensions[cell.column_letter].width = width
    for number in range(1, CASE_STUDY_COUNT + 1):
        row = number + 1
        sheet.cell(row, 1, number)
        title_field, text_field = case_study_fields(number)
        for column, name in ((2, title_field), (3, text_field)):
            cell = sheet.cell(row, column)
            _input_cell(cell)
            _name_cell(workbook, name, SHEET_CASE_STUDIES, cell.coordinate)
        sheet.row_dimensions[row].height = SECTION_ROW_HEIGHT
    sheet.protection.sheet = True
    _print_one_page_wide(sheet, landscape=True)


def _set_properties(workbook, agency: Agency, config: ReportConfig) -> None:
    shared, props = template_properties(agency, config), workbook.properties
    props.identifier, props.title, props.subject = shared.identifier, shared.title, shared.subject
    props.language, props.keywords = shared.language, shared.keywords
    props.creator = props.lastModifiedBy = shared.who
    props.created = props.modified = shared.when
