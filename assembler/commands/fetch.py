"""`assembler fetch`: save the returns that arrived in the partnership's mailbox into inputs/returns/<agency>/."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from assembler.commands.common import DEFAULT_OUTPUTS, add_inputs_option, load_config_and_mail
from assembler.errors import EXIT_INPUT_ERRORS, EXIT_OK

NAME = "fetch"
HELP = "save the returns that arrived in the partnership's mailbox (IMAP) into inputs/returns/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs_option(parser)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUTS, metavar="DIR",
                        help="where 'assembler send' keeps its send log, which gives the day the templates went out (default: outputs)")
    parser.add_argument("--folder", metavar="NAME", help="the IMAP folder to look in (default: mail.folder in report.yaml, or INBOX)")
    parser.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="look at mail from this day (default: mail.since, or the day the templates were sent)")
    parser.add_argument("--mark-seen", action="store_true", help="mark the fetched e-mails as read (they are left unread otherwise)")
    parser.add_argument("--move-to", metavar="FOLDER", help="move the fetched e-mails to this folder (they stay where they are otherwise)")


def run(args: argparse.Namespace) -> int:
    loaded = load_config_and_mail(args.inputs)
    if loaded is None:
        return EXIT_INPUT_ERRORS
    config, mail = loaded
    from assembler.returns_coverage import RETURNS_DIR
    from assembler.mail.credentials import mail_secret
    from assembler.mail.errors import MailError
    from assembler.mail.fetcher import fetch_returns
    from assembler.mail.officer import complain, say
    from assembler.mail.send_log import SEND_LOG, SendLog

    log = SendLog(args.out / SEND_LOG)
    first_sent = log.first_sent()
    # A day early: IMAP compares dates in the server's time zone, the log is in UTC.
    since = args.since or mail.since or (first_sent.date() - timedelta(days=1) if first_sent else None)
    returns_dir = args.inputs / RETURNS_DIR
    try:
        result = fetch_returns(config, mail, mail_secret(mail), returns_dir, folder=args.folder, since=since,
                               own_message_ids=log.sent_message_ids(), mark_seen=args.mark_seen, move_to=args.move_to)
    except MailError as error:
        complain(str(error))
        return EXIT_INPUT_ERRORS
    names = {a.id: a.name for a in config.agencies}
    for item in result.saved:
        who = names[item.agency_id] if item.agency_id else "UNKNOWN SENDER (check will list it)"
        say(f"  saved {item.path} | {who} | from {item.sender} ({item.how}) | {item.subject}")
    for item in result.skipped:
        say(f"  not fetched: from {item.sender} | {item.subject} | {item.reason}. Fix: {item.fix}")
    since_text = f" since {since:%d %B %Y}" if since else " (all of them: no send log says when the templates went out; --since or mail.since starts later)"
    say(f"{result.looked_at} new e-mails in {result.folder}{since_text}: {len(result.saved)} saved into {returns_dir}, "
        f"{len(result.skipped)} not fetched." + (f" {result.moved_note[0].upper()}{result.moved_note[1:]}." if result.moved_note else "")
        + (" Next: assembler check" if result.saved else ""))
    return EXIT_OK
