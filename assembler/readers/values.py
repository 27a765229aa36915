"""Numbers as agencies type them: '91.2%', '0.912' formatted as a percentage, '1,257', '£34,000', 'approx 300'."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assembler.schema.submission import NUMBER_QUALIFIER

_CURRENCY = {"£": "£", "$": "$", "€": "€"}
_NUMBER = re.compile(
    rf"^(?P<prefix>{NUMBER_QUALIFIER}\s*)?"
    r"(?P<minus>-(?=[£$€]))?(?P<currency>[£$€])?\s*"  # '-£1,204' as well as '£-1,204'
    r"(?P<number>[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?|[-+]?\.\d+)"
    r"\s*(?P<scale>k|m|bn)?\b\s*"
    r"(?P<unit>%|per\s?cent|percent)?\s*(?P<plus>\+)?\s*$",
    re.I,
)
_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# No figure in a partnership's report comes near a million million (the UK's whole public spending is about
# 1.2 million million pounds): anything larger, or not finite, is a typing accident, printed as typed.
MAX_FIGURE = 1e12
MAX_DIGITS = 40  # a longer run of digits is not parsed at all (float() of 400 nines is infinity)


@dataclass(frozen=True)
class ParsedValue:
    value: float | None
    unit: str | None
    before: str = ""  # the agency's qualifier, as they typed it: 'approx ', '<', '~'
    after: str = ""   # '+'

    @property
    def approximate(self) -> bool:
        return bool(self.before or self.after)


def parse_value(raw: object, number_format: str | None = None) -> ParsedValue:
    """A cell or typed value as a number and a unit; value None when there is no usable number.

    A real number in a cell formatted as a percentage (0.912 shown as 91.2%) is
    stored by Excel as a fraction, so it is scaled to the percentage people see.
    """
    if raw is None or isinstance(raw, bool):
        return ParsedValue(None, None)
    if isinstance(raw, (int, float)):
        if not in_range(float(raw)):
            return ParsedValue(None, None)
        if number_format and "%" in number_format:
            return ParsedValue(_tidy(float(raw) * 100), "%")
        unit = "£" if number_format and "£" in number_format else None
        return ParsedValue(float(raw), unit)
    text = str(raw).strip().replace("\u00a0", " ")
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed:  # an accountant's negative, '(1,204)' or '£(1,204)', typed as text: Excel reads it as -1204
        inner = parse_value(bracketed["currency"] + bracketed["figure"])
        if inner.value is not None and not inner.before and not inner.after:
            return ParsedValue(_tidy(-inner.value) if inner.value else 0.0, inner.unit)
    match = _NUMBER.match(text) if len(text) <= MAX_DIGITS * 2 else None
    if not match:
        return ParsedValue(None, None)
    number = float(match["number"].replace(",", "")) * (-1 if match["minus"] else 1)
    if match["scale"]:
        number *= _SCALES[match["scale"].lower()]
    if not in_range(number):
        return ParsedValue(None, None)
    unit = "%" if match["unit"] else _CURRENCY.get(match["currency"] or "")
    before = (match["prefix"] or "").strip()
    before += " " if before[-1:].isalpha() or before.endswith(".") else ""  # 'approx 300', 'c. 300', but '<5'
    return ParsedValue(_tidy(number), unit, before=before, after="+" if match["plus"] else "")


_BRACKETED = re.compile(r"(?P<currency>[£$€]?)\(\s*(?P<figure>[^()]+?)\s*\)")


def in_range(number: float) -> bool:
    """Finite and no larger than MAX_FIGURE either way."""
    return math.isfinite(number) and abs(number) <= MAX_FIGURE


def is_out_of_range(raw: str | None) -> bool:
    """True when `raw` is written as a number but is too large (or too long) to be a figure: '9' * 400, '1e999'."""
    text = (raw or "").strip().replace(",", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?[£$€]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?%?", text):
        return False
    try:
        return not in_range(float(text.strip("£$€%")))
    except ValueError:
        return False


def _tidy(number: float) -> float:
    """0.912 * 100 is 91.20000000000002 in binary; round away the float noise, not real digits."""
    return round(number, 9)
