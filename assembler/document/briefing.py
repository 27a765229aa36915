"""What a 7-minute briefing says, before any layout: its header lines, seven sections, the brand tile.

Both briefing writers (PDF and DOCX) print exactly these texts; the sections keep their blocks (and
the charts they name, resolved here), so a writer sets them with its one block renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assembler.config import ReportConfig
from assembler.document.charts import ChartData
from assembler.document.imprint import Imprint, imprint
from assembler.schema import Briefing, BriefingSection, ChartRef

KICKER = "7-minute briefing"


@dataclass(frozen=True)
class BriefingPlan:
    slug: str
    title: str
    meta: str  # the date and the audience, under the header band
    sections: list[BriefingSection]  # seven, in order: each a box
    tile: list[str]  # the eighth cell: who published it (first line, a heading) and where to find more
    footer: str
    imprint: Imprint
    inputs: Path  # where the sections' pictures are
    charts: dict[str, ChartData]  # the charts the sections name
    source: str  # where to look when it does not fit
    kicker: str = KICKER

    @property
    def document_title(self) -> str:
        return f"{self.kicker}: {self.title}"


def briefing_date(briefing: Briefing) -> str:
    return f"{briefing.date.day} {briefing.date:%B %Y}"


def plan_briefing(briefing: Briefing, config: ReportConfig, inputs: Path, charts: dict[str, ChartData]) -> BriefingPlan:
    named = {block.chart for section in briefing.sections for block in section.blocks if isinstance(block, ChartRef)}
    return BriefingPlan(
        slug=briefing.slug, title=briefing.title,
        meta=f"{briefing_date(briefing)} · For: {briefing.audience}",
        sections=list(briefing.sections), tile=_tile_lines(config),
        # The title is in the band above; leaving it out keeps the footer clear of the website on the right.
        footer=f"{config.partnership.short_name} · {KICKER} · {briefing_date(briefing)}",
        imprint=imprint(config, inputs), inputs=inputs,
        charts={name: charts[name] for name in sorted(named) if name in charts},
        source=briefing.source or f"briefings/{briefing.slug}.yaml",
    )


def _tile_lines(config: ReportConfig) -> list[str]:
    lines = [config.partnership.name]
    if config.partnership.website:
        lines.append(f"More briefings and resources: {config.partnership.website}")
    lines.append("Read it with your team, talk through the questions and agree one thing you will do differently.")
    return lines
