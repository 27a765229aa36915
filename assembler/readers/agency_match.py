"""Whose return is this? The template's identifier, the officer's assignment, the agency's name as written, the
e-mail sender, then the file and folder name, each matched tolerantly against the registry (names and aliases)
in report.yaml. When nothing is clear, the agencies it looks like and why, for the officer to confirm."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import PurePath

from assembler.config import Agency, ReportConfig

# Words that say nothing about which agency it is, whoever wrote them.
_NOISE = {
    "the", "of", "and", "for", "nhs", "trust", "foundation", "ft", "wscp", "return", "returns", "annual", "report",
    "submission", "final", "v1", "v2", "v3", "draft", "amended", "docx", "xlsx", "eml", "msg", "safeguarding",
    "children", "childrens", "partnership", "copy", "version", "from", "re", "fw", "fwd", "our", "to", "with",
}
MATCH_THRESHOLD = 0.6
LOOKS_LIKE_THRESHOLD = 0.4   # below a match, enough to name the agency as a guess for the officer
FIRST_LINES = 3              # lines at the top of a free-form return that may carry its agency's name

# 'Name of agency:', 'Organisation -', 'Agency name |', 'Submitted by:' ... before the name itself.
_LABEL_NOUN = r"(?:agency|organi[sz]ation|service|provider|partner|body)"
_NAME_LABEL = re.compile(
    rf"^\s*(?:name\s+of\s+(?:the\s+)?{_LABEL_NOUN}|"
    rf"(?:partner\s+|submitting\s+|lead\s+)?{_LABEL_NOUN}(?:'s)?(?:\s+name)?|"
    r"submitted\s+by|return\s+from|from)"
    rf"(?:\s*(?:/|or)\s*{_LABEL_NOUN}(?:\s+name)?)?"   # 'Name of agency/organisation'
    r"\s*(?:[:|\-\u2013\u2014]+\s*|\t+)(?=\S)",
    re.I,
)
CLUE_LENGTH = 160  # a clue is quoted back to the officer: a whole paragraph would drown the message
# Generic endings an agency often leaves off its own name.
_GENERIC_SUFFIX = re.compile(r"\b(?:nhs\s+foundation\s+trust|nhs\s+trust|foundation\s+trust|nhs\s+ft|nhs)\s*$")
# What a first line says when it is a document's title, not an agency's name.
_TITLE_WORDS = {"report", "return", "returns", "submission", "template", "form", "annual", "wscp", "lscp", "scp"}
# A column header or a field label on its own is never an agency's name.
_HEADER_WORDS = {
    "measure", "measures", "indicator", "indicators", "value", "values", "section", "question", "response", "item",
    "field", "description", "figure", "figures", "data", "metric", "label", "notes", "note", "agency", "name",
    "organisation", "organization", "contents", "summary", "introduction", "details",
}


@dataclass(frozen=True)
class Clue:
    """One piece of text that may say whose a return is, and where it was found (for the officer's message)."""

    text: str
    where: str

    def __post_init__(self):
        if len(self.text) > CLUE_LENGTH:
            object.__setattr__(self, "text", self.text[:CLUE_LENGTH].rstrip() + "…")


@dataclass(frozen=True)
class Guess:
    agency: Agency
    clue: Clue

    def describe(self) -> str:
        return f"{self.agency.name} (from '{self.clue.text}' in {self.clue.where})"


@dataclass
class Attribution:
    agency: Agency | None
    how: str                                   # e.g. "the template's identifier", "the e-mail sender ..."
    guesses: list[Guess] = field(default_factory=list)   # when agency is None: what it looks like
    # When the name written in the return decided it and the file's own name or page header names another agency:
    # (that agency, which clue named it). The officer is told before one agency's text prints under another's.
    contradicted_by: tuple[Agency, str] | None = None


def normalise(text: str) -> str:
    """Lower case, '&' as 'and', apostrophes dropped, everything else that is not a letter or digit a space."""
    text = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.findall(r"[^\W_]+", text))


