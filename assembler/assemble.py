"""Everything the build needs, read from an inputs folder: config, data, chapters, briefings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assembler.charts_data import ChartData, ChartDataError, chart_data
from assembler.checks.acronyms import abbreviation_warning, missing_abbreviations
from assembler.config import ReportConfig
from assembler.content.briefings import load_briefings, stray_briefing_files
from assembler.content.chapters import load_chapters, unlisted_chapters
from assembler.content.glossary import with_glossary_entries
from assembler.content.workbooks import load_workbooks
from assembler.errors import InputError
from assembler.schema import Partnership, Report, Submission


@dataclass
class PartnershipContent:
    """The partnership's own material and every problem found reading it."""

    report: Report
    charts: dict[str, ChartData]
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)  # printed, never stop the build


@dataclass
class PartnershipMaterial:
    """What the partnership wrote itself: readable before, and while, the returns are read."""

    tables: dict
    chapters: list
    briefings: list
    charts: dict[str, ChartData]
    problems: list[InputError]
    warnings: list[InputError] = field(default_factory=list)
    report_yaml: str = "report.yaml"  # the file a problem with report.yaml's own settings names


def load_partnership_content(inputs: Path, config: ReportConfig, submissions: list[Submission]) -> PartnershipContent:
    return assemble_report(read_partnership_material(inputs, config), config, submissions)


def read_partnership_material(inputs: Path, config: ReportConfig) -> PartnershipMaterial:
    tables, problems = load_workbooks(inputs)
    chapters, chapter_problems = load_chapters(inputs, config.chapters, tables)
    chapters, glossary_warnings = with_glossary_entries(chapters, config, inputs)
    briefings, briefing_problems = load_briefings(inputs)
    problems += chapter_problems + briefing_problems
    charts: dict[str, ChartData] = {}
    for chart in config.charts:
        try:
            charts[chart.id] = chart_data(chart, tables)
        except ChartDataError as exc:
            problems.append(InputError(str(inputs / "report.yaml"), str(exc), "fix the chart in report.yaml or the workbook it reads", field=f"charts.{chart.id}"))
    problems += _unknown_chart_refs(chapters, charts, inputs)
    warnings = unlisted_chapters(inputs, config.chapters) + stray_briefing_files(inputs) + glossary_warnings
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


def _unknown_chart_refs(chapters, charts: dict[str, ChartData], inputs: Path) -> list[InputError]:
    from assembler.schema import ChartRef

    problems = []
    for chapter in chapters:
        for block in chapter.blocks:
            if isinstance(block, ChartRef) and block.chart not in charts:
                problems.append(InputError(
                    str(inputs / (chapter.source or chapter.id)), f"the chart '{block.chart}' is not defined",
                    f"define it under charts: in report.yaml (defined: {', '.join(sorted(charts)) or 'none'})", field="chart",
                ))
    return problems
