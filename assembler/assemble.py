"""Everything the build needs, read from an inputs folder: config, data, chapters, briefings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assembler.checks.acronyms import abbreviation_warning, missing_abbreviations
from assembler.document.charts import ChartData, ChartDataError, chart_data
from assembler.config import ReportConfig
from assembler.content.briefings import load_briefings, stray_briefing_files
from assembler.content.chapters import load_chapters, unlisted_chapters
from assembler.content.emoji_warnings import partnership_emoji_warnings, word_briefing_emoji_warnings
from assembler.content.glossary import with_glossary_entries
from assembler.content.workbooks import load_workbooks
from assembler.problems import Problem
from assembler.schema import Partnership, Report, Submission


@dataclass
class PartnershipContent:
    """The partnership's own material and every problem found reading it."""

    report: Report
    charts: dict[str, ChartData]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # printed, never stop the build


@dataclass
class PartnershipMaterial:
    """What the partnership wrote itself: readable before, and while, the returns are read."""

    tables: dict
    chapters: list
    briefings: list
    charts: dict[str, ChartData]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    report_yaml: str = "report.yaml"  # the file a problem with report.yaml's own settings names


def load_partnership_content(inputs: Path, config: ReportConfig, submissions: list[Submission]) -> PartnershipContent:
    return assemble_report(read_partnership_material(inputs, config), config, submissions)


def read_partnership_material(inputs: Path, config: ReportConfig) -> PartnershipMaterial:
    tables, problems = load_workbooks(inputs)
    chapters, chapter_problems = load_chapters(inputs, config.chapters, tables)
    chapters, glossary_warnings = with_glossary_entries(chapters, config, inputs)
    briefings, briefing_problems = load_briefings(inputs, config.limits)
    problems += chapter_problems + briefing_problems
    charts: dict[str, ChartData] = {}
    for chart in config.charts:
        try:
            charts[chart.id] = chart_data(chart, tables)
        except ChartDataError as exc:
            problems.append(Problem(code="chart_data", file=str(inputs / "report.yaml"), field=f"charts.{chart.id}", message=str(exc),
                                    fix="fix the chart in report.yaml or the workbook it reads"))
    problems += _unknown_chart_refs(chapters, briefings, charts, inputs)
    warnings = unlisted_chapters(inputs, config.chapters) + stray_briefing_files(inputs) + glossary_warnings
    warnings += partnership_emoji_warnings(inputs, config.chapters) + word_briefing_emoji_warnings(briefings)
    return PartnershipMaterial(tables, chapters, briefings, charts, problems, warnings, str(inputs / "report.yaml"))


def assemble_report(material: PartnershipMaterial, config: ReportConfig, submissions: list[Submission]) -> PartnershipContent:
    tables, chapters, briefings, charts = material.tables, material.chapters, material.briefings, material.charts
    problems = list(material.problems)
    report = Report(
        partnership=Partnership(name=config.partnership.name, short_name=config.partnership.short_name),
        period=config.period,
        plan_period=config.plan_period,
        chapters=chapters,
        submissions=sorted(submissions, key=lambda s: s.agency_name.casefold()),
        data=tables,
        briefings=briefings,
    )
    warnings = list(material.warnings)
    undefined = abbreviation_warning(missing_abbreviations(report, config), material.report_yaml)
    warnings += [undefined] if undefined else []
    return PartnershipContent(report=report, charts=charts, problems=problems, warnings=warnings)


def _unknown_chart_refs(chapters, briefings, charts: dict[str, ChartData], inputs: Path) -> list[Problem]:
    """A chart named in a chapter or a briefing section that report.yaml does not define."""
    from assembler.schema import ChartRef

    named = [(chapter.source or chapter.id, chapter.blocks) for chapter in chapters]
    named += [(briefing.source or f"briefings/{briefing.slug}.yaml", section.blocks)
              for briefing in briefings for section in briefing.sections]
    problems = []
    for source, blocks in named:
        for block in blocks:
            if isinstance(block, ChartRef) and block.chart not in charts:
                problems.append(Problem(
                    code="unknown_chart", file=str(inputs / source), field="chart",
                    message=f"the chart '{block.chart}' is not defined",
                    fix=f"define it under charts: in report.yaml (defined: {', '.join(sorted(charts)) or 'none'})"))
    return problems
