"""Excel returns: the generated template (defined names) or label/value rows typed by the agency."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from datetime import date, datetime, time, timezone
from pathlib import Path

from assembler.excel_library import openpyxl
from openpyxl.utils.cell import range_boundaries

from assembler.readers.base import ReturnContent, contact_from_lines, excerpt, period_from_text, reader_warning
from assembler.readers.headings import match_heading, normalise
from assembler.readers.indicators import column_map, header_period, make_indicator, unread_columns_warning
from assembler.readers.safety import Rejection, main_part_name
from assembler.readers.text_blocks import section_text_blocks
from assembler.readers.xlsx_hidden import HiddenContent, chart_sheet_notes, hidden_rows_and_columns
from assembler.readers.xlsx_sheet_parts import comments_note, drawings_note, links_note, sheet_parts
from assembler.schema import CaseStudy, Contact
from assembler.template_fields import (
    CASE_STUDY_COLUMNS,
    CASE_STUDY_COUNT,
    CONTACT_FIELDS,
    FIELD_AGENCY_ID,
    FIELD_AGENCY_NAME,
    FIELD_PERIOD,
    INDICATOR_COLUMNS,
    RETURN_COLUMNS,
    SECTION_FIELDS,
    SHEET_CASE_STUDIES,
    SHEET_INDICATORS,
    SHEET_RETURN,
    ReturnIdentity,
    case_study_fields,
    parse_identifier,
)

_AGENCY_LABELS = ("agency", "agency name", "organisation", "organization", "name of agency", "service")
_PERIOD_LABELS = ("period", "year", "reporting period", "report year")
_CONTACT_WORDS = ("contact", "e-mail", "email", "telephone", "phone", "role", "completed by", "name")


class _Workbook:
    """Cell values with their number formats; a formula's saved value is looked up only when needed.
    Only the visible worksheets are read, without their hidden rows and columns (nothing an agency hid is
    published); what was hidden, and any chart sheet, is counted for the return's notes."""

    def __init__(self, path: Path):
        self.path = path
        self.book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        self._cached = None
        self.grids: dict[str, list[list]] = {}
        self.hidden = HiddenContent()
        self.sheets = [ws.title for ws in self.book.worksheets if ws.sheet_state == "visible"]
        for ws in self.book.worksheets:
            if ws.sheet_state != "visible":
                self.hidden.hidden_sheet(ws.title, ws.iter_rows(values_only=True))
        self.chart_sheets = [sheet.title for sheet in self.book.chartsheets]

    def grid(self, sheet: str) -> list[list]:
        """All cells of a visible sheet as rows, hidden ones blanked (read_only sheets stream, so read each once)."""
        if sheet not in self.grids:
            ws = self.book[sheet]
            grid = [list(row) for row in ws.iter_rows()]
            # read_only keeps no row or column dimensions: the worksheet's own XML says what is hidden
            part = self.book._archive.read(ws._worksheet_path)
            self.grids[sheet] = self.hidden.screen(sheet, grid, *hidden_rows_and_columns(part))
        return self.grids[sheet]

    def notes(self) -> list:
        """What was hidden, and what the visible sheets carry beside their cells (comments, text boxes, pictures,
        charts, links' addresses): none of it is read, all of it is said."""
        comments, beside = [], []
        for sheet in self.sheets:
            parts = sheet_parts(self.book._archive, self.book[sheet]._worksheet_path)
            comments += parts.comments
            beside += drawings_note(sheet, parts) + links_note(sheet, parts, self._cell_texts(sheet))
        return self.hidden.notes() + comments_note(comments) + beside + chart_sheet_notes(self.chart_sheets)

    def _cell_texts(self, sheet: str) -> dict[str, str]:
        """The text of each visible cell that has some, by coordinate."""
        return {cell.coordinate: _text(cell.value) for row in self.grid(sheet) for cell in row
                if hasattr(cell, "coordinate") and _text(getattr(cell, "value", None))}

    def cached_value(self, sheet: str, coordinate: str):
        if self._cached is None:
            self._cached = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        ws = self._cached[sheet]
        min_col, min_row, _, _ = range_boundaries(coordinate)
        for row in ws.iter_rows(min_row=min_row, max_row=min_row, min_col=min_col, max_col=min_col, values_only=True):
            return row[0]
        return None

    def close(self) -> None:
        self.book.close()
        if self._cached is not None:
            self._cached.close()


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")  # the names openpyxl opens


