"""Returns that arrive as saved e-mails (.eml, Outlook .msg): the attachments are the returns.

An attachment's own name comes from the sender and may say anything
('../../x.docx', 'C:\\evil'), so it is cleaned by `safe_attachment_name` for
display and the bytes are written under a name we choose, in a folder we own.
A message forwarded as an attachment (message/rfc822, or an embedded Outlook
message) is saved whole as one more attachment, for the caller to read in turn;
a body in a charset Python does not know is decoded as best it can be.
"""

from __future__ import annotations

import email
import email.parser  # which email.message_from_bytes imports when first called: here, before the workers fork
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assembler.readers.safety import safe_attachment_name


@dataclass
class Attachment:
    name: str      # cleaned: safe to show and to record
    path: Path     # where we saved the bytes
    sent_as: str = ""  # the name as the sender gave it, printable, when it differs from `name`

    @property
    def described(self) -> str:
        """How messages name it: a suspicious original name is shown, so the officer can see what was sent."""
        return f"'{self.sent_as}' (saved as '{self.name}')" if self.sent_as else f"'{self.name}'"


# An address, and a 'From:' line quoted in a forwarded e-mail's text ('From: SEND Local Offer <sendlo@...>').
ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
FORWARDED_FROM = re.compile(r"^\s*>?\s*From:\s*(.+)$", re.MULTILINE | re.IGNORECASE)


# Where agencies share a document instead of attaching it ("X shared 'WSCP return.docx' with you").
_SHARED_LINK = re.compile(r"https?://[^\s<>\"')\]]*(?:sharepoint\.com|onedrive\.live\.com|1drv\.ms|docs\.google\.com|"
                          r"drive\.google\.com|dropbox\.com|box\.com|wetransfer\.com|we\.tl|icloud\.com)[^\s<>\"')\]]*",
                          re.IGNORECASE)


def shared_links(body: str) -> list[str]:
    """Links in an e-mail's text to a document kept online (SharePoint, OneDrive, Google Drive, Dropbox...)."""
    return _SHARED_LINK.findall(body)


def forwarded_senders(text: str) -> list[str]:
    """The addresses on the 'From:' lines quoted in an e-mail's text, first quoted first."""
    return [address.lower() for line in FORWARDED_FROM.findall(text) for address in ADDRESS.findall(line)]


@dataclass
class Email:
    sender: str | None
    sender_name: str | None
    subject: str
    date: datetime | None
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    sealed: str | None = None  # 'encrypted' or 'signed': its content locked in a form the report cannot open


def _save(work_dir: Path, index: int, raw_name: str | None, data: bytes) -> Attachment:
    name = safe_attachment_name(raw_name or f"attachment-{index}")
    target = work_dir / f"{index:02d}-{name}"
    target.write_bytes(data)
    printable = "".join(c if c.isprintable() else "?" for c in (raw_name or ""))[:80]
    return Attachment(name, target, printable if printable and printable != name else "")


def read_eml(path: Path, work_dir: Path) -> Email:
    """Headers and attachments of a saved e-mail (.eml); attachments are saved as work_dir/01-<clean name>."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    sender_name, sender = email.utils.parseaddr(str(message.get("From", "")))
    date = None
    if message.get("Date"):
        try:
            date = email.utils.parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            date = None
    content = signed_content(message)  # a signed e-mail (S/MIME, PGP): its return is inside what was signed
    result = Email(sender.lower() or None, sender_name or None, str(message.get("Subject", "")), _utc(date),
                   body_text(content), sealed=sealed_kind(content))
    for index, part in enumerate(content.iter_attachments() if content.is_multipart() else [], start=1):
        if is_more_text(part):
            # Apple Mail puts a file inline between two pieces of the text: the piece after it is text, not a file.
            words = _text_of(part)
            result.body += "\n" + (html_words(words) if part.get_content_subtype() == "html" else words)
            continue
        if part.get_content_type() == "message/rfc822":
            # A message forwarded as an attachment: saved whole, as an .eml the caller reads in turn.
            data = _forwarded_bytes(part)
            name = _filename(part) or f"{_safe_header(part, 'Subject') or 'forwarded message'}.eml"
        else:
            data = part.get_payload(decode=True)
            name = _filename(part)
        if not data:
            continue
        result.attachments.append(_save(work_dir, index, name, data))
    return result


SIGNATURES = ("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature")
SEALED = ("application/pkcs7-mime", "application/x-pkcs7-mime", "multipart/encrypted")


def is_more_text(part) -> bool:
    """A text part with no file name that was not sent as an attachment: more of the e-mail's text."""
    return (part.get_content_maintype() == "text" and part.get_content_subtype() in ("plain", "html")
            and not _filename(part) and part.get_content_disposition() != "attachment")


