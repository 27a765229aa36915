"""Errors the officer sees: each names the file, the place and the fix. Never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a fault in the assembler itself


@dataclass
class InputError(Exception):
    """A problem in one input file that stops the command that needed it."""

    file: str
    message: str
    fix: str
    line: int | None = None
    field: str | None = None

    def __reduce__(self):
        # Exceptions pickle their args, which a dataclass leaves empty: needed to cross process boundaries.
        return (self.__class__, (self.file, self.message, self.fix, self.line, self.field))

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        message = self.message.rstrip().rstrip(".")  # messages may end a sentence; do not double the stop
        what = f"{self.field}: {message}" if self.field else message
        return f"{where}: {what}. Fix: {self.fix}"


class ConfigError(InputError):
    """report.yaml cannot be used as it is."""


class ConfigErrors(Exception):
    """Every problem found in report.yaml at once, so the officer fixes them in one go."""

    def __init__(self, errors: list[ConfigError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class UsageError(Exception):
    """The command was called wrongly (a folder that does not exist, an option that does not fit): exit 2,
    with this message and no traceback."""