def strip_label(text: str) -> str:
    """'Name of agency: Cheshire & Wirral Partnership' -> 'Cheshire & Wirral Partnership'."""
    stripped = _NAME_LABEL.sub("", text, count=1).strip()
    return stripped.strip(" |:-\u2013\u2014\t") or text.strip()


def is_labelled(text: str) -> bool:
    return bool(_NAME_LABEL.match(text))


def looks_like_title(text: str, partnership_words: set[str] = frozenset()) -> bool:
    """A document title ('WSCP Annual Report 2023-24 - Single Agency Submission'), a heading or a column
    header: text that must never be shown as an agency's name."""
    from assembler.readers.headings import match_heading

    words = normalise(text).split()
    if not words:
        return True
    if len(words) <= 2 and all(w in _HEADER_WORDS for w in words):
        return True
    if _TITLE_WORDS & set(words) or re.search(r"\b20\d\d\s*[-/]\s*\d\d", text):
        return True
    if partnership_words and set(words) <= partnership_words | _NOISE:
        return True
    return match_heading(text) is not None


def _words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in _NOISE and not w.isdigit()]


def _acronym(name: str) -> str:
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", name.replace("&", " ")) if w.casefold() not in ("and", "of", "the"))
    return initials.casefold()


def _core(phrase: str) -> str:
    """A normalised name without its generic ending: 'wirral community health and care'."""
    return _GENERIC_SUFFIX.sub("", phrase).strip()


