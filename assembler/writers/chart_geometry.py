"""A report chart's height, the same in the PDF (a vector drawing) and the DOCX (a picture), so both
take the same room on the page. Plain numbers: neither format's library is needed."""

from __future__ import annotations

from assembler.document.charts import ChartData

BAR_PITCH = 24.0  # points per bar, bar plus gap


def chart_height(chart: ChartData) -> float:
    """The height in points that gives every bar the same thickness whatever the chart."""
    return len(chart.labels) * BAR_PITCH + 8
