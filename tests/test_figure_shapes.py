"""Figures rendered shape by shape (each expression's shape compiled once) give exactly what jinja gives for the
whole text: the same words, and for a failing expression the same error at the same line and column."""

from __future__ import annotations

import random

import pytest

from assembler.document import figures
from assembler.document.figures import FigureError, render_figures
from assembler.schema import DataTable

INCOME = DataTable(id="funding.income", title="Income", columns=["Partner", "Amount"],
                   rows=[["Wirral Council", 139936], ["Merseyside Police", 19850], ["Police's fund", 12.5],
                         ["Text", "n/a"], ["Total", 172298.5]])
TABLES = {INCOME.id: INCOME}

EXPRESSIONS = [
    '{{ lookup("funding.income", "Wirral Council", "Amount") | money }}',
    "{{ lookup('funding.income', 'Merseyside Police', 'Amount') | number }}",
    '{{ lookup("funding.income", "Police\'s fund", "Amount") | number(2) }}',
    '{{ share("funding.income", "Wirral Council", "Amount") | pct(1) }}',
    '{{ (lookup("funding.income", "Wirral Council", "Amount") / total("funding.income", "Amount")) | pct }}',
    '{{ total("funding.income", "Amount") }}',
    '{{ "plain words" }}',
    '{{ "a" "b" }}',  # jinja joins neighbouring strings
    '{{ lookup("funding.income", "Nobody", "Amount") | money }}',  # no such row
    '{{ lookup("funding.income", "Text", "Amount") }}',  # not a number
    '{{ total("funding.income", "Pounds") | money }}',  # no such column
    '{{ total("funding.income", "Amount") | dollars }}',  # no such filter
    "{{ unknown(1) }}",
    "{{ 1 + }}",
    '{{ "}}" }}',
    "{{- total('funding.income', 'Amount') -}}",
    "{{+ total('funding.income', 'Amount') }}",
    "{{+ 'words' }}",
    "{{ total.__globals__ }}",
    '{{ figure_literal_0 }}',
]
TEXTS = ["", "Income was ", " people.\n", "£ & < {", "}} ", "\n\n", "line\r\nend ", "{# a note #}", "{% if true %}x{% endif %}"]


def _whole(text: str):
    """What jinja gives for the text compiled whole (the path every text took before shapes)."""
    saved = figures._render_by_shape
    figures._render_by_shape = lambda text, context: None
    try:
        return _outcome(text)
    finally:
        figures._render_by_shape = saved


def _outcome(text: str):
    try:
        return ("text", render_figures(text, TABLES, first_line=3))
    except FigureError as error:
        return ("error", error.message, error.fix, error.line, error.column)


@pytest.mark.parametrize("seed", range(60))
def test_shapes_give_what_the_whole_text_gives(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(TEXTS) + rng.choice(EXPRESSIONS) for _ in range(rng.randint(1, 5))) + rng.choice(TEXTS)
    figures._SHAPES.clear() if seed % 7 == 0 else None
    assert _outcome(text) == _whole(text)


def test_ordinary_expressions_are_worked_out_without_compiling_anything():
    figures._SHAPES.clear()
    text = "".join(f'{{{{ lookup("funding.income", "{row}", "Amount") | number }}}} and ' for row in ("Wirral Council", "Merseyside Police"))
    assert render_figures(text, TABLES) == "139,936 and 19,850 and "
    assert list(figures._SHAPES) == []  # figure_expressions.py worked them out: no template compiled


def test_shapes_outside_the_usual_ones_are_compiled_once():
    figures._SHAPES.clear()
    text = "".join(f'{{{{ (lookup("funding.income", "{row}", "Amount") ** 1) | number }}}} and ' for row in ("Wirral Council", "Merseyside Police"))
    assert render_figures(text, TABLES) == "139,936 and 19,850 and "
    assert list(figures._SHAPES) == [' (lookup(figure_literal_0, figure_literal_1, figure_literal_2) ** 1) | number ']