class AgencyMatcher:
    def __init__(self, config: ReportConfig):
        self.config = config
        self.agencies = config.agencies
        counts = Counter(w for a in self.agencies for w in set(_words(a.name)))
        total = len(self.agencies)
        # Rare words identify an agency; 'wirral' or 'merseyside' in many names identify little.
        self.weight = {w: math.log(1 + total / c) for w, c in counts.items()}
        self.vocabulary = set(counts) | {part for a in self.agencies for part in a.id.split("-")}
        # Whole names and aliases, normalised, with and without 'NHS Foundation Trust': an exact one is certain.
        self.phrases: list[tuple[str, Agency]] = []
        for agency in self.agencies:
            for written in (agency.name, *agency.aliases):
                phrase = normalise(written)
                for form in {phrase, _core(phrase)}:
                    if form and form not in _NOISE:
                        self.phrases.append((form, agency))
        self.alias_words = {normalise(alias): agency for agency in self.agencies for alias in agency.aliases
                            if len(normalise(alias).split()) == 1}
        self.partnership_words = set(normalise(config.partnership.name).split()) | {config.partnership.short_name.casefold()}
        self.partnership_phrase = normalise(config.partnership.name)
        # Per agency, worked out once: its id as a phrase, its acronym, its name's words and their total weight.
        self.profiles = []
        for agency in self.agencies:
            name_words = set(_words(agency.name))
            self.profiles.append((
                agency, f" {agency.id.replace('-', ' ')} ", _acronym(agency.name), name_words,
                sum(self.weight.get(w, 1.0) for w in name_words),
            ))

    # --- single clues -------------------------------------------------------------------

    def by_id(self, agency_id: str | None) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def by_sender(self, sender: str | None) -> Agency | None:
        found = self.sender_match(sender)
        return found[0] if found else None

    def sender_match(self, sender: str | None) -> tuple[Agency, str] | None:
        """The agency whose address it is, or the only agency on its domain; with how."""
        if not sender or "@" not in sender:
            return None
        sender = sender.casefold().strip("<> ")
        exact = [a for a in self.agencies if a.email.casefold() == sender]
        if len(exact) == 1:
            return exact[0], f"the e-mail sender {sender}"
        if exact:  # an address several agencies share says none of them (check warns of it)
            return None
        domain = sender.rsplit("@", 1)[1]
        same_domain = [a for a in self.agencies if a.email.casefold().rsplit("@", 1)[1] == domain]
        if len(same_domain) == 1:
            return same_domain[0], f"the e-mail sender's domain {domain}"
        return None

    def by_text(self, text: str | None) -> Agency | None:
        """The agency whose name, alias, id, acronym or distinctive name words appear in `text`; None if unclear."""
        ranked = self.scores(text)
        if not ranked:
            return None
        best, runner_up = ranked[0], (ranked[1][0] if len(ranked) > 1 else 0.0)
        if best[0] >= MATCH_THRESHOLD and best[0] - runner_up >= 0.1:
            return best[1]
        return None

    def scores(self, text: str | None) -> list[tuple[float, Agency]]:
        """Every agency's score for `text`, best first (ties by id, so the order never depends on the registry's)."""
        if not text or not text.strip():
            return []
        text = strip_label(text)
        joined = normalise(text)
        if self.partnership_phrase and self.partnership_phrase in joined:
            # 'Return to the Wirral Safeguarding Children Partnership': the partnership's name says nothing about who wrote.
            joined = " ".join(joined.replace(self.partnership_phrase, " ").split())
            text = joined
        padded = f" {joined} "
        words = _words(text)
        word_set = set(words)
        core = _core(joined)
        exact = {id(a) for phrase, a in self.phrases if joined == phrase or core == phrase}
        contained = {id(a) for phrase, a in self.phrases if f" {phrase} " in padded}
        aliased = {id(a) for w, a in self.alias_words.items() if f" {w} " in padded}
        scores: list[tuple[float, str, Agency]] = []
        known = len(word_set & self.vocabulary) / len(word_set) if word_set else 0.0
        for agency, id_phrase, acronym, name_words, total in self.profiles:
            score = 0.0
            if id(agency) in exact:
                score = 3.0  # the registered name or an alias, as written
            elif id(agency) in contained or id(agency) in aliased:
                score = 2.0  # the whole name or an alias inside a longer line
            if id_phrase in padded or (len(agency.id) >= 3 and agency.id in word_set):
                score = max(score, 1.5)  # an id or acronym is deliberate; shared place names are not
            if len(acronym) >= 3 and acronym in word_set:
                score = max(score, 1.3)  # acronym, e.g. MFRS
            if name_words:
                found = sum(self.weight.get(w, 1.0) for w in name_words & word_set)
                # Words the registry has never seen ('Sefton') suggest another organisation with a similar name.
                score += found / total * (1.0 if score else known)  # after a name or id match, only breaks ties
            scores.append((score, agency.id, agency))
        scores.sort(key=lambda s: (-s[0], s[1]))
        return [(score, agency) for score, _, agency in scores if score > 0]

    # --- a whole return -----------------------------------------------------------------

    def assigned(self, path: str, attachment: str | None) -> tuple[str, Agency] | None:
        """The officer's `assign:` entry for this file: (the key that matched, the agency)."""
        key = match_file_key(self.config.assign, path, attachment)
        return (key, self.by_id(self.config.assign[key])) if key is not None else None

    def attribute(self, identity_id: str | None, path: str, attachment: str | None, name_clues: list[Clue],
                  sender: str | None, file_clues: list[Clue], own_clues: list[Clue] | None = None) -> Attribution:
        """In order: the template's identifier, the officer's assignment, the agency's name as written, the
        e-mail sender, the file and folder name. The first that names one agency clearly decides. `own_clues`
        (default `file_clues`) are those that speak for this file alone (its page header, its own name, not an
        e-mail's that carries several returns): one naming another agency than the written name is said."""
        agency = self.by_id(identity_id)
        if agency is not None:
            return Attribution(agency, "the template's identifier")
        assigned = self.assigned(path, attachment)
        if assigned is not None:
            return Attribution(assigned[1], f"the officer's assignment ('{assigned[0]}' under assign: in report.yaml)")
        for clue in name_clues:
            agency = self.by_text(clue.text)
            if agency is not None:
                return Attribution(agency, f"the agency name '{clue.text}' in {clue.where}",
                                   contradicted_by=self._other_agency(agency, file_clues if own_clues is None else own_clues))
        by_sender = self.sender_match(sender)
        if by_sender is not None:
            return Attribution(by_sender[0], by_sender[1])
        for clue in file_clues:
            agency = self.by_text(clue.text)
            if agency is not None:
                return Attribution(agency, f"{clue.where} '{clue.text}'")
        return Attribution(None, "no clue named a registered agency clearly", self.guesses(name_clues + file_clues))

    def _other_agency(self, agency: Agency, file_clues: list[Clue]) -> tuple[Agency, str] | None:
        """Another agency the file's own name or page header names clearly, if one does. Not the e-mail's sender:
        a colleague, or one agency for another, sends returns that are not their own."""
        for clue in file_clues:
            other = self.by_text(clue.text)
            if other is not None and other.id != agency.id:
                return other, f"{clue.where} '{clue.text}'"
        return None

    def guesses(self, clues: list[Clue], limit: int = 2) -> list[Guess]:
        """The agencies the clues point at without settling it, best first, each with the clue it came from."""
        best: dict[str, tuple[float, Guess]] = {}
        for order, clue in enumerate(clues):
            if looks_like_title(clue.text, self.partnership_words):
                continue  # a title's words are too loose to guess from
            for score, agency in self.scores(clue.text)[:3]:
                if score < LOOKS_LIKE_THRESHOLD:
                    break
                rank = score - order * 0.01  # an earlier clue wins a tie
                if agency.id not in best or rank > best[agency.id][0]:
                    best[agency.id] = (rank, Guess(agency, clue))
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].agency.id))
        return [guess for _, guess in ranked[:limit]]


