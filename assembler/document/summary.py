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
from assembler.schema import Heading, Report, SectionKey, block_runs
from assembler.typography import typeset_text

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
    case_studies = config.summary.case_studies or _case_study_headings(report)
    _check_named_in_report(report, config_file, case_studies, config.summary.resources)
    website = config.partnership.website
    full_report = config.summary.full_report or (
        f"Read the full {config.title.lower()} on the partnership website: {website}" if website
        else f"The full {config.title.lower()} is available from the partnership."
    )
    logo = inputs / config.brand.logo if config.brand.logo else None
    return SummaryContent(
        title=typeset_text(config.summary.title), partnership=config.partnership.name, short_name=config.partnership.short_name,
        period=config.period, blocks=blocks, figures=figures, case_studies=[typeset_text(name) for name in case_studies],
        resources=[typeset_text(name) for name in config.summary.resources], full_report=typeset_text(full_report),
        footer=config.brand.footer,
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
    return KeyFigure(value=value, label=typeset_text(spec.label))


def _check_named_in_report(report: Report, config_file: str, case_studies: list[str], resources: list[str]) -> None:
    """The summary's tiles point into the report: each case study is one of the report's case studies (not an
    agency, a committee or a bullet that shares its words), each resource a link or a heading the report has;
    otherwise a board member turns to a page that is not there."""
    missing = {"case_studies": [name for name in case_studies if tile_target(name, "case_studies", report) is None],
               "resources": [name for name in resources if tile_target(name, "resources", report) is None]}
    named = [f"'{name}'" for names in missing.values() for name in names]
    if named:
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        keys = " and ".join(f"summary.{key}" for key, names in missing.items() if names)
        studies = [f"'{title}'" for title in _case_study_headings(report)]
        have = (f" (its case studies: {', '.join(studies)})" if studies else " (it has no case studies)") if missing["case_studies"] else ""
        raise InputError(
            config_file, f"the summary lists {listed} under 'Case studies and resources in the report', but the report "
            f"has no {' or '.join(w for k, w in (('case_studies', 'case study'), ('resources', 'link or heading')) if missing[k])} "
            f"of that name{have}",
            f"name under summary.case_studies only the report's case studies, and under summary.resources only what the "
            f"report links to or heads a section with; or remove {'it' if len(named) == 1 else 'them'} from {keys} in "
            "report.yaml", field=keys, code="summary_names_unknown",
        )


def tile_target(name: str, kind: str, report: Report) -> str | None:
    """What a tile points to, as the report prints it: the case study's heading ('Title (Agency)'), or the link's
    words or heading the resource names; None when the report has none."""
    if kind == "case_studies":
        candidates = _case_study_headings(report)
    else:
        candidates = [*_link_words(report), *_headings(report)]
    return next((text for text in candidates if _mentioned(name, f" {' '.join(_words(text))} ")), None)


def with_pages(content: SummaryContent, report: Report, report_pages: list[str]) -> SummaryContent:
    """Each tile with the page of the report it points to ('Spotlight briefings, page 51'), found in the
    report's PDF as printed (`report_pages`, its text page by page): the first page whose words hold the case
    study's heading or the link's words."""
    from dataclasses import replace

    pages = [f" {' '.join(_words(text))} " for text in report_pages]

    def paged(name: str, kind: str) -> str:
        target = tile_target(name, kind, report)
        wanted = f" {' '.join(_words(target))} " if target else None
        page = next((number for number, text in enumerate(pages, start=1) if wanted and wanted in text), None)
        return f"{name}, page {page}" if page else name

    return replace(content, case_studies=[paged(n, "case_studies") for n in content.case_studies],
                   resources=[paged(n, "resources") for n in content.resources])


def _case_study_headings(report: Report) -> list[str]:
    # As the report heads them (document/report.py): the agency's name typeset.
    return [f"{study.title} ({typeset_text(submission.agency_name)})" for submission in report.submissions
            for study in submission.case_studies]


def _all_blocks(report: Report):
    for chapter in report.chapters:
        yield from chapter.blocks
    for submission in report.submissions:
        for key in SectionKey:
            yield from submission.section(key)
        for study in submission.case_studies:
            yield from study.blocks


def _link_words(report: Report) -> list[str]:
    words: list[str] = []
    for block in _all_blocks(report):
        runs = list(block_runs(block))
        for index, run in enumerate(runs):  # a link may be several runs: its words together
            if run.link and (index == 0 or runs[index - 1].link != run.link):
                end = index
                while end < len(runs) and runs[end].link == run.link:
                    end += 1
                words.append("".join(r.text for r in runs[index:end]))
    return words


def _headings(report: Report) -> list[str]:
    return [block.text for block in _all_blocks(report) if isinstance(block, Heading)] + [c.title for c in report.chapters]


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
