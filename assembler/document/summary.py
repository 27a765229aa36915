"""What the one-page summary says, gathered from its sources before any layout.

Bullets come from each chapter's front matter (summary_heading/summary_bullets),
key figures are computed from the data workbooks as report.yaml directs, tiles
name case studies (report.yaml, else the agencies' returns) and resources.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assembler.config import ReportConfig
from assembler.config.model import KeyFigure as KeyFigureSpec
from assembler.document.figures import FigureError, Figures, money, number, pct, render_figures
from assembler.document.imprint import Imprint, imprint
from assembler.errors import InputError
from assembler.schema import Report, SectionKey, plain_text

FORMATS = {"number": number, "money": money, "pct": pct}
# The summary's own words, above its bands.
FIGURES_LABEL = "{period} in numbers"
BODY_LABEL = "What the report covers"
TILES_LABEL = "Case studies and resources in the report"
TILE_HEADERS = ("Case studies", "Resources")


@dataclass(frozen=True)
class SummaryBlock:
    heading: str
    bullets: list[str]
    source: str  # the chapter file the bullets came from


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str


@dataclass(frozen=True)
class SummaryContent:
    title: str
    partnership: str
    short_name: str
    period: str
    blocks: list[SummaryBlock]
    figures: list[KeyFigure]
    case_studies: list[str]
    resources: list[str]
    full_report: str
    footer: str
    logo: Path | None
    logo_alt: str
    source: str  # where to look when it does not fit
    imprint: Imprint


def title_text(content: SummaryContent) -> str:
    return f"{content.title} {content.period}"


def summary_content(report: Report, config: ReportConfig, inputs: Path) -> SummaryContent:
    config_file = str(inputs / "report.yaml")
    blocks = [
        SummaryBlock(heading=c.summary_heading or c.title, bullets=list(c.summary_bullets), source=c.source or c.id)
        for c in report.chapters if c.summary_bullets
    ]
    if not blocks:
        raise InputError(
            str(inputs / "chapters"), "no chapter has summary bullets, so the summary would be empty",
            "add summary_heading and summary_bullets to the front matter of the chapters the summary should cover",
            code="summary_empty",
        )
    figures = [_key_figure(spec, report, config_file, n) for n, spec in enumerate(config.summary.key_figures)]
    case_studies = config.summary.case_studies or _case_study_titles(report)
    _check_named_in_report(report, config_file, case_studies, config.summary.resources)
    website = config.partnership.website
    full_report = config.summary.full_report or (
        f"Read the full {config.title.lower()} on the partnership website: {website}" if website
        else f"The full {config.title.lower()} is available from the partnership."
    )
    logo = inputs / config.brand.logo if config.brand.logo else None
    return SummaryContent(
        title=config.summary.title, partnership=config.partnership.name, short_name=config.partnership.short_name,
        period=config.period, blocks=blocks, figures=figures, case_studies=case_studies,
        resources=list(config.summary.resources), full_report=full_report, footer=config.brand.footer,
        logo=logo if logo and logo.is_file() else None, logo_alt=config.brand.logo_alt, source=config_file,
        imprint=imprint(config, inputs),
    )


def _key_figure(spec: KeyFigureSpec, report: Report, config_file: str, index: int) -> KeyFigure:
    try:
        if spec.expression is not None:
            value = render_figures(spec.expression, report.data).strip()
        else:
            figures = Figures(report.data)
            amount = figures.lookup(spec.table, spec.row, spec.column) if spec.row else figures.total(spec.table, spec.column)
            value = FORMATS[spec.format](amount)
    except FigureError as exc:
        raise InputError(config_file, exc.message, exc.fix,
                         field=f"summary.key_figures.{index + 1}", code="key_figure") from None
    return KeyFigure(value=value, label=spec.label)


def _check_named_in_report(report: Report, config_file: str, case_studies: list[str], resources: list[str]) -> None:
    """The summary's tiles say what is in the report: each must be mentioned in it somewhere (a chapter, a
    return or a case study; the briefings are published beside it, not in it), or a board member looks for
    something that is not there."""
    text = f" {' '.join(_words(' '.join(_report_texts(report))))} "
    missing = {key: [name for name in names if not _mentioned(name, text)]
               for key, names in (("case_studies", case_studies), ("resources", resources))}
    named = [f"'{name}'" for names in missing.values() for name in names]
    if named:
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        keys = " and ".join(f"summary.{key}" for key, names in missing.items() if names)
        raise InputError(
            config_file, f"the summary lists {listed} under 'Case studies and resources in the report', but the "
            f"report never mentions {'it' if len(named) == 1 else 'them'}",
            f"remove {'it' if len(named) == 1 else 'them'} from {keys} in report.yaml, or write about "
            f"{'it' if len(named) == 1 else 'them'} in a chapter", field=keys, code="summary_names_unknown",
        )


def _mentioned(name: str, text: str) -> bool:
    """As a run of whole words, whatever the case, apostrophes, spaces and hyphens, and in the singular or the
    plural: 'Spotlight briefings' is mentioned by 'spotlight briefing', 'App' is not by 'happy'."""
    words = _words(name)
    if not words:
        return True
    *first, last = words
    stems = {last, last.removesuffix("s"), last.removesuffix("es"), last + "s", last + "es"}
    return any(f" {' '.join([*first, stem])} " in text for stem in stems if stem)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).replace("’", "'").casefold())


def _report_texts(report: Report):
    for chapter in report.chapters:
        yield chapter.title
        yield plain_text(chapter.blocks)
    for submission in report.submissions:
        yield submission.agency_name
        for key in SectionKey:
            yield plain_text(submission.section(key))
        for study in submission.case_studies:
            yield study.title
            yield plain_text(study.blocks)


def _case_study_titles(report: Report) -> list[str]:
    seen: list[str] = []
    for submission in report.submissions:
        for study in submission.case_studies:
            if study.title not in seen:
                seen.append(study.title)
    return seen
