"""Charts made in Word (Insert > Chart, or a chart pasted from Excel as a chart): their figures, in words.

Word keeps such a chart as a drawing that names a chart part (c:chart r:id); the part holds the chart's title
and, for each series, the figures last shown (c:strCache and c:numCache: the embedded workbook itself is never
opened). The report cannot draw the agency's chart, so its figures are read as lines after the paragraph that
holds it, a line per category ('April: Referrals 40, Assessments 31'), and the return's notes say so: without
this, a chart's figures were left out of the report and nothing said so. A newer chart type (Insert > Chart >
Waterfall, Histogram, Treemap: cx:chart) is printed from the picture Word keeps beside it, where there is one.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assembler.readers.docx_package import qn
from assembler.schema.submission import is_spreadsheet_error

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CHART_REF = C + "chart"
CHARTEX = "{http://schemas.microsoft.com/office/drawing/2014/chartex}chart"
_PLOTS = ("barChart", "bar3DChart", "lineChart", "line3DChart", "pieChart", "pie3DChart", "doughnutChart",
          "ofPieChart", "areaChart", "area3DChart", "radarChart", "scatterChart", "bubbleChart", "stockChart",
          "surfaceChart", "surface3DChart")


def chart_title(chart_space) -> str:
    """The chart's own title, as shown ('' when it has none, or shows only Excel's automatic one)."""
    title = chart_space.find(f"{C}chart/{C}title")
    return _rich_text(title) if title is not None else ""


def chart_lines(chart_space) -> list[str]:
    """The chart's title and figures as lines: 'Chart: <title>', then a line per category with each series'
    figure, as its number format shows it. No line at all when the chart holds no figures.

    A category is its point's place in the series, as Excel draws it: two categories with the same label are two
    lines, and a series that names no categories of its own is drawn against the others'. A scatter chart's
    points are lined up by their x value instead."""
    series = [(plot.tag in _BY_X_VALUE, *_series(ser)) for plot in _plots(chart_space) for ser in plot.iter(C + "ser")]
    series = [s for s in series if s[3]]
    if not series:
        return []
    categories: dict[object, list] = {}  # by point index (by x value on a scatter chart): [label, figures shown]
    for by_x, name, labels, values in series:
        for index, value in values.items():
            label = labels.get(index)
            line = categories.setdefault(("x", label or str(index + 1)) if by_x else index, [None, []])
            line[0] = line[0] or label
            line[1].append(f"{name} {value}" if name and len(series) > 1 else value)
    order = sorted(categories, key=lambda key: (0, key) if isinstance(key, int) else (1, 0))  # x values as met
    title = chart_title(chart_space)
    heading = f"Chart: {title}" if title else ("Chart: " + series[0][1] if len(series) == 1 and series[0][1] else "Chart")
    lines = []
    for key in order:
        label, shown = categories[key]
        lines.append(f"{label or (key[1] if isinstance(key, tuple) else str(key + 1))}: {', '.join(shown)}")
    return [heading] + lines


_BY_X_VALUE = {C + "scatterChart", C + "bubbleChart"}


def _plots(chart_space):
    area = chart_space.find(f"{C}chart/{C}plotArea")
    return [child for child in (area if area is not None else []) if child.tag in {C + p for p in _PLOTS}]


def _series(ser) -> tuple[str, dict[int, str], dict[int, str]]:
    """A series' name, its category labels and its figures (shown as their number format shows them), by index."""
    name_el = ser.find(C + "tx")
    name = " ".join(_cached(name_el).values()) if name_el is not None else ""
    labels = _shown_points(ser, ("cat", "xVal"))
    values = _shown_points(ser, ("val", "yVal"))
    return name.strip(), labels, values


def _shown_points(ser, tags: tuple[str, ...]) -> dict[int, str]:
    for tag in tags:
        found = ser.find(C + tag)
        if found is not None:
            fmt = found.find(f".//{C}formatCode")
            return {index: _shown(text, fmt.text or "" if fmt is not None else "") for index, text in _cached(found).items()}
    return {}


def _cached(element) -> dict[int, str]:
    """The points a reference last showed (or a literal's), by index; the levels of a multi-level category
    joined ('2023 Q1'), the outer level's label on each of its categories. A plain c:v (a series named by text)
    is point 0."""
    levels = [_points(level) for level in element.iter(C + "lvl")] or [_points(element)]
    if not any(levels):
        direct = element.find(C + "v")
        return {0: direct.text.strip()} if direct is not None and direct.text else {}
    inner, outer = levels[0], levels[1:]
    # A multi-level category lists the inner level first, and an outer label once, at the first of its group.
    joined, groups = {}, [""] * len(outer)
    for index in sorted(inner):
        groups = [level.get(index, group) for level, group in zip(outer, groups)]
        joined[index] = " ".join(filter(None, [*reversed(groups), inner[index]]))
    return joined


