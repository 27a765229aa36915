"""`assembler chase`: e-mail the chase texts `assembler check` wrote to outputs/chase/ (a dry run unless --send)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assembler.commands.common import DEFAULT_OUTPUTS, add_inputs_option, add_sending_options, load_config_and_mail
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_USAGE

NAME = "chase"
HELP = "e-mail the agencies on the chase list (writes drafts to outputs/outbox unless --send)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="the folder 'assembler check' wrote chase/ to; the send log and outbox/ go here too (default: outputs)")
    add_sending_options(parser, "send this agency's chase even if the same text was sent before; repeatable")


def run(args: argparse.Namespace) -> int:
    loaded = load_config_and_mail(args.inputs)
    if loaded is None:
        return EXIT_INPUT_ERRORS
    config, mail = loaded
    from assembler.chase import CHASE_DIR
    from assembler.mail.messages import chase_message
    from assembler.mail.officer import already_sent_note, complain, deliver, say, unknown_agencies
    from assembler.mail.send_log import SEND_LOG, SendLog

    if unknown_agencies(config, args.again, "--again"):
        return EXIT_USAGE
    chase_dir = args.out / CHASE_DIR
    if not chase_dir.is_dir():
        complain(f"There is no chase list in {chase_dir}. Fix: run 'assembler check' first; it writes one e-mail text "
                 "per agency to chase there.")
        return EXIT_INPUT_ERRORS
    stale = _returns_since(chase_dir, args.inputs)
    if stale:
        message = (f"{len(stale)} returns arrived after the chase list was written (e.g. {stale[0].name}), so it may chase "
                   "agencies that have already replied.")
        if args.send:
            complain(message + " Fix: run 'assembler check' again first; nothing was sent.")
            return EXIT_INPUT_ERRORS
        say(message + " Run 'assembler check' again before sending.")
    log = SendLog(args.out / SEND_LOG)
    outgoing, already = [], []
    for path in sorted(chase_dir.glob("*.txt")):
        agency = config.agency(path.stem)
        if agency is None:
            say(f"Left out {path.name}: no agency '{path.stem}' in report.yaml (run 'assembler check' again to refresh the list).")
            continue
        item = chase_message(agency, path.read_text(encoding="utf-8"), mail)
        if agency.id not in args.again and log.was_sent("chase", agency.id, item.fingerprint):
            already.append(agency.id)
            continue
        outgoing.append(item)
    if not outgoing and not already:
        say(f"No one to chase: {chase_dir} is empty.")
        return 0
    already_sent_note(already, "chases")
    return deliver(outgoing, mail, args.out, send=args.send, what="chase e-mails")


def _returns_since(chase_dir: Path, inputs: Path) -> list[Path]:
    """Files in inputs/returns newer than the chase texts (what `assembler fetch` or the officer saved since)."""
    from assembler.returns_coverage import RETURNS_DIR
    from assembler.intake import discover

    texts = list(chase_dir.glob("*.txt"))
    returns = inputs / RETURNS_DIR
    if not texts or not returns.is_dir():
        return []
    written = max(p.stat().st_mtime for p in texts)
    return [p for p in discover([returns]) if p.stat().st_mtime > written]
