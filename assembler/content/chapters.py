"""The partnership's own chapters: Markdown with front matter, figures filled from the data."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from assembler.document.figures import FigureError, render_figures
from assembler.content.frontmatter import FrontMatterError, split_front_matter
from assembler.content.placeholders import placeholder_error
from assembler.content.markdown import TYPED_BULLET, MissingAltText, parse_markdown
from assembler.errors import InputError
from assembler.problems import Problem
from assembler.known_keys import key_line, unknown_keys, value_line
from assembler.schema import Chapter, DataTable
from assembler.typography import typeset_text

CHAPTERS_DIR = "chapters"
FRONT_MATTER_KEYS = ("title", "summary_heading", "summary_bullets", "standalone")


def load_chapters(inputs: Path, chapter_ids: list[str], tables: dict[str, DataTable]) -> tuple[list[Chapter], list[Problem]]:
    """Chapters in the order given; every problem is collected, none stops the others."""
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    for chapter_id in chapter_ids:
        path = inputs / CHAPTERS_DIR / f"{chapter_id}.md"
        try:
            chapters.append(load_chapter(path, chapter_id, tables, inputs))
        except InputError as exc:
            problems.append(exc.problem)
    return chapters, problems


def unlisted_chapters(inputs: Path, chapter_ids: list[str]) -> list[Problem]:
    """Chapter files that report.yaml does not list: not printed, which the officer may not expect."""
    folder = inputs / CHAPTERS_DIR
    listed = set(chapter_ids)
    return [
        Problem(code="unlisted_chapter", severity="warning", file=str(path),
                message="this chapter is not in the report: report.yaml does not list it under chapters",
                fix=f"add '{path.stem}' to chapters in report.yaml where it should print, or move the file out of {CHAPTERS_DIR}/")
        for path in sorted(folder.glob("*.md")) if path.stem not in listed and not path.name.startswith(".")
    ] if folder.is_dir() else []


def load_chapter(path: Path, chapter_id: str, tables: dict[str, DataTable], inputs: Path) -> Chapter:
    name = str(path)
    if not path.is_file():
        raise InputError(name, "the chapter file is missing", f"write {CHAPTERS_DIR}/{chapter_id}.md, or remove '{chapter_id}' from chapters in report.yaml", code="chapter_missing")
    text = path.read_text(encoding="utf-8-sig")
    try:
        meta, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        raise InputError(name, exc.message,
                         "check the lines between the two '---' lines: 'key: value', one per line", line=exc.line, code="front_matter_unreadable") from None
    for key, fix in unknown_keys(meta, FRONT_MATTER_KEYS):
        raise InputError(name, f"the front matter has a setting '{key}' that is not known", fix,
                         line=key_line(text, key), field=key, code="unknown_setting")
    try:
        body = render_figures(body, tables, first_line=body_line)
        bullets = [TYPED_BULLET.sub("", render_figures(str(b), tables, first_line=value_line(text, str(b))))
                   for b in meta.get("summary_bullets") or []]
    except FigureError as exc:
        where = f" (column {exc.column})" if exc.column else ""
        raise InputError(name, exc.message + where, exc.fix, line=exc.line, field="figures", code="figure_expression") from None
    placeholder = placeholder_error(name, body, body_line) or next(
        (e for b in bullets if (e := placeholder_error(name, b, value_line(text, b), field="summary_bullets"))), None)
    if placeholder:
        raise placeholder
    try:
        blocks = parse_markdown(body)
    except MissingAltText as exc:
        raise InputError(name, f"the picture '{exc.src}' has no description", "write one between the brackets: ![what the picture shows](file.png)", field="alt text", code="picture_without_alt_text") from None
    try:
        return Chapter(
            id=chapter_id,
            title=_typeset(meta.get("title")) or chapter_id.replace("-", " ").capitalize(),
            blocks=blocks,
            summary_heading=_typeset(meta.get("summary_heading")),
            summary_bullets=[typeset_text(bullet) for bullet in bullets],
            standalone=meta.get("standalone", False),
            source=str(path.relative_to(inputs)) if path.is_relative_to(inputs) else name,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else None
        raise InputError(name, first["msg"], "correct the front matter", line=key_line(text, key) if key else None,
                         field=".".join(map(str, first["loc"])), code="front_matter_invalid") from None


def _typeset(value):
    """A front matter value typeset as the chapter's text is (a value that is not text is left to the schema)."""
    return typeset_text(value) if isinstance(value, str) else value
