"""What both template writers share: labels, instructions and the fixed date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assembler.config import Agency, ReportConfig
from assembler.schema import SectionKey, section_title
from assembler.template_fields import (
    CASE_STUDY_COUNT,
    CONTACT_FIELDS,
    INSTRUCTION_OPENINGS,
    SECTION_GUIDANCE,
    ReturnIdentity,
)

CONTACT_LABELS = {
    "contact_name": "Contact name",
    "contact_role": "Role",
    "contact_email": "E-mail",
    "contact_phone": "Telephone",
}
assert set(CONTACT_LABELS) == set(CONTACT_FIELDS)


def fixed_datetime(config: ReportConfig) -> datetime:
    """Every template is stamped with the publication date, never the time of writing."""
    d = config.publication_date
    return datetime(d.year, d.month, d.day)


def zip_date_time(config: ReportConfig) -> tuple[int, int, int, int, int, int]:
    d = config.publication_date
    return (d.year, d.month, d.day, 0, 0, 0)


def identity(agency: Agency, config: ReportConfig) -> ReturnIdentity:
    return ReturnIdentity(agency.id, config.period)


@dataclass(frozen=True)
class TemplateProperties:
    """The document properties of a blank return, the same in Word and Excel: the identifier
    lets a return be recognised whatever its file is renamed to."""

    identifier: str
    title: str
    subject: str
    language: str
    who: str
    keywords: str
    when: datetime


def template_properties(agency: Agency, config: ReportConfig) -> TemplateProperties:
    return TemplateProperties(
        identifier=identity(agency, config).identifier(),
        title=template_title(agency, config),
        subject=f"{config.partnership.name}: agency return {config.period}",
        language=config.partnership.language,
        who=config.partnership.name,
        keywords=f"{agency.id}; {config.period}",
        when=fixed_datetime(config),
    )


def template_title(agency: Agency, config: ReportConfig) -> str:
    return f"{config.partnership.short_name} {config.title} {config.period}: return from {agency.name}"


def section_heading(key: str, config: ReportConfig) -> str:
    return section_title(SectionKey(key), config.activity_year, config.plan_year)


def section_guidance(key: str, config: ReportConfig) -> str:
    """The guidance line under a section heading, ending with its word limit."""
    limit = config.rules.word_limits.get(key)
    suffix = f" Up to {limit} words." if limit else ""
    return SECTION_GUIDANCE[key] + suffix


def instructions(agency: Agency, config: ReportConfig, fmt: str) -> list[str]:
    due = f" by {agency.due:%d %B %Y}" if agency.due else ""
    # Said so that it is true wherever the agency opens the file: Word, LibreOffice, Excel, a web viewer.
    where = ("under each heading, in place of the grey prompt text" if fmt == "docx"
             else "in the shaded cells (column B here, and on the Indicators and Case studies sheets)")
    please, reader, indicators = INSTRUCTION_OPENINGS  # a reader knows the lines by how they begin
    return [
        f"{please}{where}, and send this file back to the partnership{due}. "
        "You can rename the file: it is recognised by its properties.",
        f"{reader} plain words, no unexplained acronyms. "
        "Bullets, numbered lists, bold text, links and small tables are kept.",
        f"{indicators} give each one a value and a unit (%, £ or count). "
        f"Up to {CASE_STUDY_COUNT} short case studies are optional; leave them blank if you have none.",
    ]


def case_study_labels(number: int) -> tuple[str, str]:
    return f"Case study {number}: title", f"Case study {number}: text"