def read_xlsx(path: Path, image_dir: Path) -> ReturnContent:
    """The return in a workbook, whatever the file is called: the screen found it to be one by its content."""
    if not path.name.lower().endswith(WORKBOOK_SUFFIXES):
        # openpyxl goes by the name: a workbook named .docx or 'ATT00001' is shown to it under a name
        # that says what it is (a link we make in a folder of our own, or a copy where links cannot be made).
        with tempfile.TemporaryDirectory(prefix="assembler-named-") as folder:
            named = Path(folder) / f"return{WORKBOOK_SUFFIXES[0]}"
            try:
                named.symlink_to(path.resolve())
            except OSError:
                shutil.copyfile(path, named)
            return _read_workbook(named)
    return _read_workbook(path)


STRICT_SPREADSHEET = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_OFFICE_DOCUMENT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
ROOT_BYTES = 4096  # the workbook part's root element, where its namespace is declared


def _refuse_strict(path: Path) -> None:
    """A workbook saved as 'Strict Open XML Spreadsheet': openpyxl knows none of its names and would hand back
    an empty return without a word, so it is refused, as the Word reader refuses a Strict document."""
    with zipfile.ZipFile(path) as package:
        by_fold = {name.casefold(): name for name in package.namelist()}
        rels = package.read(by_fold["_rels/.rels"]) if "_rels/.rels" in by_fold else b""
        main = by_fold.get((main_part_name(rels) or "xl/workbook.xml").casefold())
        root = b""
        if main is not None:
            with package.open(main) as part:
                root = part.read(ROOT_BYTES)
    if STRICT_OFFICE_DOCUMENT in rels or STRICT_SPREADSHEET in root:
        raise Rejection("The file was saved as 'Strict Open XML Spreadsheet', which the report cannot read.",
                        "Ask the agency to open it in Excel, choose File > Save As, pick 'Excel Workbook (.xlsx)' "
                        "and send that file.")


def _read_workbook(path: Path) -> ReturnContent:
    _refuse_strict(path)
    wb = _Workbook(path)
    try:
        content = ReturnContent(identity=parse_identifier(wb.book.properties.identifier))
        modified = wb.book.properties.modified
        if modified:
            content.modified = modified.replace(tzinfo=timezone.utc) if modified.tzinfo is None else modified
        names = _defined_cells(wb.book, wb.sheets)
        if any(field in names for field in SECTION_FIELDS):
            content.is_template = True
            _read_template(wb, names, content)
            _report_cells_outside_the_template(wb, names, content)
        else:
            _read_rows(wb, content)
        _read_indicator_sheets(wb, content)
        content.notes.extend(wb.notes())
        return content
    finally:
        wb.close()


def _defined_cells(book, sheets: list[str]) -> dict[str, tuple[str, str]]:
    """Workbook-level defined names that point at one cell of a visible worksheet: name -> (sheet, coordinate)."""
    cells = {}
    for name, definition in book.defined_names.items():
        try:
            destinations = list(definition.destinations)
        except Exception:  # a name pointing at #REF! or a formula, not a cell
            continue
        if len(destinations) == 1:
            sheet, coordinate = destinations[0]
            if sheet in sheets:  # not a hidden sheet's, nor a chart sheet's
                cells[name] = (sheet, coordinate.replace("$", "").split(":")[0])
    return cells


def _cell(wb: _Workbook, sheet: str, coordinate: str, content: ReturnContent, label: str):
    """The cell's value (a formula's saved result) and its number format."""
    min_col, min_row, _, _ = range_boundaries(coordinate)
    grid = wb.grid(sheet)
    if min_row > len(grid) or min_col > len(grid[min_row - 1]):
        return None, None
    cell = grid[min_row - 1][min_col - 1]
    return _value(wb, sheet, cell, content, label), getattr(cell, "number_format", None)


def _value(wb: _Workbook, sheet: str, cell, content: ReturnContent, label: str):
    value = getattr(cell, "value", None)
    if isinstance(value, str) and value.startswith("="):
        cached = wb.cached_value(sheet, cell.coordinate)
        if cached is None:
            content.notes.append(reader_warning(
                "formula_without_result", f"{label} ({sheet}!{cell.coordinate})",
                f"cell {sheet}!{cell.coordinate} holds the formula {value} but no saved result, so its value is unknown",
                "ask the agency to type the number instead, or to open the file in Excel, save it and send it again",
            ))
        return cached
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return _date_text(value)
    return str(value).strip()


def _date_text(value: datetime | date | time) -> str:
    """A cell Excel holds as a date (it makes one of '31/03/2024', 'Mar-24' or '1/2' as they are typed), as a
    reader writes a date, not as Python prints one ('2024-03-31 00:00:00')."""
    if isinstance(value, time):
        return f"{value:%H:%M}"
    day = f"{value.day} {value:%B %Y}"
    if isinstance(value, datetime) and (value.hour, value.minute) != (0, 0):
        return f"{day} {value:%H:%M}"
    return day


