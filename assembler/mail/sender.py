"""Sending a batch of e-mails through the partnership's SMTP server, one send-log entry per message.

A refused recipient (unknown address, full mailbox) is logged 'refused' and
the others still go. A dropped connection stops the run: the log holds every
message the server accepted, so the next run sends only the rest.
"""

from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass, field
from typing import Callable

from assembler.config.model import Mail
from assembler.mail.connect import SMTP_PORTS, _quit, _text, open_smtp, where
from assembler.mail.errors import MailError
from assembler.mail.messages import Outgoing
from assembler.mail.send_log import SendLog

FULL_MAILBOX_CODES = {452, 552}


@dataclass
class SendResult:
    sent: list[Outgoing] = field(default_factory=list)
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)
    stopped: MailError | None = None   # the run stopped before the end (connection lost, sender refused)
    not_tried: list[Outgoing] = field(default_factory=list)


def send_all(outgoing: list[Outgoing], mail: Mail, secret: str, log: SendLog,
             progress: Callable[[Outgoing, str], None] = lambda o, s: None) -> SendResult:
    """Send each message in turn; raises MailError only if nothing could be sent (cannot connect or sign in)."""
    result = SendResult()
    if not outgoing:
        return result
    connection = open_smtp(mail, secret)
    try:
        for index, item in enumerate(outgoing):
            if index and mail.pause_seconds:
                time.sleep(mail.pause_seconds)
            try:
                connection.send_message(item.message, from_addr=mail.address, to_addrs=[item.to])
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()), (0, b""))
                what = "the recipient's mailbox is full" if code in FULL_MAILBOX_CODES else "the server refused the recipient"
                _refused(item, f"{what} ({code} {_text(reply)})", log, result, progress)
                continue
            except smtplib.SMTPDataError as exc:
                if exc.smtp_code in FULL_MAILBOX_CODES or 500 <= exc.smtp_code < 600:
                    what = ("the recipient's mailbox is full, or the message is too large for it" if exc.smtp_code in FULL_MAILBOX_CODES
                            else "the server refused the message")
                    _refused(item, f"{what} ({exc.smtp_code} {_text(exc.smtp_error)})", log, result, progress)
                    continue
                result.stopped = _try_later(exc) if 400 <= exc.smtp_code < 500 else \
                    _stopped(mail, f"the server would not take the message ({exc.smtp_code} {_text(exc.smtp_error)})")
            except smtplib.SMTPSenderRefused as exc:
                result.stopped = _try_later(exc) if 400 <= exc.smtp_code < 500 else MailError(
                    f"The SMTP server refused to send from {mail.address} ({exc.smtp_code} {_text(exc.smtp_error)})",
                    "check mail.address is an address mail.user may send from (a shared mailbox needs 'Send As' rights)")
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as exc:
                result.stopped = _stopped(mail, f"the connection was lost ({type(exc).__name__}: {_text(exc)})"
                                          if not isinstance(exc, smtplib.SMTPServerDisconnected) else "the server closed the connection")
            if result.stopped:
                # This message may or may not have arrived; it is not logged as sent, so the next run sends it.
                log.record(item.kind, item.agency_id, item.to, item.message_id, "failed", result.stopped.message, item.fingerprint)
                progress(item, "failed")
                result.not_tried = outgoing[index:]
                break
            log.record(item.kind, item.agency_id, item.to, item.message_id, "sent", "", item.fingerprint)
            result.sent.append(item)
            progress(item, "sent")
    finally:
        _quit(connection)
    return result


def _refused(item: Outgoing, reason: str, log: SendLog, result: SendResult, progress) -> None:
    log.record(item.kind, item.agency_id, item.to, item.message_id, "refused", reason, item.fingerprint)
    result.refused.append((item, reason))
    progress(item, "refused")


def _try_later(exc: smtplib.SMTPResponseException) -> MailError:
    # "Try again later" (4xx): most often a limit on how fast one mailbox may send.
    return MailError(f"Sending paused by the server: it will take no more for now ({exc.smtp_code} {_text(exc.smtp_error)})",
                     "wait a few minutes and run the same command again (only unsent messages go); if it happens every "
                     "time, set mail.pause_seconds in report.yaml (2 for Microsoft 365)")


def _stopped(mail: Mail, what: str) -> MailError:
    return MailError(f"Sending stopped: {what} on {where(mail.smtp, SMTP_PORTS)}",
                     "run the same command again: messages already sent are in the send log and are not sent twice")
