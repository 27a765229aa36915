"""Collecting returns from the partnership's IMAP folder into inputs/returns/<agency-id>/ as .eml files.

Read-only unless asked: the folder is opened with EXAMINE and messages are
read with BODY.PEEK, so nothing is deleted, moved or marked as read. What was
fetched is remembered (UIDVALIDITY and UID per folder, and Message-IDs) in
inputs/returns/.mailbox-state.json; check ignores files whose names start
with a dot, and a re-run fetches only mail it has not seen.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import imaplib
import re
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from assembler.config import ReportConfig
from assembler.config.model import Mail
from assembler.mail.connect import IMAP_PORTS, close_imap, open_imap, where
from assembler.mail.errors import MailError
from assembler.mail.fetch_state import STATE_FILE, FetchState
from assembler.mail.imap_commands import (message_bytes, message_headers, message_size, move, no_folder, quote, uid_set,
                                          uidvalidity)
from assembler.readers.agency_match import AgencyMatcher
from assembler.readers.email_return import (
    body_text,
    forwarded_senders,
    is_more_text,
    sealed_kind,
    shared_links,
    signed_content,
)

UNKNOWN_DIR = "unknown"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Fetched:
    agency_id: str | None
    path: Path
    sender: str
    subject: str
    how: str  # how the agency was decided


@dataclass
class Skipped:
    sender: str
    subject: str
    reason: str
    fix: str


@dataclass
class FetchResult:
    folder: str
    looked_at: int = 0
    saved: list[Fetched] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    moved_note: str = ""


def fetch_returns(config: ReportConfig, mail: Mail, secret: str, returns_dir: Path, *, folder: str | None = None,
                  since: date | None = None, own_message_ids: set[str] = frozenset(), mark_seen: bool = False,
                  move_to: str | None = None) -> FetchResult:
    folder = folder or mail.folder
    result = FetchResult(folder)
    state = FetchState(returns_dir / STATE_FILE)
    matcher = AgencyMatcher(config)
    connection = open_imap(mail, secret)
    try:
        validity = uidvalidity(connection, folder, mail)
        seen = state.seen_uids(folder, validity)
        # EXAMINE (read-only) unless the officer asked for flags to change or messages to move.
        status, data = connection.select(quote(folder), readonly=not (mark_seen or move_to))
        if status != "OK":
            raise no_folder(folder, mail, data)
        criteria = ["SINCE", f"{since.day}-{MONTHS[since.month - 1]}-{since.year}"] if since else ["ALL"]
        status, data = connection.uid("SEARCH", *criteria)
        uids = sorted(int(u) for u in (data[0] or b"").split()) if status == "OK" else []
        saved_uids = []
        for uid in uids:
            if uid in seen:
                continue
            result.looked_at += 1
            outcome, message_id = _fetch_one(connection, uid, config, mail, matcher, returns_dir, state, own_message_ids)
            if isinstance(outcome, list):
                result.saved += outcome
                saved_uids.append(uid)
            elif isinstance(outcome, Skipped):
                result.skipped.append(outcome)
            state.remember(folder, uid, message_id)
        if saved_uids and mark_seen:
            connection.uid("STORE", uid_set(saved_uids), "+FLAGS.SILENT", r"(\Seen)")
        if saved_uids and move_to:
            result.moved_note = move(connection, saved_uids, move_to)
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailError(f"The connection to the IMAP server {where(mail.imap, IMAP_PORTS)} was lost ({type(exc).__name__})",
                        "run assembler fetch again: what was saved is remembered and is not fetched twice") from None
    except imaplib.IMAP4.error as exc:
        reply = " ".join(str(exc).split())[:160]
        raise MailError(f"The IMAP server {where(mail.imap, IMAP_PORTS)} refused a request ({reply})",
                        "run assembler fetch again; what was saved is remembered. If it happens again, send this "
                        "message to whoever runs the mailbox") from None
    finally:
        close_imap(connection)
    return result


def _fetch_one(connection, uid: int, config: ReportConfig, mail: Mail, matcher: AgencyMatcher, returns_dir: Path,
               state: FetchState, own_message_ids: set[str]) -> tuple[list[Fetched] | Skipped | None, str | None]:
    """What became of one message (the files saved from it, or why it was left), and its Message-ID."""
    size = message_size(connection, uid)
    limit = int(config.limits.max_file_mb * 1024 * 1024)
    if size is not None and size > limit:
        headers = message_headers(connection, uid)
        return Skipped(_sender(headers), str(headers.get("Subject", "")),
                       f"the e-mail is {size / 1024 / 1024:.1f} MB, over limits.max_file_mb ({config.limits.max_file_mb:g} MB); it was not fetched",
                       "ask the agency to send the return on its own, without other files; or raise limits.max_file_mb in report.yaml"
                       ), str(headers.get("Message-ID", "")).strip() or None
    raw = message_bytes(connection, uid)
    try:
        return _sort(raw, uid, mail, matcher, returns_dir, state, own_message_ids)
    except Exception as exc:  # a message built to break parsers (nesting thousands deep, broken encodings)
        # Kept, not dropped: saved as it came for `check` to screen and list with its reason.
        detail = type(exc).__name__
        return [_save(returns_dir, None, f"undated-{uid:06d}-unreadable.eml", raw, "an unreadable e-mail", "",
                      f"could not be read as an e-mail: {detail}")], None


def _sort(raw: bytes, uid: int, mail: Mail, matcher: AgencyMatcher, returns_dir: Path, state: FetchState,
          own_message_ids: set[str]) -> tuple[list[Fetched] | Skipped | None, str | None]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(message.get("Message-ID", "")).strip() or None
    sender, subject = _sender(message), " ".join(str(message.get("Subject", "")).split())
    if message_id and message_id in own_message_ids:
        return None, message_id  # one of the partnership's own e-mails (a copy to itself): not a return
    if message_id and message_id in state.message_ids:
        # Fetched before from another folder, or before the server renumbered this one. Said, not hidden:
        # a different e-mail reusing a Message-ID would otherwise vanish.
        return Skipped(sender, subject, f"an e-mail with the same Message-ID {message_id} was fetched before; it was not fetched again",
                       "nothing, if it is the same e-mail; otherwise save it from the mailbox into inputs/returns/ by hand"), message_id
    if message.get_content_type() == "multipart/report":
        # A bounce or delay notice, often with our own template inside: news for the officer, not a return.
        return Skipped(sender, subject, "a delivery report (an e-mail bounced or was delayed); it was not fetched",
                       "read it in the mailbox: if a template did not arrive, correct the agency's e-mail in report.yaml "
                       "and run 'assembler send --send --again AGENCY'"), message_id
    if kind := sealed_kind(signed_content(message)):
        return Skipped(sender, subject, f"the e-mail is {kind} (S/MIME or PGP), so whether it holds a return cannot "
                       "be seen here; it was not fetched",
                       "open it in the mailbox with a mail program that can, and save the attached return into "
                       "inputs/returns/; or ask the agency to send it again without encryption"), message_id
    content = signed_content(message)  # a signed e-mail's attachments are inside what it signed
    attachments = [part for part in content.iter_attachments()] if content.is_multipart() else []
    parts = [part for part in attachments if part.get_content_maintype() != "image" and not is_more_text(part)]
    direct = [part for part in parts if part.get_content_type() != "message/rfc822"]
    # Our own e-mail quoted back (a reply with the original attached) carries the blank template: not a return.
    forwarded = [part.get_content() for part in parts if part.get_content_type() == "message/rfc822"]
    forwarded = [inner for inner in forwarded if not _is_own(inner, mail, own_message_ids)]
    inner_files = [[p for p in inner.iter_attachments() if p.get_content_maintype() != "image"] for inner in forwarded]
    if not direct and not any(inner_files) and (links := shared_links(body_text(message))):
        return Skipped(sender, subject, f"the e-mail links to a file kept online ({links[0]}) instead of attaching it; "
                       "it was not fetched", "open the link, download the file and save it into inputs/returns/; or ask "
                       "the agency to attach the file itself"), message_id
    if not direct and not any(inner_files):
        return Skipped(sender, subject, "the e-mail has no attachment (a picture in a signature does not count); it was not fetched",
                       "read it in the mailbox: if the agency meant to send its return, ask it to attach the file"), message_id
    count = len(attachments) + sum(len(list(inner.iter_attachments())) for inner in forwarded)
    if count > mail.max_attachments:
        return Skipped(sender, subject, f"the e-mail has {count} attachments, more than mail.max_attachments "
                       f"({mail.max_attachments}); it was not fetched",
                       "ask the agency to send only its return; or raise mail.max_attachments in report.yaml"), message_id
    stem = f"{_date(message) or 'undated'}-{uid:06d}-{_slug(subject) or 'no-subject'}"
    saved = []
    if direct:
        agency, how = _agency(message, direct, matcher)
        saved.append(_save(returns_dir, agency, f"{stem}.eml", raw, sender, subject, how))
    for number, (inner, its_files) in enumerate(zip(forwarded, inner_files), start=1):
        # Forwarded as an attachment: the agency's own e-mail is inside; saved on its own, it reads like any return.
        if not its_files:
            continue
        agency, how = _agency(inner, its_files, matcher)
        if agency is None:
            agency, how = _agency(message, its_files, matcher)
        saved.append(_save(returns_dir, agency, f"{stem}-forwarded-{number}.eml", inner.as_bytes(), _sender(inner),
                           " ".join(str(inner.get("Subject", "")).split()), f"forwarded e-mail, {how}"))
    return saved, message_id


def _is_own(message: EmailMessage, mail: Mail, own_message_ids: set[str]) -> bool:
    own = {mail.address.casefold(), (mail.reply_to or mail.address).casefold()}
    return (str(message.get("Message-ID", "")).strip() in own_message_ids
            or (_address(message.get("From")) or "").casefold() in own)


def _save(returns_dir: Path, agency, name: str, data: bytes, sender: str, subject: str, how: str) -> Fetched:
    folder = returns_dir / (agency.id if agency else UNKNOWN_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return Fetched(agency.id if agency else None, path, sender, subject, how)


def _agency(message: EmailMessage, files: list, matcher: AgencyMatcher):
    """The registered agency this e-mail is from, and how we know: sender, then other addresses, then words."""
    addresses = [("sender", _address(message.get("From")))]
    addresses += [("reply-to address", _address(message.get(h))) for h in ("Reply-To", "Sender")]
    addresses += [("forwarded sender", m) for m in forwarded_senders(body_text(message))]
    for how, address in addresses:
        agency = matcher.by_sender(address)
        if agency:
            return agency, how
    texts = [("subject", str(message.get("Subject", "")))]
    texts += [("attachment name", Path(part.get_filename() or "").stem) for part in files]
    for how, text in texts:
        agency = matcher.by_text(text)
        if agency:
            return agency, how
    return None, "unknown sender"


def _address(value) -> str | None:
    if not value:
        return None
    return email.utils.parseaddr(str(value))[1] or None


def _sender(message) -> str:
    return _address(message.get("From")) or str(message.get("From", "")) or "unknown sender"


def _date(message) -> str | None:
    try:
        return email.utils.parsedate_to_datetime(str(message["Date"])).date().isoformat() if message.get("Date") else None
    except (TypeError, ValueError):
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60].strip("-")


