"""Errors the officer sees: each names the file, the place and the fix. Never a traceback."""

from __future__ import annotations

from assembler.problems import Problem, Severity

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a fault in the assembler itself


class InputError(Exception):
    """A problem in one input file that stops the command that needed it. It carries its `Problem`
    (`error.problem`), and reads like one (`error.file`, `error.fix`, `str(error)`).

    Made from a Problem, `InputError(problem)`, or from its parts as before,
    `InputError(file, message, fix, line=None, field=None, code=...)`."""

    default_code = "input_error"

    def __init__(self, file: str | Problem, message: str = "", fix: str = "", line: int | None = None,
                 field: str | None = None, *, code: str | None = None, agency: str | None = None,
                 agency_id: str | None = None, severity: Severity = "error"):
        problem = file if isinstance(file, Problem) else Problem(
            code=code or self.default_code, severity=severity, message=message, fix=fix, file=file, line=line,
            field=field, agency=agency, agency_id=agency_id)
        super().__init__(problem)  # the one argument: pickling (across worker processes) rebuilds from it
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.problem == self.problem

    def __hash__(self) -> int:
        return hash(self.problem)

    # Read like the problem it carries.
    file = property(lambda self: self.problem.file)
    message = property(lambda self: self.problem.message)
    fix = property(lambda self: self.problem.fix)
    line = property(lambda self: self.problem.line)
    field = property(lambda self: self.problem.field)
    code = property(lambda self: self.problem.code)
    severity = property(lambda self: self.problem.severity)
    agency = property(lambda self: self.problem.agency)


class ConfigError(InputError):
    """report.yaml cannot be used as it is."""

    default_code = "config_error"


class ConfigErrors(Exception):
    """Every problem found in report.yaml at once, so the officer fixes them in one go."""

    def __init__(self, errors: list[InputError | Problem]):
        self.problems = [as_problem(e) for e in errors]
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    def __reduce__(self):
        return (self.__class__, (self.problems,))


def as_problem(item: InputError | Problem) -> Problem:
    """The Problem an exception carries, or the Problem itself: for lists that hold either."""
    return item.problem if isinstance(item, InputError) else item


class UsageError(Exception):
    """The command was called wrongly (a folder that does not exist, an option that does not fit): exit 2,
    with this message and no traceback."""