def match_file_key(entries: dict, path: str, attachment: str | None) -> str | None:
    """The key of `entries` (a file name, a path ending or a pattern such as 'CWP*') that names this file:
    an exact name first, then patterns in the order written. Case does not matter."""
    names = [n for n in (attachment, PurePath(path).name) if n]
    folded = [n.casefold() for n in names]
    for key in entries:
        if key.casefold() in folded:
            return key
    pure = PurePath(path.casefold())
    for key in entries:
        pattern = key.casefold()
        if any(fnmatchcase(name, pattern) for name in folded) or ("/" in pattern and _path_match(pure, pattern)):
            return key
    return None


def _path_match(path: PurePath, pattern: str) -> bool:
    try:
        return path.match(pattern) or path.match(pattern.rstrip("/") + "/*")
    except ValueError:  # an empty pattern
        return False


def name_clues(agency_field: str | None, is_template: bool, title_text: str, labels: list[tuple[str, str]]) -> list[Clue]:
    """Where a return names its agency, most deliberate first: the template's name field, a labelled value
    ('Name of agency: ...', a table row 'Agency | ...'), then the first lines of a free-form return."""
    clues: list[Clue] = []
    if agency_field and is_template:
        clues.append(Clue(agency_field.strip(), "the template's agency name field"))
    lines = [line.strip() for line in (title_text or "").splitlines() if line.strip()]
    for label, value in labels:
        if value.strip() and is_labelled(f"{label.strip()}: x"):
            clues.append(Clue(value.strip(), f"the '{label.strip().rstrip(':')}' field"))
    for line in lines:
        if " | " in line:  # a table row read as 'Agency | Probation Service'
            cells = [c.strip() for c in line.split(" | ")]
            if len(cells) >= 2 and is_labelled(f"{cells[0]}: x") and cells[1]:
                clues.append(Clue(cells[1], f"the '{cells[0]}' row"))
        elif is_labelled(line):
            label = line[: len(line) - len(strip_label(line))].strip(" :|-\u2013\u2014\t")
            clues.append(Clue(strip_label(line), f"the '{label}' field"))
    if agency_field and not is_template and not any(c.text == strip_label(agency_field) for c in clues):
        lines = [agency_field.strip(), *[line for line in lines if line != agency_field.strip()]]
    ordinals = ("first", "second", "third")
    for index, line in enumerate(lines[:FIRST_LINES]):
        if " | " in line:
            continue
        text = strip_label(line)
        if not any(c.text == text for c in clues):
            clues.append(Clue(text, f"the {ordinals[index]} line"))
    return clues


def display_name(clues: list[Clue], fallback: str, partnership_words: set[str] = frozenset()) -> str:
    """What to call a return's sender when it is not a registered agency: a name it wrote, never a title,
    a heading or a column header; else the file's name."""
    for clue in clues:
        if not looks_like_title(clue.text, partnership_words):
            return clue.text[:200]
    return fallback
