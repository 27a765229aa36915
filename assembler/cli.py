"""The `assembler` command: one subcommand per step of the officer's year."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from assembler import __version__
from assembler.commands import COMMAND_MODULES
from assembler.errors import EXIT_INTERNAL, EXIT_USAGE, UsageError
from assembler.loading import modules_loading, release_loaded


def _load_commands(names: list[str] = COMMAND_MODULES):
    for name in names:
        yield importlib.import_module(f"assembler.commands.{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; or, given the command that was typed, that subcommand alone (the same
    parsing and the same help for it), without importing every other command's modules to run one."""
    parser = argparse.ArgumentParser(
        prog="assembler",
        description="Turn partner agencies' returns into the partnership's annual report, summary and briefings.",
        epilog="Exit codes: 0 success, 1 the inputs have errors, 2 wrong usage, 3 a fault in the assembler itself. Run 'assembler COMMAND --help' for details.",
    )
    parser.add_argument("--version", action="version", version=f"assembler {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _load_commands(_only(command)):
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP[0].upper() + module.HELP[1:] + ".")
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _only(command: str | None) -> list[str]:
    """The module of a command's exact name (check-outputs: check_outputs.py); all of them for anything else,
    so that a mistyped command is answered with the whole list."""
    return [name for name in COMMAND_MODULES if name.replace("_", "-") == command] or COMMAND_MODULES


def entry_point() -> None:
    """The `assembler` command: main(), then a quick exit.

    By the time main() returns every output is written, renamed into place and
    closed, and the worker processes have ended. Tearing the interpreter down
    object by object would then take a quarter of a second more for a build;
    os._exit skips it (after flushing what was printed).
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (`assembler check | head`): nothing left to tell it
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    host = _early_writer_host(argv)
    try:
        return _main(argv, host)
    finally:
        release_loaded()  # what loading froze can be collected again by a caller that goes on (tests)
        if host:
            host.close()


# The commands that write with a writer host forked before their modules are imported (see below), and the
# modules their writing tasks are made of, which the host loads first.
WRITES_WITH_HOST = {"build": ("assembler.build",)}


def _early_writer_host(argv: list[str]):
    """For `build`, the writer host is forked first of all, before the command line is parsed: parsing `build`
    imports its module, and with it pydantic, the schema and the build (a fifth of a second), which is what the
    host's own loading overlaps. So the decision is taken on the words alone, as argparse reads them: the
    command is the first word, and help asks for no build. A command line argparse then refuses costs a host
    that is closed at once (main's `finally`)."""
    command, wants_help = _command_word(argv)
    if command not in WRITES_WITH_HOST or wants_help:
        return None
    # Imported here, for the one command that uses it: the others start without loading multiprocessing.
    from assembler.speed import start_early

    return start_early(preload=WRITES_WITH_HOST[command])


def _command_word(argv: list[str]) -> tuple[str | None, bool]:
    """(the command typed, whether help was asked for) without building the parser: no command module loaded."""
    command = argv[0] if argv and not argv[0].startswith("-") else None
    return command, bool({"-h", "--help", "--version"} & set(argv))


def _main(argv: list[str], host) -> int:
    with modules_loading():
        parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    args.writer_host = host
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UsageError as exc:
        _report_usage_error(args, str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Stopped; outputs already written are left as they were.", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault in the assembler itself, not in the inputs
        if os.environ.get("ASSEMBLER_DEBUG"):
            raise
        from assembler.console import shown  # the fault's message may quote a file name or an agency's text

        print(
            f"assembler stopped on an internal fault ({type(exc).__name__}: {shown(exc)}). Outputs already written are "
            "left as they were. Run again with ASSEMBLER_DEBUG=1 for the details to send to the maintainers.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _report_usage_error(args: argparse.Namespace, message: str) -> None:
    """On standard error; and, for a command asked for JSON on standard output, as a JSON error object
    there too, so that a script reading it gets an answer rather than silence."""
    print(f"assembler {args.command}: {message}", file=sys.stderr)
    if getattr(args, "json", False) is True or str(getattr(args, "json_file", "")) == "-":
        import json

        print(json.dumps({"error": {"message": message, "exit_code": EXIT_USAGE}}, indent=2))
