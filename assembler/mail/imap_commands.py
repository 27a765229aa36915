"""The few IMAP commands `assembler fetch` uses, over imaplib: sizes, bodies read with BODY.PEEK, moves."""

from __future__ import annotations

import email
import email.policy
import imaplib
import re
from email.message import EmailMessage

from assembler.config.model import Mail
from assembler.mail.connect import IMAP_PORTS, where
from assembler.mail.errors import MailError


def uidvalidity(connection, folder: str, mail: Mail) -> str:
    status, data = connection.status(quote(folder), "(UIDVALIDITY)")
    if status != "OK":
        raise no_folder(folder, mail, data)
    match = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
    return match.group(1).decode() if match else "0"


def no_folder(folder: str, mail: Mail, data) -> MailError:
    return MailError(f"The IMAP server {where(mail.imap, IMAP_PORTS)} has no folder '{folder}' for {mail.user}",
                     "check mail.folder in report.yaml (or --folder); folder names are as the server spells them, e.g. INBOX")


def _fetch_parts(connection, uid: int, what: str) -> list:
    status, data = connection.uid("FETCH", str(uid), what)
    if status != "OK":
        raise imaplib.IMAP4.abort(f"FETCH {what} failed")
    return data


def message_size(connection, uid: int) -> int | None:
    for item in _fetch_parts(connection, uid, "(RFC822.SIZE)"):
        line = item[0] if isinstance(item, tuple) else item
        match = re.search(rb"RFC822\.SIZE (\d+)", line or b"")
        if match:
            return int(match.group(1))
    return None


def message_headers(connection, uid: int):
    for item in _fetch_parts(connection, uid, "(BODY.PEEK[HEADER])"):
        if isinstance(item, tuple):
            return email.message_from_bytes(item[1], policy=email.policy.default)
    return EmailMessage()


def message_bytes(connection, uid: int) -> bytes:
    for item in _fetch_parts(connection, uid, "(BODY.PEEK[])"):
        if isinstance(item, tuple):
            return item[1]
    raise imaplib.IMAP4.abort("the server sent no message body")


def uid_set(uids: list[int]) -> str:
    return ",".join(str(u) for u in uids)


def move(connection, uids: list[int], target: str) -> str:
    capabilities = {c.upper() for c in connection.capabilities}
    if "MOVE" in capabilities:
        status, data = connection.uid("MOVE", uid_set(uids), quote(target))
        if status == "OK":
            return f"moved {len(uids)} e-mails to {target}"
        return f"could not move the e-mails to '{target}' ({_reply(data)}); they are still in the folder"
    status, data = connection.uid("COPY", uid_set(uids), quote(target))
    if status != "OK":
        return f"could not copy the e-mails to '{target}' ({_reply(data)}); they are still in the folder"
    connection.uid("STORE", uid_set(uids), "+FLAGS.SILENT", r"(\Deleted)")
    if "UIDPLUS" in capabilities:
        connection.uid("EXPUNGE", uid_set(uids))
        return f"moved {len(uids)} e-mails to {target}"
    return f"copied {len(uids)} e-mails to {target} and marked the originals deleted (the server cannot move them)"


def _reply(data) -> str:
    first = data[0] if data else b""
    return (first.decode("utf-8", "replace") if isinstance(first, bytes) else str(first))[:120]


def quote(folder: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./-]+", folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
