"""Key indicator tables a board member can compare (issue 21): one period style chosen in report.yaml, one
precision for a table's percentages, figures right-aligned even beside 'not available', and a key figure that
would print 'not available' an error of its return unless the officer accepts it in report.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembler.chase import chase_list
from assembler.config import load_config
from assembler.config.model import AcceptedFigure
from assembler.document.report import NOT_AVAILABLE, indicator_table, numeric_columns
from assembler.intake import read_returns
from assembler.periods import print_period
from assembler.schema import Indicator
from assembler.templates_out.word import write_word_template

from conftest import SAMPLE_INPUTS
from test_readers_builders import ABOUT, PRIORITIES, fill_word_template


@pytest.mark.parametrize("typed, long, short, numeric", [
    ("2023-24", "2023-24", "2023/24", "2023/24"),
    ("2023/2024", "2023-24", "2023/24", "2023/24"),
    ("31/03/2024", "31 March 2024", "31 Mar 2024", "31/03/2024"),
    ("at 31/03/2024", "at 31 March 2024", "at 31 Mar 2024", "at 31/03/2024"),
    ("March 2024", "March 2024", "Mar 2024", "03/2024"),
    ("Q2 2023-24", "Q2 2023-24", "Q2 2023/24", "Q2 2023/24"),
    ("Dec 2022 - Mar 2024", "December 2022 to March 2024", "Dec 2022 to Mar 2024", "12/2022 to 03/2024"),
    ("2023", "2023", "2023", "2023"),
    ("31/02/2024", "31/02/2024", "31/02/2024", "31/02/2024"),  # no such day: printed as typed
    ("since the hub opened", "since the hub opened", "since the hub opened", "since the hub opened"),
])
def test_a_period_is_read_and_printed_in_the_chosen_style(typed, long, short, numeric):
    assert (print_period(typed, "long"), print_period(typed, "short"), print_period(typed, "numeric")) == (long, short, numeric)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123/-– QqMarchDe tosince")), max_size=24), st.sampled_from(["long", "short", "numeric"]))
def test_a_period_printed_once_prints_the_same_again(text, style):
    once = print_period(text, style)
    assert print_period(once, style) == once
    assert once == text or any(c.isdigit() for c in text)  # only what was read as a period is reprinted


def _indicator(label, value, unit=None, period="2023-24", raw=None):
    return Indicator(label=label, value=value, unit=unit, period=period, raw=raw if raw is not None else (str(value) if value is not None else ""))


def test_a_tables_percentages_share_one_precision_and_its_periods_one_style():
    table = indicator_table([_indicator("Seen within a day", 100, "%", "31/03/2024"), _indicator("Audited", 93.1, "%", "March 2024"),
                             _indicator("Staff", 1257, None, "Q2 2023-24")], "short")
    assert [row[1] for row in table.rows] == ["100.0%", "93.1%", "1,257"]
    assert [row[2] for row in table.rows] == ["31 Mar 2024", "Mar 2024", "Q2 2023/24"]
    whole = indicator_table([_indicator("A", 78, "%"), _indicator("B", 64, "%")])
    assert [row[1] for row in whole.rows] == ["78%", "64%"]


def test_not_available_does_not_make_a_column_of_figures_text():
    table = indicator_table([_indicator("Plans - hubs", 1620), _indicator("Plans - total", None, raw="=B4+B5"),
                             _indicator("Closed with needs met", 78, "%")])
    assert [row[1] for row in table.rows] == ["1,620", NOT_AVAILABLE, "78%"]
    assert numeric_columns(table.rows, 3) == [False, True, False]


@pytest.fixture
def config():
    return load_config(SAMPLE_INPUTS / "report.yaml")


def _return_without_a_figure(config, tmp_path: Path) -> Path:
    blank = write_word_template(tmp_path / "blank.docx", config.agency("nwas"), config)
    returns = tmp_path / "returns"
    returns.mkdir()
    fill_word_template(blank, returns / "nwas.docx", {"about": ABOUT, "activity": "A busy year.", "priorities": PRIORITIES},
                       indicators=[["Calls answered within a minute", "", "", "2023-24", ""], ["Crews trained", "120", "", "2023-24", ""]])
    return returns


def test_a_key_figure_that_would_print_not_available_is_an_error_on_the_chase_list(config, tmp_path: Path):
    intake = read_returns([_return_without_a_figure(config, tmp_path)], config, tmp_path / "images")
    [submission] = intake.accepted
    [error] = [p for p in submission.problems if p.severity == "error"]
    assert "Calls answered within a minute" in error.field and "'not available'" in error.message
    assert "indicators: not_available:" in error.fix
    [entry] = [e for e in chase_list(intake, config) if e.agency.id == "nwas"]
    assert any("not available" in line for line in entry.problems)


@pytest.mark.parametrize("value, printed", [(None, NOT_AVAILABLE), ("1,034", "1,034")])
def test_the_officer_accepts_it_or_gives_the_figure_in_report_yaml(config, tmp_path: Path, value, printed):
    accepted = {"agency": "nwas", "indicator": "Calls answered within a minute", "value": value, "reason": "asked, none kept"}
    config = config.model_copy(update={"indicators": config.indicators.model_copy(update={
        "not_available": [AcceptedFigure(**accepted)]})})
    intake = read_returns([_return_without_a_figure(config, tmp_path)], config, tmp_path / "images")
    [submission] = intake.accepted
    assert not [p for p in submission.problems if p.severity == "error"]
    assert not [e for e in chase_list(intake, config) if e.agency.id == "nwas"]
    table = indicator_table(submission.indicators)
    assert table.rows[0][1] == printed
