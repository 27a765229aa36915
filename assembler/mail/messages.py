"""The e-mails the partnership sends: an agency's template with its covering text, and a chase."""

from __future__ import annotations

import hashlib
import mimetypes
import string
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from assembler.config import Agency, ReportConfig
from assembler.config.model import Mail
from assembler.mail.errors import MailError

FORMAT_NAMES = {"docx": "Word", "xlsx": "Excel"}
OFFICE_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass
class Outgoing:
    """One e-mail to send, and what the send log records about it."""

    kind: str          # 'template' or 'chase'
    agency_id: str
    to: str
    message: EmailMessage
    fingerprint: str = ""  # chases: what the text says, so a changed chase is a new message

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def template_message(agency: Agency, attachment: Path, config: ReportConfig, mail: Mail) -> Outgoing:
    fields = cover_fields(agency, attachment, config, mail)
    message = _new_message(mail, agency.email, fill(mail.subject, fields, "mail.subject").replace("\n", " ").strip())
    message.set_content(fill(mail.body, fields, "mail.body"))
    maintype, subtype = OFFICE_TYPES.get(attachment.suffix.lower()) or _guess_type(attachment)
    message.add_attachment(attachment.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment.name)
    return Outgoing("template", agency.id, agency.email, message)


def chase_message(agency: Agency, text: str, mail: Mail) -> Outgoing:
    """A chase text as `assembler check` writes it (To:, Subject:, a blank line, the body) as an e-mail."""
    to, subject, body = parse_chase_text(text)
    message = _new_message(mail, to or agency.email, subject)
    message.set_content(body)
    return Outgoing("chase", agency.id, to or agency.email, message, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


def parse_chase_text(text: str) -> tuple[str | None, str, str]:
    head, _, body = text.partition("\n\n")
    headers = {}
    for line in head.splitlines():
        name, _, value = line.partition(":")
        headers[name.strip().casefold()] = value.strip()
    return headers.get("to") or None, headers.get("subject", "Your agency's return"), body.lstrip("\n")


def cover_fields(agency: Agency, attachment: Path, config: ReportConfig, mail: Mail) -> dict[str, str]:
    limits = config.rules.word_limits
    word_limits = ", ".join(f"{name} {limit} words" for name, limit in (
        ("about your agency", limits.get("about")), ("this year's activity", limits.get("activity")),
        ("priorities", limits.get("priorities"))) if limit)
    return {
        "agency": agency.name,
        "agency_id": agency.id,
        "due": f"{agency.due:%d %B %Y}".lstrip("0") if agency.due else "the date we agreed",
        "period": config.period,
        "plan_period": config.plan_period,
        "title": config.title,
        "partnership": config.partnership.name,
        "partnership_short": config.partnership.short_name,
        "word_limits": word_limits or "none",
        "contact": mail.contact,
        "reply_to": mail.reply_to or mail.address,
        "format_name": FORMAT_NAMES.get(agency.format, agency.format),
        "attachment": attachment.name,
    }


def fill(template: str, fields: dict[str, str], setting: str) -> str:
    """The officer's text with {fields} filled in; an unknown {name} is named with the ones that exist."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise MailError(f"report.yaml {setting} cannot be used as a template ({exc})",
                        "write a brace that is meant as text as {{ or }}") from None
    unknown = sorted({n for n in names if n not in fields})
    if unknown:
        raise MailError(f"report.yaml {setting} uses {', '.join('{' + n + '}' for n in unknown)}, which is not a field",
                        "use only " + ", ".join("{" + n + "}" for n in fields))
    return template.format_map(fields)


def _new_message(mail: Mail, to: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.address
    message["To"] = to
    message["Reply-To"] = mail.reply_to or mail.address
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail.address.rsplit("@", 1)[-1])
    return message


def _guess_type(path: Path) -> tuple[str, str]:
    guessed, _ = mimetypes.guess_type(path.name)
    return tuple(guessed.split("/", 1)) if guessed else ("application", "octet-stream")  # type: ignore[return-value]


def write_draft(outgoing: Outgoing, outbox: Path) -> Path:
    """The message as an .eml that Outlook and Thunderbird open as an unsent draft (X-Unsent: 1)."""
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{outgoing.kind}-{outgoing.agency_id}.eml"
    # The header goes first; the rest is byte for byte what would be sent.
    path.write_bytes(b"X-Unsent: 1\n" + outgoing.message.as_bytes())
    return path