def _read_template(wb: _Workbook, names: dict[str, tuple[str, str]], content: ReturnContent) -> None:
    def text(name: str) -> str:
        if name not in names:
            return ""
        value, _ = _cell(wb, *names[name], content, name)
        return _text(value)

    if content.identity is None and text(FIELD_AGENCY_ID):
        # Properties lost (e.g. the sheet copied into a new workbook): the locked id cell still says whose it is.
        content.identity = parse_identifier(ReturnIdentity(text(FIELD_AGENCY_ID), period_from_text(text(FIELD_PERIOD)) or "").identifier())
    content.agency_name = text(FIELD_AGENCY_NAME) or None
    period = text(FIELD_PERIOD)
    content.period = period_from_text(period) or period or None
    for key in SECTION_FIELDS:
        content.sections[key] = _section(text(key), content, key)
    contact = {name.removeprefix("contact_"): text(name) or None for name in CONTACT_FIELDS}
    if any(contact.values()):
        content.contact = Contact(**contact)
    for number in range(1, CASE_STUDY_COUNT + 1):
        title_name, text_name = case_study_fields(number)
        title, body = text(title_name), text(text_name)
        if title or body:
            content.case_studies.append(CaseStudy(title=title or f"Case study {number}", blocks=_section(body, content, f"case study {number}")))


def _report_cells_outside_the_template(wb: _Workbook, names: dict[str, tuple[str, str]], content: ReturnContent) -> None:
    """A filled template is read from its named boxes: text the agency typed anywhere else (a column added, a
    row below the boxes, a sheet of its own) is reported per sheet with its first cells, never dropped unsaid."""
    named = {(sheet, coordinate) for sheet, coordinate in names.values()}
    # The template's sheets are found by the boxes they hold, not by their names: an agency may rename a sheet
    # (Excel moves the names with it), and its labels are still the template's own text, not the agency's.
    return_sheet = names.get(SECTION_FIELDS[0], (SHEET_RETURN,))[0]
    stories_sheet = names.get(case_study_fields(1)[0], (SHEET_CASE_STUDIES,))[0]
    template_columns = {return_sheet: len(RETURN_COLUMNS), stories_sheet: len(CASE_STUDY_COLUMNS),
                        SHEET_INDICATORS: len(INDICATOR_COLUMNS)}
    boxes = [range_boundaries(c)[:2] for s, c in named if s == return_sheet]  # (column, row)
    last_box_row = {return_sheet: max((row for _, row in boxes), default=0), stories_sheet: CASE_STUDY_COUNT + 1}
    box_column, first_box_row = min(boxes)[0] if boxes else 0, min((row for _, row in boxes), default=0)
    for sheet in wb.sheets:
        if _indicator_header(wb.grid(sheet)) is not None:
            continue  # a table of figures is read by its headings, and what they do not take is reported there
        outside = []
        for row in wb.grid(sheet):
            for cell in row:
                text = _text(getattr(cell, "value", None)) if hasattr(cell, "row") else ""
                if not text or (sheet, cell.coordinate) in named:
                    continue
                within_columns = cell.column <= template_columns.get(sheet, 0)
                in_a_lost_box = (sheet == return_sheet and cell.column == box_column  # a box whose name is gone
                                 and first_box_row <= cell.row <= last_box_row[sheet])  # (a row deleted: #REF!)
                if within_columns and cell.row <= last_box_row.get(sheet, cell.row) and not in_a_lost_box:
                    continue  # the template's own text (a label, a heading), or a figure's row
                outside.append(f"{cell.coordinate} '{excerpt(text, 40)}'")
        if outside:
            content.notes.append(reader_warning(
                "cells_outside_template", f"sheet '{sheet}'",
                f"{len(outside)} cell(s) on the sheet '{sheet}' are outside the template's boxes and were not read "
                f"({', '.join(outside[:3])}{', ...' if len(outside) > 3 else ''})",
                "ask the agency to put that text in the template's boxes (or figures in the figures sheet's rows) "
                "and send the file again",
            ))


def _section(text: str, content: ReturnContent, part: str) -> list:
    blocks, subheadings = section_text_blocks(text)
    content.subheadings.extend((part, line) for line in subheadings)
    return blocks


