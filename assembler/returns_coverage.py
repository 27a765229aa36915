"""Enough returns to publish? A report built from an empty or half-filled returns folder looks complete
(the chapters still say agencies sent figures), so too few usable returns stops the build."""

from __future__ import annotations

from assembler.config import ReportConfig
from assembler.problems import Problem
from assembler.intake_types import Intake

RETURNS_DIR = "returns"  # under the inputs folder; here, not in build.py, so that check, chase and fetch need not import the build


def minimum_returns(config: ReportConfig) -> int:
    if config.rules.min_returns is not None:
        return config.rules.min_returns
    return (len(config.agencies) + 1) // 2


def too_few_returns(intake: Intake, config: ReportConfig, returns_folder: str) -> Problem | None:
    """An error when fewer agencies than `rules.min_returns` have a usable return, else None."""
    usable, needed = len(intake.accepted), minimum_returns(config)
    if usable >= needed:
        return None
    found = ("no agency has sent a usable return" if usable == 0
             else f"only {usable} of {len(config.agencies)} agencies have sent a usable return")
    return Problem(
        code="too_few_returns", file=returns_folder, field="returns", message=f"{found}, and the report needs at least {needed}",
        fix=f"check that the returns are saved in {returns_folder}; to publish with fewer on purpose, build with "
        "--allow-missing (or lower rules.min_returns in report.yaml)",
    )
