"""The send log (outputs/mail-log.json): every message sent, refused or failed, with its Message-ID.

Written again after every message (to a temporary file, then renamed), so a
run stopped at any point leaves a log that says exactly what went out. A
message is logged 'sent' only once the server has accepted it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

SEND_LOG = "mail-log.json"


@dataclass
class LogEntry:
    kind: str          # 'template' or 'chase'
    agency_id: str
    to: str
    message_id: str
    status: str        # 'sent', 'refused' (the server would not take it for this recipient), 'failed'
    at: str            # UTC, ISO 8601
    detail: str = ""
    fingerprint: str = ""


class SendLog:
    def __init__(self, path: Path):
        self.path = path
        self.entries: list[LogEntry] = []
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries = [LogEntry(**entry) for entry in data.get("messages", [])]

    def was_sent(self, kind: str, agency_id: str, fingerprint: str = "") -> bool:
        return any(e.kind == kind and e.agency_id == agency_id and e.status == "sent"
                   and (not fingerprint or e.fingerprint == fingerprint) for e in self.entries)

    def first_sent(self, kind: str = "template") -> datetime | None:
        times = [datetime.fromisoformat(e.at) for e in self.entries if e.kind == kind and e.status == "sent"]
        return min(times) if times else None

    def sent_message_ids(self) -> set[str]:
        return {e.message_id for e in self.entries if e.status == "sent"}

    def record(self, kind: str, agency_id: str, to: str, message_id: str, status: str, detail: str = "",
               fingerprint: str = "") -> None:
        at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self.entries.append(LogEntry(kind, agency_id, to, message_id, status, at, detail, fingerprint))
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        data = {"messages": [asdict(e) for e in self.entries]}
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