def signed_content(message):
    """What a signed e-mail signed (multipart/signed: the content, then its signature, RFC 1847), inside any
    number of signatures; any other e-mail as it is. The signature itself is not an attachment to read."""
    while message.get_content_type() == "multipart/signed":
        parts = list(message.iter_parts())
        if not parts:
            break
        message = parts[0]
    return message


def sealed_kind(message) -> str | None:
    """'encrypted' or 'signed' when the e-mail's content is sealed in a form only a mail program holding the
    keys opens (S/MIME enveloped or opaque-signed data, PGP/MIME encryption); None otherwise."""
    kind = message.get_content_type()
    if kind not in SEALED:
        return None
    return "signed" if (message.get_param("smime-type") or "").casefold() == "signed-data" else "encrypted"


def body_text(message) -> str:
    """The e-mail's own text: its plain-text part, else its HTML part's words (an HTML-only forward still
    quotes the original sender's 'From:' line, and a return typed into the e-mail still shows its headings)."""
    part = signed_content(message).get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    return html_words(text) if part.get_content_subtype() == "html" else text


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
# Where a line ends in an e-mail's HTML: its words are read a line per paragraph, line break and table row.
_LINE_ENDS = ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr")


def html_words(markup: str) -> str:
    """The words of an HTML e-mail body, a line per paragraph, line break, list item and table row; what a mail
    program never shows (style sheets, scripts, the head) left out."""
    from lxml import etree, html

    # An XML declaration (XHTML, as some mail programs write it) is refused in a str: it says nothing here.
    markup = _XML_DECLARATION.sub("", markup, count=1)
    try:
        root = html.fromstring(markup)
    except (etree.ParserError, ValueError):  # empty, or nothing but a comment
        return ""
    for hidden in list(root.iter("head", "style", "script", "title")):
        hidden.drop_tree()
    for element in root.iter(*_LINE_ENDS):
        element.tail = "\n" + (element.tail or "")
    for cell in root.iter("td", "th"):
        cell.tail = "\t" + (cell.tail or "")  # a row's cells apart on its line: 'From:' | 'Jane <jane@...>'
    lines = ("\t".join(filter(None, (" ".join(cell.split()) for cell in line.split("\t"))))
             for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _text_of(part) -> str:
    """A text part's words, decoded as best they can be: an unknown or wrong charset costs
    odd characters in the body, never the e-mail (its attachments are the return)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        data = part.get_payload(decode=True) or b""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")


def _filename(part) -> str | None:
    try:
        return part.get_filename()
    except (LookupError, UnicodeError, ValueError):  # an encoded name in a charset Python does not know
        raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
        return str(raw[2] if isinstance(raw, tuple) else raw) if raw else None


def _safe_header(part, name: str) -> str:
    try:
        inner = part.get_payload(0) if part.is_multipart() else None
        return str(inner.get(name, "")) if inner is not None else ""
    except (LookupError, UnicodeError, ValueError, IndexError, TypeError):
        return ""


def _forwarded_bytes(part) -> bytes:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if inner is not None:
        try:
            return inner.as_bytes()
        except (LookupError, UnicodeError, ValueError):
            pass
    data = part.get_payload(decode=True)  # a forwarded message sent base64-encoded
    return data if isinstance(data, bytes) else b""


def read_msg(path: Path, work_dir: Path) -> Email:
    """Headers and attachments of an Outlook message (.msg); attachments are saved as work_dir/01-<clean name>."""
    import extract_msg

    work_dir.mkdir(parents=True, exist_ok=True)

    message = extract_msg.openMsg(str(path))
    try:
        sender_name, sender = email.utils.parseaddr(message.sender or "")
        date = message.date if isinstance(message.date, datetime) else None
        result = Email(sender.lower() or None, sender_name or None, message.subject or "", _utc(date), message.body or "")
        for index, attachment in enumerate(message.attachments, start=1):
            data = getattr(attachment, "data", None)
            raw_name = getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None)
            if hasattr(data, "exportBytes"):  # a message forwarded as an attachment: read in turn by the caller
                try:
                    data, raw_name = data.exportBytes(), raw_name or f"{data.subject or 'forwarded message'}.msg"
                except Exception:  # an embedded message extract_msg cannot write out: reported as not a return
                    data = None
            if not isinstance(data, bytes):
                continue  # an OLE object: not a return
            result.attachments.append(_save(work_dir, index, raw_name, data))
        return result
    finally:
        message.close()


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    # The sender's own offset is kept: a return sent at 00:30 BST on 1 May arrived on 1 May.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
