"""What `assembler fetch` has already seen: per folder its UIDVALIDITY and the UIDs looked at, and the Message-IDs.

Kept in inputs/returns/.mailbox-state.json (check ignores files whose names
start with a dot), written again after every message so an interrupted
fetch loses nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_FILE = ".mailbox-state.json"


class FetchState:
    def __init__(self, path: Path):
        self.path = path
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.folders: dict[str, dict] = data.get("folders", {})
        self.message_ids: set[str] = set(data.get("message_ids", []))

    def seen_uids(self, folder: str, uidvalidity: str) -> set[int]:
        entry = self.folders.get(folder)
        if not entry or entry.get("uidvalidity") != uidvalidity:
            # The server renumbered the folder: UIDs mean nothing now, Message-IDs still do.
            self.folders[folder] = {"uidvalidity": uidvalidity, "uids": []}
            return set()
        return set(entry["uids"])

    def remember(self, folder: str, uid: int, message_id: str | None) -> None:
        self.folders[folder]["uids"] = sorted(set(self.folders[folder]["uids"]) | {uid})
        if message_id:
            self.message_ids.add(message_id)
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        data = {"folders": self.folders, "message_ids": sorted(self.message_ids)}
        temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
