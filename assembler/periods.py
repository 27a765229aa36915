"""An indicator's period, as agencies type it ('2023-24', '31/03/2024', 'March 2024', 'Q2 2023-24',
'21 Dec 2022 - Mar 2024'), read and printed again in the one style report.yaml chooses (issue 21).

A period that cannot be read is printed as the agency typed it: nothing is lost, only left unstyled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Style = Literal["long", "short", "numeric"]

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_FINANCIAL = re.compile(r"^(?:fy\s*)?(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})$", re.I)
_QUARTER = re.compile(r"^q([1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})$", re.I)
_DAY_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_DAY_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_WORDS = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(\d{{4}})$", re.I)
_MONTH_WORDS = re.compile(rf"^{_MONTH}\s+(\d{{4}})$", re.I)
_MONTH_NUMERIC = re.compile(r"^(\d{1,2})/(\d{4})$")
_CALENDAR = re.compile(r"^(\d{4})$")
_PREFIX = re.compile(r"^(as at|at|to|up to|year to|year ending|by|until|since|from)\s+(.+)$", re.I)  # 'at 31/03/2024'
_RANGE = re.compile(r"^(.+?)\s+(?:-|\u2013|\u2014|to)\s+(.+)$", re.I)


@dataclass(frozen=True)
class Period:
    kind: Literal["financial", "quarter", "day", "month", "calendar"]
    year: int
    month: int = 0
    day: int = 0
    quarter: int = 0


def read_period(text: str) -> Period | tuple[Period, Period] | None:
    """The period the text names (a range as two), or None when it is not one of the usual forms."""
    text = " ".join(text.split())
    one = _one(text)
    if one:
        return one
    match = _RANGE.match(text)
    if match:
        first, last = _one(match.group(1)), _one(match.group(2))
        if first and last:
            return first, last
    return None


def _one(text: str) -> Period | None:
    if match := _FINANCIAL.match(text):
        start, end = int(match.group(1)), int(match.group(2))
        return Period("financial", start) if end % 100 == (start + 1) % 100 and end in (start + 1, (start + 1) % 100) else None
    if match := _QUARTER.match(text):
        start, end = int(match.group(2)), int(match.group(3))
        return Period("quarter", start, quarter=int(match.group(1))) if end % 100 == (start + 1) % 100 else None
    if match := _DAY_NUMERIC.match(text):  # British order: day, month, year
        return _day(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _DAY_ISO.match(text):
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DAY_WORDS.match(text):
        return _day(int(match.group(3)), _month_number(match.group(2)), int(match.group(1)))
    if match := _MONTH_WORDS.match(text):
        return Period("month", int(match.group(2)), month=_month_number(match.group(1)))
    if match := _MONTH_NUMERIC.match(text):
        month = int(match.group(1))
        return Period("month", int(match.group(2)), month=month) if 1 <= month <= 12 else None
    if match := _CALENDAR.match(text):
        return Period("calendar", int(match.group(1)))
    return None


def _month_number(name: str) -> int:
    return next(i for i, month in enumerate(MONTHS, start=1) if month.startswith(name.casefold().rstrip(".")[:3]))


def _day(year: int, month: int, day: int) -> Period | None:
    try:
        date(year, month, day)
    except ValueError:
        return None
    return Period("day", year, month=month, day=day)


def print_period(text: str | None, style: Style = "long") -> str:
    """The period in the chosen style; as typed when it cannot be read."""
    if not text:
        return ""
    period = read_period(text)
    prefix = _PREFIX.match(" ".join(text.split()))
    if period is None and prefix and read_period(prefix.group(2)) is not None:
        return f"{prefix.group(1)} {print_period(prefix.group(2), style)}"
    if period is None:
        return text
    if isinstance(period, tuple):
        return f"{_print(period[0], style)} to {_print(period[1], style)}"
    return _print(period, style)


def _print(period: Period, style: Style) -> str:
    if period.kind == "financial":
        return _financial(period.year, style)
    if period.kind == "quarter":
        return f"Q{period.quarter} {_financial(period.year, style)}"
    if period.kind == "calendar":
        return str(period.year)
    name = MONTHS[period.month - 1].capitalize()
    if period.kind == "month":
        return {"long": f"{name} {period.year}", "short": f"{name[:3]} {period.year}",
                "numeric": f"{period.month:02d}/{period.year}"}[style]
    return {"long": f"{period.day} {name} {period.year}", "short": f"{period.day} {name[:3]} {period.year}",
            "numeric": f"{period.day:02d}/{period.month:02d}/{period.year}"}[style]


def _financial(year: int, style: Style) -> str:
    return f"{year}{'-' if style == 'long' else '/'}{(year + 1) % 100:02d}"
