"""The firewall between the readers and the schema: what a reader hands on is made printable here.

Called once per return by `assembler.intake`, after reading and before
matching. Whatever leaves this module can be laid out by every writer without
a writer ever catching an agency's mistake:

- pictures are decoded and written again as PNG or JPEG, their pixel count
  bounded; a Windows metafile (EMF/WMF, what Word keeps of a chart pasted from
  Excel) is converted with LibreOffice where it can be, otherwise left out;
- figures are finite and in range;
- links go to http, https or mailto only; a link inside the return (to a
  bookmark) or to anything else prints as its words;
- text is NFC, without soft hyphens or zero-width characters, with the
  bullets, arrows and signs of the Symbol and Wingdings fonts as real
  characters (readers/symbol_fonts.py), and those it cannot map reported;
- agency text is typeset as the partnership's chapters are, by the same
  functions (`assembler.typography`): curly quotes and apostrophes, en dashes
  for spaced hyphens, an ellipsis for three dots, and a diamond or bullet
  standing between words (where a dash belongs) as a dash. It changes no word,
  so it is reported nowhere; emoji are kept, with a warning that Word may
  print them as empty boxes.

Each thing changed that a reader of the report would notice becomes a warning
(a warning naming the section), so nothing is left out silently.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from assembler.problems import Problem
from assembler.readers.base import ReturnContent, excerpt, reader_warning
from assembler.readers.pictures import METAFILE_FIX, PictureMaker
from assembler.readers.symbol_fonts import SYMBOL_FONT_CHARACTERS
from assembler.readers.values import MAX_FIGURE
from assembler.typography import EMOJI_FIX_FOR_AGENCY, emoji_in, emoji_message, typeset_text
from assembler.schema import (
    Block, CaseStudy, ChartRef, Contact, Heading, Image, Indicator, ListBlock, ListItem, NoteItem, Notes, Paragraph, Quote,
    Run, Table,
)

ALLOWED_SCHEMES = ("http", "https", "mailto")
SHOWN_LINKS = 3  # links named per section in a warning (a pasted table of contents links to every heading)


# --- text -------------------------------------------------------------------------------

SOFT_HYPHEN, ZWSP, ZWNJ, ZWJ, WORD_JOINER, BOM = "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
_INVISIBLE = {SOFT_HYPHEN, ZWSP, WORD_JOINER, BOM, "\u180e", "\u2061", "\u2062", "\u2063", "\u2064"}
# Characters that are not allowed in XML (and so not in a .docx), other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Everything printable_text does more than NFC is about these characters: most text has none of them.
_SPECIAL = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\ue000-\uf8ff\U000f0000-\U0010fffd]")



def _is_private_use(char: str) -> bool:
    return unicodedata.category(char) == "Co"


def _is_emoji_part(char: str) -> bool:
    """A character a ZWJ may join into one emoji (👩‍👧): a pictograph, a variation selector or a skin tone."""
    code = ord(char)
    return (unicodedata.category(char) == "So" or 0x1F3FB <= code <= 0x1F3FF or char == "\ufe0f"
            or 0x1F000 <= code <= 0x1FAFF)


def _needs_joiner_control(before: str, after: str) -> bool:
    """ZWNJ and ZWJ choose letter forms in Arabic, Persian, the Indic scripts and others: kept between two
    letters or marks of a script that joins (anything past Hebrew), never in Latin where they only hide."""
    def joining(char: str) -> bool:
        return ord(char) >= 0x0600 and unicodedata.category(char)[0] in "LM"

    return bool(before) and bool(after) and joining(before) and joining(after)


def printable_text(text: str, dropped: list[str] | None = None) -> str:
    """NFC text with invisible characters removed and symbol-font characters mapped; private-use characters
    that map to nothing are removed and added to `dropped` (to be reported)."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", text)
    if text.isascii():
        return text  # nearly every run
    if not _SPECIAL.search(text):
        return unicodedata.normalize("NFC", text)
    out: list[str] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char in (ZWJ, ZWNJ):
            before = out[-1] if out else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if (char == ZWJ and before and after and _is_emoji_part(before) and _is_emoji_part(after)) \
                    or _needs_joiner_control(before, after):
                out.append(char)
            continue
        if _is_private_use(char):
            mapped = SYMBOL_FONT_CHARACTERS.get(char)
            if mapped:
                out.append(mapped)
            elif dropped is not None:
                dropped.append(char)
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


# --- links ------------------------------------------------------------------------------

