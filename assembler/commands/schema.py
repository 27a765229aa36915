"""`assembler schema`: the JSON Schema of the common model, for anyone building on the export."""

from __future__ import annotations

import argparse

from assembler.console import print_json
from assembler.errors import EXIT_OK
from assembler.schema import json_schema

NAME = "schema"
HELP = "print the JSON Schema of the common model (report, chapters, submissions, briefings)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print_json(json_schema())
    return EXIT_OK
