"""Whose return is this? The template's identifier first, then the name as typed, the file name
and the e-mail sender, each matched tolerantly against the registry in report.yaml."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from assembler.config import Agency, ReportConfig

# Words that say nothing about which agency it is, whoever wrote them.
_NOISE = {
    "the", "of", "and", "for", "nhs", "trust", "foundation", "ft", "wscp", "return", "returns", "annual", "report",
    "submission", "final", "v1", "v2", "v3", "draft", "amended", "docx", "xlsx", "eml", "msg", "safeguarding",
    "children", "childrens", "partnership", "copy", "version", "from", "re", "fw", "fwd", "our", "to", "with",
}
MATCH_THRESHOLD = 0.6


@dataclass(frozen=True)
class AgencyMatch:
    agency: Agency
    how: str  # 'template identifier', 'agency name', 'file name', 'sender'


def _words(text: str) -> list[str]:
    text = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = re.findall(r"[a-z0-9]+", text)
    return [w for w in words if w not in _NOISE and not re.fullmatch(r"\d+", w)]


def _acronym(name: str) -> str:
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", name.replace("&", " ")) if w.casefold() not in ("and", "of", "the"))
    return initials.casefold()


class AgencyMatcher:
    def __init__(self, config: ReportConfig):
        self.agencies = config.agencies
        counts = Counter(w for a in self.agencies for w in set(_words(a.name)))
        total = len(self.agencies)
        # Rare words identify an agency; 'wirral' or 'merseyside' in many names identify little.
        self.weight = {w: math.log(1 + total / c) for w, c in counts.items()}
        self.vocabulary = set(counts) | {part for a in self.agencies for part in a.id.split("-")}

    def by_id(self, agency_id: str | None) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def by_sender(self, sender: str | None) -> Agency | None:
        if not sender or "@" not in sender:
            return None
        sender = sender.casefold()
        exact = [a for a in self.agencies if a.email.casefold() == sender]
        if exact:
            return exact[0]
        domain = sender.rsplit("@", 1)[1]
        same_domain = [a for a in self.agencies if a.email.casefold().rsplit("@", 1)[1] == domain]
        return same_domain[0] if len(same_domain) == 1 else None

    def by_text(self, text: str | None) -> Agency | None:
        """The agency whose id, acronym or distinctive name words appear in `text`; None if unclear."""
        if not text or not text.strip():
            return None
        words = _words(text)
        word_set = set(words)
        joined = " ".join(re.findall(r"[a-z0-9]+", text.casefold()))
        scores: list[tuple[float, str, Agency]] = []
        for agency in self.agencies:
            score = 0.0
            id_phrase = agency.id.replace("-", " ")
            if re.search(rf"\b{re.escape(id_phrase)}\b", joined) or (len(agency.id) >= 3 and agency.id in word_set):
                score = 1.5  # an id or acronym is deliberate; shared place names are not
            acronym = _acronym(agency.name)
            if len(acronym) >= 3 and acronym in word_set:
                score = max(score, 1.3)  # acronym, e.g. MFRS
            name_words = set(_words(agency.name))
            if name_words:
                total = sum(self.weight.get(w, 1.0) for w in name_words)
                found = sum(self.weight.get(w, 1.0) for w in name_words & word_set)
                # Words the registry has never seen ('Sefton') suggest another organisation with a similar name.
                known = len(word_set & self.vocabulary) / len(word_set) if word_set else 0.0
                score += found / total * (1.0 if score else known)  # after an id match, only breaks ties
            scores.append((score, agency.id, agency))
        scores.sort(key=lambda s: (-s[0], s[1]))
        best = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        if best[0] >= MATCH_THRESHOLD and best[0] - runner_up >= 0.1:
            return best[2]
        return None
