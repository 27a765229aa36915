"""The contract between the blank templates we send out and the readers that take them back.

The template writers (`assembler.templates_out`) and the return readers
(`assembler.readers`) both import these names, so a field renamed here is
renamed on both sides. Changing what a field means needs a new TEMPLATE_VERSION.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATE_VERSION = "1"

# The blank returns an agency can be sent (its `format:` in report.yaml). Each is also a kind the readers
# take back (readers/table.py; a test keeps them in step).
TEMPLATE_FORMATS = ("docx", "xlsx")

# Word content controls (w:sdt, w:tag) and Excel defined names share these field names.
FIELD_AGENCY_ID = "agency_id"
FIELD_AGENCY_NAME = "agency_name"
FIELD_PERIOD = "period"
SECTION_FIELDS = ("about", "activity", "priorities")
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email", "contact_phone")

# Indicators: a Word table (tag on the table's content control) or an Excel sheet, with these columns.
INDICATORS_FIELD = "indicators"
INDICATOR_COLUMNS = ("Indicator", "Value", "Unit", "Period", "Note")
INDICATOR_ROWS = 12  # blank rows offered in a template

# Case studies: optional, up to this many, each a title and a text.
CASE_STUDY_COUNT = 3

# The Excel template's other sheets' columns: the Return sheet's labels and boxes, the case studies' number, title
# and text (templates_out/excel.py writes them; readers/xlsx_return.py reports what an agency typed beyond them).
RETURN_COLUMNS = ("Field", "Your answer")
CASE_STUDY_COLUMNS = ("Case study", "Title", "Text")


def case_study_fields(number: int) -> tuple[str, str]:
    """The title and text field names of case study `number` (1-based)."""
    return f"case_study_{number}_title", f"case_study_{number}_text"


# The 7-minute briefing template the officer fills in (templates_out/briefing.py writes it,
# readers/briefing_docx.py reads it back): every field a content control named by its w:tag.
BRIEFING_FIELD_TITLE = "briefing_title"
BRIEFING_FIELD_DATE = "briefing_date"
BRIEFING_FIELD_AUDIENCE = "briefing_audience"


def briefing_section_fields(number: int) -> tuple[str, str]:
    """The heading and text field names of briefing part `number` (1-7)."""
    return f"section_{number}_heading", f"section_{number}_text"


# Excel sheet names.
SHEET_RETURN = "Return"
SHEET_INDICATORS = "Indicators"
SHEET_CASE_STUDIES = "Case studies"

# Text a template shows before anyone types: finding it in a return means the field was not filled in.
WORD_PLACEHOLDER = "Click or tap here to enter text."
PLACEHOLDER_PATTERNS = (
    re.compile(r"click or tap here to enter text", re.I),
    re.compile(r"\[agency name\]", re.I),
    re.compile(r"\bxx(\.x+)?\s*%", re.I),
    re.compile(r"\bTBC\b"),
    re.compile(r"\bTBA\b"),
    re.compile(r"\[insert[^\]]*\]", re.I),
)
# Every match of a pattern above contains one of these once case-folded (a test keeps them in step). No
# marker has an i, k or s: ignore-case matching also takes İ, ı, K (Kelvin) and ſ for them, case-folding not.
PLACEHOLDER_MARKERS = ("or tap here", "[", "xx", "tbc", "tba")

# The guidance each section shows in the template; also a placeholder if it is left in.
SECTION_GUIDANCE = {
    "about": "Describe your agency, who it serves in the area and how it safeguards children.",
    "activity": "Tell us what your agency did this year to keep children safe and what you are proud of.",
    "priorities": "List your agency's safeguarding priorities for the coming year and how you will know they worked.",
}

# The Word template's own lines around its fields (templates_out writes them). A return saved by a program that
# keeps the text but drops Word's block-level content controls (LibreOffice) is read by its headings instead,
# and then these lines are known as the template's, not the agency's (readers/docx_return.py).
REFERENCE_LABEL = "Return reference (do not change): "
AGENCY_LABEL = "Agency: "
CASE_STUDY_TITLE_LABEL = "Title: "
INDICATORS_GUIDANCE = ("One figure per row: what it counts, the number, its unit (%, £ or count), "
                       "the period it covers and any note. Add rows if you need more.")
CASE_STUDIES_GUIDANCE = "A short story of a child or family your agency helped, with names changed."
# How each line of the instructions under the title begins (templates_out/common.py goes on with the due date).
INSTRUCTION_OPENINGS = ("Please write ", "Write for a reader who does not work in your agency:", "Indicators are optional:")
_GUIDANCE_LINE = re.compile(r"(?P<guidance>.+?)(?: Up to \d+ words\.)?")


def is_template_prompt(text: str) -> bool:
    """A paragraph that is the Word template's own prompt: a section's guidance (with its word limit), the
    figures' or case studies' guidance, or the placeholder a field shows before anyone types."""
    text = text.strip()
    match = _GUIDANCE_LINE.fullmatch(text)
    return (text in (WORD_PLACEHOLDER, INDICATORS_GUIDANCE, CASE_STUDIES_GUIDANCE)
            or (match is not None and match["guidance"] in SECTION_GUIDANCE.values()))


# The document property that identifies a return whatever its file is renamed to:
# core property `identifier` in both .docx and .xlsx.
_IDENTIFIER = re.compile(r"^assembler-return;agency=(?P<agency>[a-z0-9-]+);period=(?P<period>\d{4}-\d{2});version=(?P<version>\w+)$")


@dataclass(frozen=True)
class ReturnIdentity:
    agency_id: str
    period: str
    version: str = TEMPLATE_VERSION

    def identifier(self) -> str:
        return f"assembler-return;agency={self.agency_id};period={self.period};version={self.version}"


def parse_identifier(text: str | None) -> ReturnIdentity | None:
    match = _IDENTIFIER.match((text or "").strip())
    if not match:
        return None
    return ReturnIdentity(match["agency"], match["period"], match["version"])


def find_placeholder(text: str) -> str | None:
    """The first template placeholder or guidance sentence left in `text`."""
    folded = text.casefold()
    # Nearly every section has no placeholder, and a look for the markers costs a twentieth of the patterns.
    if any(marker in folded for marker in PLACEHOLDER_MARKERS):
        for pattern in PLACEHOLDER_PATTERNS:
            match = pattern.search(text)
            if match:
                return match.group(0)
    for guidance in SECTION_GUIDANCE.values():
        if guidance.casefold() in folded:
            return guidance
    return None