def _points(element) -> dict[int, str]:
    points = {}
    for pt in element.iter(C + "pt"):
        value = pt.find(C + "v")
        index = pt.get("idx", "")
        if value is not None and value.text and index.isdigit():
            points[int(index)] = value.text.strip()
    return points


NOT_AVAILABLE = "not available"  # as a key figure whose cell holds a spreadsheet error prints
# A number format's parts: a quoted literal, an escaped character, a currency ([$£-809]), a colour, condition or
# locale ([Red], [$-en-GB]), a space or fill (_) *-), or one character, a code or a sign shown as it is ('£', '(').
_FORMAT_TOKEN = re.compile(r'"([^"]*)"?|\\(.)|\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]|[_*].?|(.)', re.S)
_PLACEHOLDERS = "0#?"
_CODES = _PLACEHOLDERS + ".,%"


def _shown(text: str, number_format: str) -> str:
    """A cached figure as the chart shows it: '0.35' with '0%' is '35%', '1204' with '"£"#,##0' is '£1,204',
    45383 with 'mmm-yy' is 'April 2024'; rounded as Excel rounds (a half up). A format this does not follow
    (General, a fraction, a time) leaves the figure as Word stored it."""
    if is_spreadsheet_error(text):
        return NOT_AVAILABLE  # a formula that failed (#N/A): never printed as if it were a figure
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if not number_format.strip() or number_format.strip().casefold() == "general":
        # Excel's General shows at most ten significant digits: a worked-out 91.666666666666671 reads 91.66666667.
        return str(int(number)) if number == number.to_integral_value() and abs(number) < 10 ** 15 else f"{float(number):.10g}"
    sections = _sections(number_format)
    negative = number < 0 and len(sections) > 1 and sections[1].strip() != ""
    tokens = _tokens(sections[1] if negative else sections[0])  # a negative figure's own format shows no '-'
    value = abs(number) if negative else number
    codes = "".join(t for is_code, t in tokens if is_code).casefold()
    if ("d" in codes or "y" in codes or "mmm" in codes) and 0 < number < 2958466:  # Excel's day count, as a date
        day = datetime(1899, 12, 30) + timedelta(days=int(number))
        return f"{day:%B %Y}" if "d" not in codes else f"{day.day} {day:%B %Y}"
    places_at = [i for i, (is_code, t) in enumerate(tokens) if is_code and t in _PLACEHOLDERS]
    if not places_at:
        return text
    first, last = places_at[0], places_at[-1]
    between = [t for is_code, t in tokens[first:last] if not is_code]
    if "/" in "".join(between):
        return text  # a fraction ('# ?/?'): as stored
    point = next((i for i, (is_code, t) in enumerate(tokens) if is_code and t == "."), None)
    exponent = next((i for i, (is_code, t) in enumerate(tokens[:-1]) if is_code and t in "eE" and tokens[i + 1][1] in "+-"),
                    len(tokens))
    decimals = [t for i, (is_code, t) in enumerate(tokens) if point is not None and point < i < exponent and i in places_at]
    if exponent < len(tokens):  # scientific: '1.20E+04'
        return f"{float(value):.{len(decimals)}E}"
    value = value * 100 ** codes.count("%") / 1000 ** sum(1 for i, (c, t) in enumerate(tokens) if c and t == "," and i > last)
    grouped = any(c and t == "," for c, t in tokens[first:last])
    try:
        rounded = value.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a figure has (1E+300): as stored
        return text
    shown = f"{rounded:,f}" if grouped else f"{rounded:f}"
    if "." in shown:  # '#' places show only the digits there are: '0.#' shows 2.5 and 2
        whole, fraction = shown.split(".")
        fraction = fraction.rstrip("0").ljust(decimals.count("0"), "0")
        shown = f"{whole}.{fraction}" if fraction else whole
    words = lambda part: "".join(t for c, t in part if not c or t == "%")  # noqa: E731
    return words(tokens[:first]) + shown + words(tokens[last + 1:])


def _sections(number_format: str) -> list[str]:
    """A format's sections (positive; negative; zero; text), split at the semicolons outside quotes."""
    sections, quoted, current = [], False, []
    for character in number_format:
        if character == '"':
            quoted = not quoted
        if character == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(character)
    return sections + ["".join(current)]


def _tokens(section: str) -> list[tuple[bool, str]]:
    """(is a code, text) for each part of a format section: a literal is the text it shows."""
    tokens = []
    for match in _FORMAT_TOKEN.finditer(section):
        literal, escaped, currency, character = match.groups()
        if character is not None:
            tokens.append((character in _CODES or character.isalpha(), character))
        elif (shown := literal if literal is not None else escaped if escaped is not None else currency):
            tokens.append((False, shown))
    return tokens


def _rich_text(title) -> str:
    lines = ["".join(t.text or "" for t in p.iter(qn("a:t"))) for p in title.iter(qn("a:p"))]
    text = " ".join(line.strip() for line in lines if line.strip())
    return text or " ".join(_cached(title).values())
