"""`assembler serve`: preview the web edition on this computer (localhost only) until Ctrl-C."""

from __future__ import annotations

import argparse
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assembler.commands.common import DEFAULT_OUTPUTS, existing_folder
from assembler.console import out
from assembler.errors import EXIT_OK, UsageError

NAME = "serve"
HELP = "preview the web edition (outputs/web) in a browser on this computer, until Ctrl-C"
HOST = "127.0.0.1"  # never the network: a report before publication is not for the office's Wi-Fi
DEFAULT_PORT = 8000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="the outputs folder whose web/ to serve (default: outputs)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on localhost (default: {DEFAULT_PORT}; 0: any free one)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass  # one line per request would bury the address the officer needs


def make_server(site: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise UsageError(f"cannot listen on {HOST}:{port} ({error.strerror}); choose another with --port") from None


def run(args: argparse.Namespace) -> int:
    folder = existing_folder(args.out, "--out", "outputs")
    site = folder / "web"
    if not (site / "index.html").is_file():
        raise UsageError(f"there is no web edition in {folder}: build it first (assembler build --only web)")
    server = make_server(site, args.port)
    out.line(f"The web edition is at http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops it).")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
