"""What `send`, `fetch` and `chase` share: the mail settings, the outbox, and the officer's summary lines.

Everything printed here is plain text (agency names and server replies may
hold brackets that rich would read as markup).
"""

from __future__ import annotations

from pathlib import Path

from assembler.config import ReportConfig
from assembler.config.model import Mail
from assembler.console import err, out
from assembler.mail.errors import MailError
from assembler.mail.messages import Outgoing, write_draft
from assembler.mail.send_log import SEND_LOG, SendLog
from assembler.mail.sender import SendResult, send_all

OUTBOX_DIR = "outbox"

MAIL_EXAMPLE = """mail:
  address: wscp@example.org        # the partnership's address
  user: wscp@example.org           # the login name
  smtp: {host: smtp.example.org, port: 587, security: starttls}
  imap: {host: imap.example.org, port: 993, security: ssl}"""


def say(text: str) -> None:
    out.line(text)  # one line, shown literally: a newline or markup in an agency's text cannot forge another


def complain(text: str) -> None:
    err.line(text)


def require_mail(config: ReportConfig, inputs: Path) -> Mail | None:
    if config.mail is None:
        complain(f"{inputs / 'report.yaml'} has no mail: settings, so there is no mailbox to use. "
                 "Fix: add them (the README shows them for Microsoft 365 and for a plain IMAP server), for example:")
        for line in MAIL_EXAMPLE.splitlines():
            complain(line)
        return None
    mail = config.mail
    if mail.ca_file and not Path(mail.ca_file).is_absolute():
        mail = mail.model_copy(update={"ca_file": str(inputs / mail.ca_file)})
    return mail


def unknown_agencies(config: ReportConfig, ids: list[str], option: str) -> bool:
    """Print and say True if an --again/--only names no registered agency."""
    unknown = [i for i in ids if config.agency(i) is None]
    if unknown:
        complain(f"{option} {', '.join(unknown)}: no agency with that id in report.yaml. "
                 f"Fix: use an id from the registry, e.g. {config.agencies[0].id}")
    return bool(unknown)


def deliver(outgoing: list[Outgoing], mail: Mail, out_dir: Path, *, send: bool, what: str) -> int:
    """Dry run: drafts into outputs/outbox/. With --send: through the SMTP server, logged. Returns the exit code."""
    if not send:
        outbox = out_dir / OUTBOX_DIR
        for old in outbox.glob(f"{outgoing[0].kind}-*.eml") if outgoing else []:
            old.unlink()
        for item in outgoing:
            write_draft(item, outbox)
        say(f"Dry run: {_count(len(outgoing), what)} written to {outbox} as drafts (they open in Outlook or Thunderbird "
            "ready to send); nothing was sent. Run again with --send to send them.")
        return 0
    if not outgoing:
        say(f"Nothing to send: every {what[:-1]} has already gone (see {out_dir / SEND_LOG}).")
        return 0
    from assembler.mail.credentials import mail_secret

    log = SendLog(out_dir / SEND_LOG)
    try:
        secret = mail_secret(mail)
        result = send_all(outgoing, mail, secret, log, progress=_progress)
    except MailError as error:
        complain(str(error))
        complain(f"Nothing was sent in this run; the send log {out_dir / SEND_LOG} is unchanged.")
        return 1
    return _summary(result, out_dir, what)


def _progress(item: Outgoing, status: str) -> None:
    say(f"  {status}: {item.agency_id} <{item.to}>")


def _summary(result: SendResult, out_dir: Path, what: str) -> int:
    say(f"Sent {_count(len(result.sent), what)}; the send log is {out_dir / SEND_LOG}.")
    for item, reason in result.refused:
        complain(f"Not delivered to {item.agency_id} <{item.to}>: {reason}. Fix: check the agency's e-mail in "
                 f"report.yaml (or ask it for another address), then run again; only unsent messages go.")
    if result.stopped:
        complain(str(result.stopped))
        complain(f"{_count(len(result.not_tried), what)} not sent yet: " + ", ".join(i.agency_id for i in result.not_tried))
    return 1 if result.refused or result.stopped else 0


def already_sent_note(skipped: list[str], what: str) -> None:
    if skipped:
        say(f"Already sent (not sent again; use --again AGENCY to resend one): {', '.join(skipped)}")


def _count(number: int, plural: str) -> str:
    return f"{number} {plural if number != 1 else plural[:-1]}"
