"""Who publishes a one-pager and in what brand: what its writers need from report.yaml, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assembler.config import Brand, ReportConfig


@dataclass(frozen=True)
class Imprint:
    brand: Brand
    name: str  # the partnership's name: the documents' author
    short_name: str
    website: str | None
    language: str
    publication_date: date  # the fixed date of every output, for reproducible files
    logo: Path | None  # the brand's logo, when its file is there
    logo_alt: str


def imprint(config: ReportConfig, inputs: Path) -> Imprint:
    logo = inputs / config.brand.logo if config.brand.logo else None
    return Imprint(
        brand=config.brand, name=config.partnership.name, short_name=config.partnership.short_name,
        website=config.partnership.website, language=config.partnership.language,
        publication_date=config.publication_date, logo=logo if logo and logo.is_file() else None,
        logo_alt=config.brand.logo_alt,
    )