_WEB_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[:/?#]\S*)?$", re.I)
_EMAIL = re.compile(r"^(?:mailto:)?([^@\s:/]+@[^@\s/]+\.[a-z]{2,})$", re.I)


def link_problem(target: str) -> str | None:
    """Why the link cannot be published as a link, or None when it can (http, https, mailto, an e-mail address)."""
    if target.startswith("#"):
        return "links to a place inside the return (a bookmark), which is not in the report"
    if _CONTROL.search(target) or any(c.isspace() for c in target.strip()):
        return "has an address with spaces or control characters in it"
    if "@" in target and ":" not in target and _EMAIL.match(target):
        return None  # an e-mail address: the writers link it as mailto:
    scheme = target.split(":", 1)[0].strip().casefold() if ":" in target else ""
    if scheme not in ALLOWED_SCHEMES:
        shown = f"'{scheme}:'" if scheme and len(scheme) > 1 else "a file or network path"
        return f"goes to {shown}, not to a web page or e-mail address"
    if scheme in ("http", "https") and not urlsplit(target).hostname:
        return "has no web address after 'http'"
    return None


def _host(text: str) -> str | None:
    """The web host or e-mail domain a piece of text names ('www.nspcc.org.uk', 'https://x.org/a', 'a@b.org')."""
    text = text.strip().rstrip(".,;:)")
    email = _EMAIL.match(text)
    if email:
        return email.group(1).casefold()
    match = _WEB_ADDRESS.match(text)
    return match.group(1).casefold() if match else None


def _target_host(target: str) -> str | None:
    email = _EMAIL.match(target.strip())
    if email:
        return email.group(1).casefold()
    host = urlsplit(target.strip()).hostname
    return host.casefold().removeprefix("www.") if host else None


def names_another_address(text: str, target: str) -> bool:
    """True when the link's words are a web or e-mail address other than the one it goes to
    ('www.nspcc.org.uk' linking to evil.example). A subdomain of the named site is the same site."""
    named, actual = _host(text), _target_host(target)
    if not named or not actual:
        return False
    if "@" in named or "@" in actual:
        return named != actual
    named = named.removeprefix("www.")
    return not (actual == named or actual.endswith("." + named) or named.endswith("." + actual))


# --- the walk ---------------------------------------------------------------------------

@dataclass
class _Return:
    """What is found while one return is made printable, reported per section."""

    notes: list[Problem]
    pictures: "PictureMaker"
    dropped: dict[str, list[str]] = field(default_factory=dict)   # section -> private-use characters removed
    links: dict[str, list[str]] = field(default_factory=dict)     # section -> what was wrong with each link
    mismatched: dict[str, list[str]] = field(default_factory=dict)  # section -> links whose words name another address
    emoji: dict[str, list[str]] = field(default_factory=dict)     # section -> emoji kept

    def text(self, text: str, where: str, before: str | None = "") -> str:
        """The text made printable, and typeset unless `before` is None (a name, an address, a figure as typed)."""
        dropped: list[str] = []
        cleaned = printable_text(text, dropped)
        if dropped:
            self.dropped.setdefault(where, []).extend(dropped)
        if before is not None:
            cleaned = typeset_text(cleaned, before)
        found = emoji_in(cleaned)
        if found:
            self.emoji.setdefault(where, []).extend(found)
        return cleaned

    def runs(self, runs: list[Run], where: str) -> list[Run]:
        out = []
        before = ""
        for run in runs:
            text = self.text(run.text, where, before)
            before = text[-1:] or before
            link = (run.link or "").strip() or None
            if link:
                problem = link_problem(link)
                if problem:
                    self.links.setdefault(where, []).append(f"'{excerpt(text)}' {problem} ({excerpt(link)}), so it prints as plain text")
                    link = None
                elif names_another_address(text, link):
                    self.mismatched.setdefault(where, []).append(f"'{excerpt(text)}' goes to {excerpt(link)}")
            out.append(run.model_copy(update={"text": text, "link": link}))  # keeps bold, italic, a note mark
        return out

    def blocks(self, blocks: list[Block], where: str) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Heading):
                out.append(Heading(level=block.level, text=self.text(block.text, where)))
            elif isinstance(block, Paragraph):
                out.append(block.model_copy(update={"runs": self.runs(block.runs, where)}))
            elif isinstance(block, Quote):
                attribution = self.text(block.attribution, where) if block.attribution else None
                out.append(Quote(runs=self.runs(block.runs, where), attribution=attribution))
            elif isinstance(block, ListBlock):
                out.append(self.list(block, where))
            elif isinstance(block, Table):
                out.append(Table(header_rows=[[self.text(c, where) for c in row] for row in block.header_rows],
                                 rows=[[self.text(c, where) for c in row] for row in block.rows],
                                 caption=self.text(block.caption, where) if block.caption else None))
            elif isinstance(block, Image):
                out.extend(self.image(block, where))
            elif isinstance(block, ChartRef):
                # Charts come from the partnership's workbooks, never from a return: its caption stays as words.
                if block.caption:
                    out.append(Paragraph(runs=[Run(text=self.text(block.caption, where))]))
            elif isinstance(block, Notes):
                out.append(Notes(items=[NoteItem(runs=self.runs(item.runs, where)) for item in block.items]))
            else:  # a block kind added to the schema later: kept as it is rather than lost
                out.append(block)
        return out

    def list(self, block: ListBlock, where: str) -> ListBlock:
        return ListBlock(ordered=block.ordered, items=[
            ListItem(runs=self.runs(item.runs, where), children=self.list(item.children, where) if item.children else None)
            for item in block.items])

    def image(self, block: Image, where: str) -> list[Block]:
        alt = self.text(block.alt, where) or "Image without a description"
        caption = self.text(block.caption, where) if block.caption else None
        made = self.pictures.printable(Path(block.path))
        if isinstance(made, Path):
            if made in self.pictures.converted:
                self.notes.append(reader_warning("metafile_converted", where, f"the chart '{excerpt(alt)}' was a Windows metafile (EMF/WMF) and was "
                                       "converted to a picture for the report", "check it in the built report; if it looks "
                                       "wrong, " + METAFILE_FIX))
            return [Image(path=str(made), alt=alt, caption=caption, width_mm=_width(block.width_mm))]
        reason, fix = made
        self.notes.append(reader_warning("picture_left_out", where, f"the picture '{excerpt(alt)}' is left out of the report: {reason}", fix))
        return [Paragraph(runs=[Run(text=caption)])] if caption else []

    def report(self) -> None:
        for where, found in self.emoji.items():
            self.notes.append(reader_warning("emoji_kept", where, emoji_message(found), EMOJI_FIX_FOR_AGENCY))
        for where, chars in self.dropped.items():
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in chars}))
            self.notes.append(reader_warning("private_symbols", where,
                                   f"{len(chars)} character(s) from a private symbol font ({codes}) cannot be printed and were left out",
                                   "ask the agency to type the symbol as an ordinary character, or use a normal bullet list"))
        for where, problems in self.links.items():
            listed = "a link " + "; a link ".join(problems[:SHOWN_LINKS])
            listed += f"; and {len(problems) - SHOWN_LINKS} more links like these" if len(problems) > SHOWN_LINKS else ""
            self.notes.append(reader_warning("link_not_published", where, listed,
                                   "check the link with the agency: only web (http, https) and e-mail links are published"))
        for where, links in self.mismatched.items():
            self.notes.append(reader_warning("link_mismatch", where, "a link names one address but goes to another: " + "; ".join(links[:SHOWN_LINKS])
                                   + (f"; and {len(links) - SHOWN_LINKS} more" if len(links) > SHOWN_LINKS else ""),
                                   "ask the agency which address is meant, and have the words and the link agree"))


