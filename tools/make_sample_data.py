"""Regenerate the sample data workbooks and the sample logo.

    python tools/make_sample_data.py          (from the repository root)

Reads  tools/sample_source/data/<stem>.yaml  and writes  inputs/data/<stem>.xlsx,
then draws  inputs/brand/logo.png.  The output is byte-for-byte the same on every
run, so regenerating never shows up as a change in git unless a figure changed.

A source file looks like this::

    sheets:
      - name: income                      # sheet name = the table id's second half
        columns: [Partner, Amount]        # row 1 of the sheet
        formats: {Amount: "£#,##0"}       # number format for a whole column
        cell_formats: {ADCS grant: "0%"}  # number format for one row's figures (optional)
        expect_totals: {Amount: 269847}   # refuse to write if a column does not add up (optional)
        rows:
          - [Wirral Council, 139936]
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assembler.deterministic_zip import normalise_zip  # noqa: E402

SOURCE_DIR = ROOT / "tools" / "sample_source" / "data"
DATA_DIR = ROOT / "inputs" / "data"
LOGO_PATH = ROOT / "inputs" / "brand" / "logo.png"
FONT_BOLD = ROOT / "assembler" / "fonts" / "LiberationSans-Bold.ttf"

FIXED_TIME = datetime(2024, 7, 31, 0, 0, 0)
ZIP_TIME = (2024, 7, 31, 0, 0, 0)

NAVY = "#1B3A6B"
TEAL = "#00797A"
WHITE = "#FFFFFF"


class SourceError(ValueError):
    pass


# --------------------------------------------------------------------------- workbooks

def load_source(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list):
        raise SourceError(f"{path.name}: expected 'sheets:' with a list of sheets")
    sheets = data["sheets"]
    for sheet in sheets:
        name, columns, rows = sheet.get("name"), sheet.get("columns"), sheet.get("rows")
        if not name or not columns or not isinstance(rows, list):
            raise SourceError(f"{path.name}: every sheet needs name, columns and rows")
        for number, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                raise SourceError(f"{path.name}, sheet {name}, row {number}: {len(row)} cells for {len(columns)} columns "
                                  "(quote a label that contains a comma)")
            for cell in row[1:]:
                if not isinstance(cell, (int, float)) or isinstance(cell, bool):
                    raise SourceError(f"{path.name}, sheet {name}, row {number}: {cell!r} is not a number")
        for column, expected in (sheet.get("expect_totals") or {}).items():
            index = columns.index(column)
            actual = sum(row[index] for row in rows)
            if round(actual, 6) != expected:
                raise SourceError(f"{path.name}, sheet {name}: column {column} adds up to {actual}, expected {expected}")
    return sheets


def write_workbook(sheets: list[dict], target: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True, color=WHITE.lstrip("#"))
    header_fill = PatternFill("solid", fgColor=NAVY.lstrip("#"))
    for sheet in sheets:
        ws = wb.create_sheet(sheet["name"])
        columns = sheet["columns"]
        formats = sheet.get("formats") or {}
        cell_formats = sheet.get("cell_formats") or {}
        ws.append(columns)
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center")
        for row in sheet["rows"]:
            ws.append(row)
            row_format = cell_formats.get(str(row[0]))
            for index, cell in enumerate(ws[ws.max_row]):
                if index == 0:
                    continue
                fmt = row_format or formats.get(columns[index])
                if fmt:
                    cell.number_format = fmt
        for index, column in enumerate(columns, start=1):
            cells = [column] + [row[index - 1] for row in sheet["rows"]]
            longest = max(len(f"{value:,}" if isinstance(value, (int, float)) else str(value)) for value in cells)
            ws.column_dimensions[get_column_letter(index)].width = min(max(longest + 4, 12), 60)
        ws.freeze_panes = "A2"
    wb.properties.creator = "Wirral Safeguarding Children Partnership"
    wb.properties.title = target.stem
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "tools/make_sample_data.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    normalise_zip(target, ZIP_TIME)


# --------------------------------------------------------------------------- logo

def draw_logo(target: Path, size: int = 600) -> None:
    """A navy rounded square, a teal arc sheltering a small figure, and 'WSCP' in white."""
    scale = 4  # draw large and scale down: smooth edges without anti-aliasing options
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=int(big * 0.16), fill=NAVY)

    # A teal arch (two sheltering hands / a roof) over a white circle (the child).
    cx = big // 2
    arch_top = int(big * 0.13)
    arch_box = (int(big * 0.20), arch_top, int(big * 0.80), arch_top + int(big * 0.60))
    draw.pieslice(arch_box, 180, 360, fill=TEAL)
    inner = int(big * 0.085)
    draw.pieslice((arch_box[0] + inner, arch_box[1] + inner, arch_box[2] - inner, arch_box[3] - inner), 180, 360, fill=NAVY)
    head_r = int(big * 0.075)
    head_cy = arch_top + int(big * 0.245)
    draw.ellipse((cx - head_r, head_cy - head_r, cx + head_r, head_cy + head_r), fill=WHITE)
    # A teal band under the arch: the ground the partnership stands on.
    band_y = arch_top + int(big * 0.345)
    draw.rounded_rectangle((int(big * 0.20), band_y, int(big * 0.80), band_y + int(big * 0.035)), radius=int(big * 0.017), fill=TEAL)

    font = ImageFont.truetype(str(FONT_BOLD), int(big * 0.19))
    text = "WSCP"
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (big - (right - left)) // 2 - left
    y = int(big * 0.63) - top
    draw.text((x, y), text, font=font, fill=WHITE)

    logo = img.resize((size, size), Image.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    logo.save(target, format="PNG", optimize=False)


# --------------------------------------------------------------------------- main

def main() -> int:
    sources = sorted(SOURCE_DIR.glob("*.yaml"))
    if not sources:
        print(f"no sources in {SOURCE_DIR}", file=sys.stderr)
        return 1
    try:
        for source in sources:
            target = DATA_DIR / f"{source.stem}.xlsx"
            write_workbook(load_source(source), target)
            print(f"wrote {target.relative_to(ROOT)}")
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    draw_logo(LOGO_PATH)
    print(f"wrote {LOGO_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
