"""Figure expressions worked out directly (figure_expressions.py) print exactly what jinja prints for them, and
whatever is outside the subset, or fails, is left to jinja. Expressions are generated at random from a grammar
wider than the subset: jinja's own operators, filters and names, odd numbers and quotes, odd spacing."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from assembler.document.figure_expressions import NotSimple, evaluate
from assembler.document.figures import FILTERS, Figures, FigureError, render_figures
from assembler.schema import DataTable

ROOT = Path(__file__).resolve().parent.parent
TABLES = {
    "funding.income": DataTable(id="funding.income", title="Income", columns=["Partner", "Amount", "Note"],
                                rows=[["Wirral Council", 139936, "core"], ["Merseyside Police", 19850, "x"],
                                      ["Police's fund", 12.5, ""], ["Zero", 0, "none"],
                                      ["Négative", -2500.75, "é"], ["Total", 159298.5, ""]]),
    "training": DataTable(id="training", title="Training", columns=["Course", "Places", "Rate"],
                          rows=[["Neglect", 120, 0.125], ["Exploitation", 80, 1.5], ["Empty", 0, 0]]),
}
LABELS = {"funding.income": ["Wirral Council", "Merseyside Police", "Police's fund", "Zero", "Négative", "wirral council "],
          "training": ["Neglect", "Exploitation", "Empty", "neglect"]}
BAD_LABELS = {"funding.income": ["nobody"], "training": ["Nobody"]}  # no such row
COLUMNS = {"funding.income": ["Amount"], "training": ["Places", "Rate"]}
BAD_COLUMNS = {"funding.income": ["Note", "Pounds"], "training": ["Partner"]}


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


ENV = _environment()
FIGURES = Figures(TABLES)
CONTEXT = {name: getattr(FIGURES, name) for name in ("total", "lookup", "share")}


def _jinja(expression: str):
    try:
        return ("text", ENV.from_string("{{" + expression + "}}").render(CONTEXT))
    except Exception as error:  # noqa: BLE001 - any failure: the direct path must not print anything for it
        return ("failed", type(error).__name__)


def _direct(expression: str):
    try:
        return ("text", evaluate(expression, CONTEXT, FILTERS))
    except NotSimple:
        return ("not simple", None)
    except Exception as error:  # noqa: BLE001
        return ("failed", type(error).__name__)


class Generator:
    def __init__(self, rng: random.Random, wide: bool):
        self.rng, self.wide = rng, wide  # wide: also what the subset leaves to jinja

    def space(self) -> str:
        return self.rng.choice(["", " ", " ", "  ", "\n", "\t", "\u00a0"] if self.wide else ["", " ", " "])

    def quoted(self, text: str) -> str:
        if "'" in text or (self.rng.random() < 0.5 and '"' not in text):
            return f'"{text}"'
        return f"'{text}'"

    def call(self) -> str:
        table = self.rng.choice(list(TABLES) + (["nowhere"] if self.wide else []))
        known = table if table in TABLES else "training"
        bad = self.rng.random() < 0.1
        column = self.quoted(self.rng.choice((BAD_COLUMNS if bad else COLUMNS)[known]))
        name = self.rng.choice(["total", "lookup", "share"] + (["totals", "range", "true"] if self.wide else []))
        args = [self.quoted(table)]
        if name != "total":
            bad = self.rng.random() < 0.1
            args.append(self.quoted(self.rng.choice((BAD_LABELS if bad else LABELS)[known])))
        args.append(column)
        if self.wide and self.rng.random() < 0.05:
            args = args[:-1]
        s = self.space
        return f"{name}({s()}" + f"{s()},{s()}".join(args) + f"{s()})"

    def number(self) -> str:
        choices = ["0", "1", "2", "100", "12.5", "0.25", "3"]
        if self.wide:
            choices += ["007", "1_000", "1e3", "0x10", "1.", ".5", "00.5"]
        return self.rng.choice(choices)

    def primary(self, depth: int) -> str:
        roll = self.rng.random()
        if roll < 0.55 or depth > 3:
            return self.call()
        if roll < 0.7:
            return self.number()
        if roll < 0.73:
            return self.quoted(self.rng.choice(["words", "£ & <", "Négative", "a}b", ""]))
        if self.wide and roll < 0.8:
            return self.rng.choice(['"a" "b"', "none", "true", "[1, 2]", "total", "lookup.__name__", "(1, 2)", "()"])
        return f"({self.space()}{self.expression(depth + 1)}{self.space()})"

    def filtered(self, value: str, chance: float = 0.1) -> str:
        while self.rng.random() < chance:
            chance = 0.1  # a second filter is given a string, and fails
            name = self.rng.choice(["money", "pct", "number"] + (["round", "int", "abs", "dollars", "string"] if self.wide else []))
            args = ""
            if self.rng.random() < 0.3:
                args = self.rng.choice(["(1)", "(2)", "()", "(0)"] + (["(places=1)", "(1, 2)", '("x")'] if self.wide else []))
            value = f"{value}{self.space()}|{self.space()}{name}{args}"
        return value

    def unary(self, depth: int) -> str:
        signs = ""
        while self.rng.random() < 0.15:
            signs += self.rng.choice(["-", "+", "- "])
        return self.filtered(signs + self.primary(depth))

    def top(self) -> str:
        """What a chapter writes: arithmetic, its whole often filtered."""
        text = self.expression()
        if self.rng.random() < 0.6:
            text = self.filtered(f"({self.space()}{text}{self.space()})", chance=1.0)
        return text

    def expression(self, depth: int = 0) -> str:
        operators = ["+", "-", "*", "/", "//", "%"] + (["**", "~", "and", "<", "/ /"] if self.wide else [])
        text = self.unary(depth)
        while self.rng.random() < 0.4 and depth < 4:
            text += f"{self.space()}{self.rng.choice(operators)}{self.space()}{self.unary(depth + 1)}"
        return text


@pytest.mark.parametrize("seed", range(20))
def test_direct_results_are_jinjas_on_generated_expressions(seed):
    rng = random.Random(seed)
    outcomes = {"text": 0, "not simple": 0, "failed": 0}
    for _ in range(100):
        expression = Generator(rng, wide=rng.random() < 0.3).top()
        # As render_figures gives it: never '{{-' or '-}}' (jinja's whitespace control, which it leaves to jinja).
        expression = rng.choice([" ", "  ", "\n "]) + expression + rng.choice(["", " "])
        direct, jinja = _direct(expression), _jinja(expression)
        outcomes[direct[0]] += 1
        if direct[0] == "text":
            assert direct == jinja, expression
        elif direct[0] == "failed":
            assert jinja[0] == "failed", expression  # a function's error: jinja fails too, and says where
    assert outcomes["text"] >= 25, outcomes  # the subset really is what is evaluated, not left to jinja every time


@pytest.mark.parametrize("expression, printed", [
    (' lookup("funding.income", "Wirral Council", "Amount") | number ', "139,936"),
    (" total('training', 'Places') | money ", "£200"),
    (' (lookup("training", "Neglect", "Places") / total("training", "Places")) | pct(1) ', "60.0%"),
    (' -lookup("funding.income", "Négative", "Amount") | money ', "£2,501"),  # the minus is inside the filter
    (' 1 + 2 * 3 ', "7"),
    (' 10 / 4 ', "2.5"),
    (' (lookup("training", "Neglect", "Places") // 100 * 100) | number ', "100"),  # as the sample's summary bullet
    (' 7 % 4 - 2 ', "1"),
    (' total("training", "Places") ', "200.0"),
    (' "words" ', "words"),
])
def test_known_expressions(expression, printed):
    assert evaluate(expression, CONTEXT, FILTERS) == printed == _jinja(expression)[1]


@pytest.mark.parametrize("expression", ['"a" "b"', "1_000", "007", "total", "x // 2", "2 ** 3", "'%s' % 1", "2 / / 1", "1 if 2 else 3",
                                        "total('training', 'Places') | round", "(1, 2)", "pct(places=1)", "1e3",
                                        "lookup.__globals__", "range(3)", "'a\\'b'", '"two\nlines"', ""])
def test_outside_the_subset_is_left_to_jinja(expression):
    with pytest.raises(NotSimple):
        evaluate(expression, CONTEXT, FILTERS)


def test_a_failing_function_raises_its_own_error():
    with pytest.raises(FigureError, match="no row 'nobody'"):
        evaluate(' lookup("funding.income", "nobody", "Amount") ', CONTEXT, FILTERS)


def test_chapter_figures_need_no_jinja():
    """The sample's kinds of expression render without jinja being imported at all (it costs `check` time)."""
    program = ("import sys\n"
               "from assembler.document.figures import render_figures\n"
               "from assembler.schema import DataTable\n"
               "t = {'a.b': DataTable(id='a.b', title='T', columns=['Row', 'N'], rows=[['x', 3], ['y', 1]])}\n"
               "print(render_figures('{{ lookup(\"a.b\", \"x\", \"N\") | number }} of {{ total(\"a.b\", \"N\") | number }}'\n"
               "      ' ({{ (lookup(\"a.b\", \"x\", \"N\") / total(\"a.b\", \"N\")) | pct }})', t))\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jinja2'))\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.splitlines() == ["3 of 4 (75%)", "[]"]
    # An expression outside the subset still renders, through jinja.
    assert render_figures("{{ total('training', 'Places') ** 2 }}", TABLES) == "40000.0"
