"""Chart data and its alternative text, from a data table: shared by every writer."""

from __future__ import annotations

from dataclasses import dataclass

from assembler.config import Chart
from assembler.schema import DataTable


@dataclass(frozen=True)
class ChartData:
    id: str
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str  # '£', '%' or 'count'

    @property
    def total(self) -> float:
        return sum(self.values)

    def format_value(self, value: float) -> str:
        if self.unit == "£":
            return f"£{value:,.0f}"
        if self.unit == "%":
            return f"{value:g}%"
        return f"{value:,.0f}"

    def value_label(self, value: float) -> str:
        """'£139,936 (52%)': the value, with its share of the total unless the values are already percentages.
        What every chart prints at the end of its bar and what its alt text says."""
        share = f" ({value / self.total * 100:.0f}%)" if self.unit != "%" and self.total else ""
        return self.format_value(value) + share

    @property
    def alt_text(self) -> str:
        """Every bar in words, with its share where shares make sense."""
        parts = [f"{label} {self.value_label(value)}" for label, value in zip(self.labels, self.values)]
        total = f" Total {self.format_value(self.total)}." if self.unit != "%" else ""
        return f"{self.title}: " + ", ".join(parts) + "." + total


class ChartDataError(ValueError):
    pass


def chart_data(chart: Chart, tables: dict[str, DataTable]) -> ChartData:
    table = tables.get(chart.table)
    if table is None:
        raise ChartDataError(f"chart '{chart.id}' needs data table '{chart.table}', which no workbook in data/ provides")
    for column in (chart.label, chart.value):
        if column not in table.columns:
            raise ChartDataError(f"chart '{chart.id}': table '{chart.table}' has no column '{column}' (columns: {', '.join(table.columns)})")
    labels, values = [], []
    label_at, value_at = table.columns.index(chart.label), table.columns.index(chart.value)
    for row in table.data_rows():  # a typed 'Total' row would double the bars
        label, value = row[label_at], row[value_at]
        if not isinstance(value, (int, float)):
            raise ChartDataError(f"chart '{chart.id}': '{label}' has no number in column '{chart.value}' (found {value!r})")
        labels.append(str(label))
        values.append(float(value))
    if not labels:
        raise ChartDataError(f"chart '{chart.id}': table '{chart.table}' has no rows")
    return ChartData(chart.id, chart.title, tuple(labels), tuple(values), chart.unit)
