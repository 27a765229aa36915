"""A chart as inline SVG (no script, no request), its words as the SVG's title and description, and its
data as a table a reader can open beside it."""

from __future__ import annotations

from html import escape

from assembler.document.charts import ChartData

WIDTH = 640
ROW = 46          # one bar: its label above, the bar and its value below
BAR = 18
LABEL_GAP = 16
VALUE_ROOM = 150  # room right of the longest bar for its value ('£139,936 (52%)')
FONT_SIZE = 14


def chart_figure(data: ChartData, caption: str | None, chart_id: str, colour: str) -> str:
    svg = chart_svg(data, chart_id, colour)
    rows = "\n".join(f"<tr><th scope=\"row\">{escape(label)}</th><td class=\"number\">{escape(data.value_label(value))}</td></tr>"
                     for label, value in zip(data.labels, data.values))
    table = (f"<table>\n<caption>{escape(data.title)}: the data</caption>\n"
             f"<thead>\n<tr><th scope=\"col\">Item</th><th scope=\"col\" class=\"number\">Value</th></tr>\n</thead>\n"
             f"<tbody>\n{rows}\n</tbody>\n</table>")
    # The caption ends the figure (HTML allows it first or last); the data follows it, closed until asked for.
    # Drawn no narrower than its labels can be read at (its text scales with it), scrolling sideways on a phone.
    svg = f"<div class=\"chart-scroll\" role=\"region\" aria-label=\"{escape(data.title)}\" tabindex=\"0\">\n{svg}\n</div>"
    return (f"<div class=\"chart\">\n<figure>\n{svg}\n<figcaption>{escape(caption or data.title)}</figcaption>\n</figure>\n"
            f"<details>\n<summary>The data in this chart, as a table</summary>\n{table}\n</details>\n</div>")


def chart_svg(data: ChartData, chart_id: str, colour: str) -> str:
    height = ROW * len(data.values) + 8
    largest = max((abs(v) for v in data.values), default=0) or 1
    span = WIDTH - VALUE_ROOM
    parts = [f"<svg class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" "
             f"aria-labelledby=\"{chart_id}-title {chart_id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">",
             f"<title id=\"{chart_id}-title\">{escape(data.title)}</title>",
             f"<desc id=\"{chart_id}-desc\">{escape(data.alt_text)}</desc>"]
    for index, (label, value) in enumerate(zip(data.labels, data.values)):
        top = index * ROW
        length = max(1.0, span * abs(value) / largest)
        parts.append(f"<text x=\"0\" y=\"{top + LABEL_GAP}\" font-size=\"{FONT_SIZE}\" fill=\"currentColor\">{escape(label)}</text>")
        parts.append(f"<rect x=\"0\" y=\"{top + LABEL_GAP + 6}\" width=\"{length:.1f}\" height=\"{BAR}\" fill=\"{colour}\"/>")
        parts.append(f"<text x=\"{length + 6:.1f}\" y=\"{top + LABEL_GAP + 6 + BAR - 4}\" font-size=\"{FONT_SIZE}\" "
                     f"fill=\"currentColor\">{escape(data.value_label(value))}</text>")
    parts.append("</svg>")
    return "\n".join(parts)
