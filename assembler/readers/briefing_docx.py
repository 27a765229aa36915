"""The 7-minute briefing template, filled in by the officer, read back as a Briefing.

The template (templates_out/briefing.py) names every field by a content
control's tag (template_fields), so the fields are found wherever the
officer's typing has moved them.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from datetime import date, datetime
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from assembler.errors import InputError
from assembler.readers.docx_blocks import W_P, W_TBL, BlockBuilder, DocxContext, read_paragraph, table_block
from assembler.readers.docx_controls import control_children, showing_placeholder, tagged_controls
from assembler.readers.docx_package import WordPackage, qn
from assembler.readers.safety import LimitsLike, Rejection, check_file
from assembler.readers.table import READERS
from assembler.readers.typeset_blocks import typeset_blocks
from assembler.schema import Briefing, BriefingSection
from assembler.schema.report import BRIEFING_SECTION_COUNT
from assembler.typography import typeset_text
from assembler.template_fields import (
    BRIEFING_FIELD_AUDIENCE,
    BRIEFING_FIELD_DATE,
    BRIEFING_FIELD_TITLE,
    WORD_PLACEHOLDER,
    briefing_section_fields,
)

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d.%m.%Y", "%B %Y")


def read_briefing_docx(path: Path, limits: LimitsLike, image_dir: Path | None = None) -> Briefing:
    """A Briefing from a filled template; InputError naming the field and the fix otherwise.

    The file passes the same screen as a Word return first: a briefing may come from a partner agency.
    Its pictures are written to `image_dir`, by default a folder private to this run
    (the writers open them when the briefing is laid out, after this returns)."""
    name = str(path)
    try:
        check_file(path, limits, {"docx": READERS["docx"]})
    except Rejection as rejection:
        raise InputError(name, rejection.reason, rejection.fix, code=rejection.code) from None
    try:
        package = WordPackage(path)
    except Exception as exc:  # not a Word file, or damaged: the officer can only re-save it
        raise InputError(name, f"the file cannot be opened as a Word document ({type(exc).__name__})", "save it again from Word as .docx", code="briefing_unreadable") from None
    with package:
        return _read_briefing(package, name, path, image_dir or _private_picture_folder())


@cache
def _private_picture_folder() -> Path:
    """One folder per run, readable by this user only, removed when the run ends (not by a worker it forked)."""
    folder = Path(tempfile.mkdtemp(prefix="assembler-briefing-images-"))
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    return folder


def _read_briefing(package: WordPackage, name: str, path: Path, image_dir: Path) -> Briefing:
    controls = tagged_controls(package.body)
    if BRIEFING_FIELD_TITLE not in controls:
        raise InputError(name, "this is not the 7-minute briefing template (it has no Title box)",
                         "start from 7-minute-briefing.docx written by 'assembler templates'", code="not_briefing_template")
    ctx = DocxContext(package, image_dir)
    title = _text(controls.get(BRIEFING_FIELD_TITLE), ctx)
    audience = _text(controls.get(BRIEFING_FIELD_AUDIENCE), ctx)
    for value, label in ((title, "title"), (audience, "audience")):
        if not value:
            raise InputError(name, f"the {label} is not filled in", f"type the {label} in its box", field=label, code="briefing_field_empty")
    when = _date(controls.get(BRIEFING_FIELD_DATE), ctx, name)
    sections = []
    for number in range(1, BRIEFING_SECTION_COUNT + 1):
        heading_field, text_field = briefing_section_fields(number)
        heading = _text(controls.get(heading_field), ctx)
        blocks = _blocks(controls.get(text_field), ctx)
        if not heading or not blocks:
            raise InputError(name, f"part {number} has no {'heading' if not heading else 'text'}",
                             f"fill in part {number}: every one of the seven parts needs a heading and some text",
                             field=f"sections.{number}", code="briefing_sections")
        # The partnership's own words, typeset as its YAML briefings are (content/markdown.py).
        sections.append(BriefingSection(heading=typeset_text(heading), blocks=typeset_blocks(blocks)))
    try:
        return Briefing(slug=_slug(path.stem), title=typeset_text(title), date=when, audience=typeset_text(audience),
                        sections=sections, source=name)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(name, first["msg"].removeprefix("Value error, "), "correct it and build again",
                         field=".".join(str(p) for p in first["loc"]), code="briefing_invalid") from None


def _text(sdt, ctx: DocxContext) -> str:
    if sdt is None or showing_placeholder(sdt):
        return ""
    content = sdt.find(qn("w:sdtContent"))
    text = read_paragraph(content, ctx).text if content is not None else ""
    return "" if text.casefold() == WORD_PLACEHOLDER.casefold() else text.strip()


def _blocks(sdt, ctx: DocxContext) -> list:
    if sdt is None or showing_placeholder(sdt):
        return []
    builder = BlockBuilder()
    for element in control_children(sdt):
        if element.tag == W_P:
            info = read_paragraph(element, ctx)
            if info.text.casefold() != WORD_PLACEHOLDER.casefold():
                builder.add_paragraph(info, heading_level=info.heading_level)
        elif element.tag == W_TBL and (table := table_block(element, ctx)) is not None:
            builder.add_block(table)
    return builder.blocks


def _date(sdt, ctx: DocxContext, name: str) -> date:
    picked = sdt.find(f"{qn('w:sdtPr')}/{qn('w:date')}") if sdt is not None else None
    full = picked.get(qn("w:fullDate")) if picked is not None else None
    if full:
        return date.fromisoformat(full[:10])
    text = _text(sdt, ctx)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text), fmt).date()
        except ValueError:
            continue
    raise InputError(name, f"the date {text!r} cannot be read" if text else "the date is not filled in",
                     "pick the date from the calendar in the Date box, or type it as 1 May 2024", field="date", code="briefing_date")


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.casefold()).strip("-") or "briefing"