def _width(width_mm: float | None) -> float | None:
    return width_mm if width_mm is not None and math.isfinite(width_mm) and 0 < width_mm < 1000 else None


def make_printable(content: ReturnContent, pictures: PictureMaker | None = None) -> ReturnContent:
    """The return's content made printable, in place (and returned); what changed is added to its notes."""
    state = _Return(content.notes, pictures or PictureMaker())
    for key, blocks in list(content.sections.items()):
        content.sections[key] = state.blocks(blocks, key)
    content.case_studies = [
        CaseStudy(title=state.text(study.title, f"case study {index}"), blocks=state.blocks(study.blocks, f"case study {index}"))
        for index, study in enumerate(content.case_studies, start=1)
    ]
    content.indicators = [_indicator(i, state) for i in content.indicators]
    if content.contact:
        content.contact = Contact(**{k: state.text(v, "contact", None) if isinstance(v, str) else v
                                     for k, v in content.contact.model_dump().items()})
    if content.agency_name:
        content.agency_name = printable_text(content.agency_name)
    content.title_text = printable_text(content.title_text)
    state.report()
    return content


_TYPESET_INDICATOR_FIELDS = ("label", "note")  # words; a figure, unit or period stays as typed


def _indicator(indicator: Indicator, state: _Return) -> Indicator:
    where = f"indicator '{excerpt(printable_text(indicator.label))}'"
    texts = {k: state.text(v, where, "" if k in _TYPESET_INDICATOR_FIELDS else None) if isinstance(v, str) else v
             for k, v in indicator.model_dump().items()}
    value = texts["value"]
    if value is not None and not (math.isfinite(value) and abs(value) <= MAX_FIGURE):
        state.notes.append(reader_warning("value_too_large", where, "the value is too large to be a figure, so it prints as typed",
                                "ask the agency to check the figure"))
        texts.update(value=None, raw=texts["raw"] or repr(value), before=None, after=None)
    return Indicator(**texts)
