"""The usual figure expressions worked out directly, as jinja would: no template compiled, jinja not imported.

Chapters' expressions are nearly all of a few shapes: `lookup("t", "row", "column") | number`, a total or a
share with a filter, a difference or a ratio of two in brackets. Compiling them with jinja (and importing it)
was a tenth of `assembler check`'s processor time. This evaluates exactly that subset of jinja's expression
language, with jinja's precedence (a filter binds tighter than any arithmetic, and a unary minus's operand
takes no filter: `-x | f` is `f(-x)`; jinja's `**` would be left-associative, and is left to it):

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/" | "//" | "%") unary)*
    unary   := operand ("|" FILTER ["(" [sum ("," sum)*] ")"])*
    operand := ("-" | "+") operand | primary
    primary := NUMBER | STRING | FUNCTION "(" [sum ("," sum)*] ")" | "(" sum ")"

NUMBER is `0`, `12` or `12.5`; STRING is quoted with no backslash and no line break in it. Anything else
(another name, `**`, `~`, `%` of anything but numbers, keywords, keyword arguments, attribute access, two
strings side by side) raises `NotSimple`, and the caller gives the expression to jinja: the result is always
jinja's own.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable

TOKEN = re.compile(r"""\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<string>"[^"\\\r\n]*"|'[^'\\\r\n]*')|(?P<op>//|[-+*/%|(),]))""")
PRODUCTS = {"*": operator.mul, "/": operator.truediv, "//": operator.floordiv, "%": operator.mod}


class NotSimple(ValueError):
    """The expression is outside the subset evaluated here: jinja evaluates it."""


def _tokens(expression: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    at, end = 0, len(expression.rstrip())  # str.rstrip and the regex's \s agree on what is white space
    while at < end:
        match = TOKEN.match(expression, at)
        if match is None or match.end() == at:
            raise NotSimple(expression)
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "number":
            if "." not in text and len(text) > 1 and text.startswith("0"):
                raise NotSimple(text)  # jinja reads 007 as two numbers, an error
            found.append(("value", float(text) if "." in text else int(text)))
        elif kind == "string":
            found.append(("value", text[1:-1]))
        else:
            found.append((kind, text))
        at = match.end()
    found.append(("end", None))
    return found


class _Evaluator:
    def __init__(self, tokens: list[tuple[str, Any]], functions: dict[str, Callable], filters: dict[str, Callable]):
        self.tokens, self.at = tokens, 0
        self.functions, self.filters = functions, filters

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.at]

    def take(self, kind: str, text: str | None = None) -> Any:
        token_kind, value = self.tokens[self.at]
        if token_kind != kind or (text is not None and value != text):
            raise NotSimple(f"expected {text or kind}")
        self.at += 1
        return value

    def is_op(self, *texts: str) -> bool:
        kind, value = self.peek()
        return kind == "op" and value in texts

    def sum(self) -> Any:
        left = self.product()
        while self.is_op("+", "-"):
            sign = self.take("op")
            right = self.product()
            left = left + right if sign == "+" else left - right
        return left

    def product(self) -> Any:
        left = self.unary(with_filters=True)
        while self.is_op("*", "/", "//", "%"):
            sign = self.take("op")
            right = self.unary(with_filters=True)
            if sign == "%" and not all(type(value) in (int, float) for value in (left, right)):
                raise NotSimple("%")  # a string's % is formatting: jinja's sandbox decides about that
            left = PRODUCTS[sign](left, right)
        return left

    def unary(self, with_filters: bool) -> Any:
        if self.is_op("-", "+"):
            sign = self.take("op")
            operand = self.unary(with_filters=False)
            value = -operand if sign == "-" else +operand
        else:
            value = self.primary()
        while with_filters and self.is_op("|"):
            self.take("op", "|")
            name = self.take("name")
            if name not in self.filters:
                raise NotSimple(name)
            value = self.filters[name](value, *self.arguments(optional=True))
        return value

    def primary(self) -> Any:
        kind, value = self.peek()
        if kind == "value":
            self.at += 1
            if self.peek()[0] == "value":
                raise NotSimple("neighbouring literals")  # jinja joins neighbouring strings
            return value
        if kind == "name":
            if value not in self.functions:
                raise NotSimple(value)
            self.at += 1
            return self.functions[value](*self.arguments(optional=False))
        self.take("op", "(")
        inner = self.sum()
        self.take("op", ")")
        return inner

    def arguments(self, optional: bool) -> list[Any]:
        if optional and not self.is_op("("):
            return []
        self.take("op", "(")
        values: list[Any] = []
        if self.is_op(")"):
            self.at += 1
            return values
        values.append(self.sum())
        while self.is_op(","):
            self.at += 1
            values.append(self.sum())
        self.take("op", ")")
        return values


def evaluate(expression: str, functions: dict[str, Callable], filters: dict[str, Callable]) -> str:
    """What jinja prints for `{{ expression }}` with these functions and filters; NotSimple when the expression
    is outside the subset. An error of a function or filter (a missing row, a value that is not a number) is
    raised as it is: the caller lets jinja say it, at its place."""
    evaluator = _Evaluator(_tokens(expression), functions, filters)
    value = evaluator.sum()
    evaluator.take("end")
    return str(value)
