"""The partnership's own chapters: Markdown with front matter, figures filled from the data."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assembler.content.figures import FigureError, render_figures
from assembler.content.frontmatter import FrontMatterError, split_front_matter
from assembler.content.markdown import TYPED_BULLET, MissingAltText, parse_markdown
from assembler.errors import InputError
from assembler.schema import Chapter, DataTable

CHAPTERS_DIR = "chapters"


def load_chapters(inputs: Path, chapter_ids: list[str], tables: dict[str, DataTable]) -> tuple[list[Chapter], list[InputError]]:
    """Chapters in the order given; every problem is collected, none stops the others."""
    chapters: list[Chapter] = []
    problems: list[InputError] = []
    for chapter_id in chapter_ids:
        path = inputs / CHAPTERS_DIR / f"{chapter_id}.md"
        try:
            chapters.append(load_chapter(path, chapter_id, tables, inputs))
        except InputError as exc:
            problems.append(exc)
    return chapters, problems


def load_chapter(path: Path, chapter_id: str, tables: dict[str, DataTable], inputs: Path) -> Chapter:
    name = str(path)
    if not path.is_file():
        raise InputError(name, "the chapter file is missing", f"write {CHAPTERS_DIR}/{chapter_id}.md, or remove '{chapter_id}' from chapters in report.yaml")
    try:
        meta, body, body_line = split_front_matter(path.read_text(encoding="utf-8-sig"))
    except FrontMatterError as exc:
        raise InputError(name, exc.message,
                         "check the lines between the two '---' lines: 'key: value', one per line", line=exc.line) from None
    try:
        body = render_figures(body, tables)
        bullets = [TYPED_BULLET.sub("", render_figures(str(b), tables)) for b in meta.get("summary_bullets") or []]
    except FigureError as exc:
        raise InputError(name, str(exc), "correct the expression, or add the missing figure to the data workbook", field="figures") from None
    try:
        blocks = parse_markdown(body)
    except MissingAltText as exc:
        raise InputError(name, f"the picture '{exc.src}' has no description", "write one between the brackets: ![what the picture shows](file.png)", field="alt text") from None
    try:
        return Chapter(
            id=chapter_id,
            title=meta.get("title") or chapter_id.replace("-", " ").capitalize(),
            blocks=blocks,
            summary_heading=meta.get("summary_heading"),
            summary_bullets=bullets,
            source=str(path.relative_to(inputs)) if path.is_relative_to(inputs) else name,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(name, first["msg"], "correct the front matter", field=".".join(map(str, first["loc"]))) from None