def _read_rows(wb: _Workbook, content: ReturnContent) -> None:
    """Label/value rows on any sheet that is not an indicators table: a section heading with its text
    beside it or in the rows below it, and the agency's name, period and contact."""
    contact_lines: list[str] = []
    pending: dict[str, list[str]] = {key: [] for key in SECTION_FIELDS}
    unused: dict[str, list[str]] = {}  # sheet -> the rows nothing took (reported, never dropped without a word)
    for sheet in wb.sheets:
        grid = wb.grid(sheet)
        if _indicator_header(grid) is not None:
            continue
        current: str | None = None
        for row in grid:
            texts = [(cell, _text(_value(wb, sheet, cell, content, sheet))) for cell in row]
            texts = [(cell, text) for cell, text in texts if text]
            if not texts:
                continue
            label = texts[0][1]
            rest = "\n".join(text for _, text in texts[1:])
            match = match_heading(label.split("\n")[0])
            if match and match.part in pending:
                current = match.part
                if match.part == "activity" and match.year:
                    content.activity_year = match.year
                if rest:
                    pending[current].append(rest)
                continue
            key = normalise(label).rstrip(":")
            if rest and current is None:
                content.labels.append((label, rest))  # 'Organisation | Probation Service': may name the agency
            if rest and key in _AGENCY_LABELS:
                content.agency_name = rest
                current = None
            elif rest and key in _PERIOD_LABELS:
                content.period = period_from_text(rest) or rest
                current = None
            elif rest and any(word in key for word in _CONTACT_WORDS):
                contact_lines.append(f"{label}: {rest}")
                current = None
            elif current is not None:
                pending[current].append("\n".join(text for _, text in texts))
            elif not content.title_text:
                content.title_text = label
            else:
                unused.setdefault(sheet, []).append(" | ".join(text for _, text in texts))
    _report_unused_rows(unused, content)
    for key, texts in pending.items():
        content.sections[key] = _section("\n".join(texts), content, key)
    if contact_lines:
        content.contact = contact_from_lines(contact_lines)
    if content.period is None:
        content.period = period_from_text(content.title_text)
    if content.agency_name is None and content.title_text:
        content.agency_name = content.title_text


def _report_unused_rows(unused: dict[str, list[str]], content: ReturnContent) -> None:
    for sheet, rows in unused.items():
        content.notes.append(reader_warning(
            "rows_not_used", f"sheet '{sheet}'",
            f"{len(rows)} row(s) on the sheet '{sheet}' were not used (they start '{excerpt(rows[0])}'): only the three "
            "sections, a table of figures headed 'Indicator | Value' and the agency's name, period and contact are read",
            "ask the agency to put that text beside or under one of the three section headings, or its figures in the "
            "table of figures, and send the file again",
        ))


def _indicator_header(grid: list[list]) -> tuple[int, dict[str, int]] | None:
    """The row index and column map of an 'Indicator | Value | ...' header in the first rows of a sheet."""
    for index, row in enumerate(grid[:10]):
        columns = column_map([_text(getattr(c, "value", None)) for c in row])
        if columns:
            return index, columns
    return None


def _read_indicator_sheets(wb: _Workbook, content: ReturnContent) -> None:
    for sheet in wb.sheets:
        grid = wb.grid(sheet)
        found = _indicator_header(grid)
        if found is None:
            continue
        header_row, columns = found
        texts = [[_text(getattr(c, "value", None)) for c in row] for row in grid]
        year = header_period(texts[header_row], columns)
        # What the table's headings do not take is the agency's too: said, never dropped.
        above = [" | ".join(filter(None, row)) for row in texts[:header_row] if any(row)]
        _report_unused_rows({sheet: above} if above else {}, content)
        unread = unread_columns_warning(texts[header_row:], columns, f"sheet '{sheet}'")
        content.notes += [unread] if unread else []
        for row in grid[header_row + 1:]:
            def cell(key: str):
                index = columns.get(key)
                return row[index] if index is not None and index < len(row) else None

            label = _text(getattr(cell("label"), "value", None))
            value_cell = cell("value")
            if not label:
                continue
            raw = _value(wb, sheet, value_cell, content, label) if value_cell is not None else None
            if isinstance(raw, (datetime, date, time)):
                raw = _date_text(raw)  # not a figure: reported as the agency sees the cell, not as Python prints it
            formula = getattr(value_cell, "value", None)
            if raw is None and isinstance(formula, str) and formula.startswith("="):
                raw = formula  # no saved result (already noted): keep what the cell holds, not a blank
            number_format = getattr(value_cell, "number_format", None)
            extra = {key: _text(_value(wb, sheet, cell(key), content, label)) if cell(key) is not None else None for key in ("unit", "period", "note")}
            extra["period"] = extra["period"] or year
            content.indicators.append(make_indicator(label, raw if raw != "" else None, number_format, **extra))
