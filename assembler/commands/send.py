"""`assembler send`: e-mail every agency its Word or Excel template with a covering text (a dry run unless --send)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from assembler.commands.common import DEFAULT_OUTPUTS, add_inputs_option, add_sending_options, load_config_and_mail
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_USAGE

NAME = "send"
HELP = "e-mail every agency its template (writes drafts to outputs/outbox unless --send)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="where the send log (mail-log.json) and the outbox/ of drafts go (default: outputs)")
    add_sending_options(parser, "send to this agency (its id) even if the send log says it has had its template; repeatable")
    parser.add_argument("--only", action="append", default=[], metavar="AGENCY",
                        help="only this agency (its id); repeatable")


def run(args: argparse.Namespace) -> int:
    loaded = load_config_and_mail(args.inputs)
    if loaded is None:
        return EXIT_INPUT_ERRORS
    config, mail = loaded
    from assembler.mail.errors import MailError
    from assembler.mail.messages import template_message
    from assembler.mail.officer import already_sent_note, complain, deliver, unknown_agencies
    from assembler.mail.send_log import SEND_LOG, SendLog
    from assembler.templates_out.excel import write_excel_template
    from assembler.templates_out.word import write_word_template

    if unknown_agencies(config, args.again, "--again") or unknown_agencies(config, args.only, "--only"):
        return EXIT_USAGE
    log = SendLog(args.out / SEND_LOG)
    agencies = [a for a in config.agencies if not args.only or a.id in args.only]
    to_send = [a for a in agencies if a.id in args.again or not log.was_sent("template", a.id)]
    already = [a.id for a in agencies if a not in to_send]
    writers = {"docx": write_word_template, "xlsx": write_excel_template}
    with tempfile.TemporaryDirectory(prefix="assembler-send-") as scratch:
        outgoing = []
        try:
            for agency in to_send:
                name = f"{config.partnership.short_name} return {config.period} - {agency.id}.{agency.format}"
                attachment = writers[agency.format](Path(scratch) / name, agency, config)
                outgoing.append(template_message(agency, attachment, config, mail))
        except MailError as error:
            complain(str(error))
            return EXIT_INPUT_ERRORS
        already_sent_note(already, "templates")
        return deliver(outgoing, mail, args.out, send=args.send, what="templates")
