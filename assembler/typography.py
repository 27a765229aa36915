"""Typesetting shared by the agencies' text and the partnership's own (issue 21, findings 5 and 8).

Agency text is typeset by the firewall (`readers/printable.py`), the partnership's chapters, briefings and
report.yaml text by the content layer (`content/`): both with the functions here, so the report reads as one
voice whoever typed it. Curly quotes and apostrophes, en dashes for spaced hyphens, an em dash for two hyphens
between words, an ellipsis for three dots, a diamond or bullet standing between words as a dash. It changes no
word, so it is reported nowhere.

Emoji are kept, but Word's fonts may print them as empty boxes: `emoji_in` finds them and
`emoji_message` words the warning the officer is given, for an agency's text and the partnership's alike.

Standard library only: readers, content and the document layer all import it.
"""

from __future__ import annotations

import re
import unicodedata

# Only text with one of these has anything to typeset (most runs have none).
_TYPESET_NEEDED = re.compile("['\"]|\\.\\.\\.|--|\\s-\\s|[\u2666\u25c6\u2756\u2b25\u25ca\u2022\u25aa\u25cf\u25a0]")
# A web or e-mail address, and a figure expression not yet filled in, are left exactly as typed.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|\{\{.*?\}\}", re.I)
# A diamond or bullet standing between a word and a word in lower case is a dash ("the Council ♦ and one").
_SYMBOL_AS_DASH = re.compile("(?<=[\\w,;:)\u2019\u201d]) [\u2666\u25c6\u2756\u2b25\u25ca\u2022\u25aa\u25cf\u25a0] (?=[a-z])")
_SPACED_HYPHEN = re.compile(r"(?<=\S) -{1,2} (?=\S)")
# Two hyphens between letters are a typed em dash, as Word's AutoFormat makes them ("the plan--agreed in May").
# Between figures ("2023--24") or anywhere else they are left as typed.
_UNSPACED_DOUBLE_HYPHEN = re.compile(r"(?<=[^\W\d_])--(?=[^\W\d_])")
_OPENS_AFTER = set(" \t\n([{\u2013\u2014/\u2018\u201c")  # a quote after these (or at the start) opens


def typeset_text(text: str, before: str = "") -> str:
    """Straight quotes and apostrophes curled, spaced hyphens as en dashes, two hyphens between words as an em
    dash, three dots as an ellipsis, a symbol standing for a dash as a dash. `before` is the character before
    the text (the end of the previous run), so a quote that opens a bold run is told from one that closes it.
    Web and e-mail addresses (and a `{{ figure }}`) are left as typed."""
    if not _TYPESET_NEEDED.search(text):
        return text
    out: list[str] = []
    position = 0
    for address in _ADDRESS.finditer(text):
        out.append(_typeset_words(text[position:address.start()], out[-1][-1:] if out and out[-1] else before))
        out.append(address.group(0))
        position = address.end()
    out.append(_typeset_words(text[position:], out[-1][-1:] if out and out[-1] else before))
    return "".join(out)


def _typeset_words(text: str, before: str) -> str:
    if not text:
        return text
    text = text.replace("...", "\u2026").replace("---", "\u2014")
    text = _SPACED_HYPHEN.sub(" \u2013 ", text)
    text = _UNSPACED_DOUBLE_HYPHEN.sub("\u2014", text)
    text = _SYMBOL_AS_DASH.sub(" \u2013 ", text)
    if "'" not in text and '"' not in text:
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        previous = out[-1] if out else before
        opens = not previous or previous in _OPENS_AFTER
        if char == '"':
            out.append("\u201c" if opens else "\u201d")
        elif char == "'":
            following = text[index + 1:index + 2]
            # An opening single quote, unless it stands for missing figures ('90s) or starts nothing.
            out.append("\u2018" if opens and following and not following.isdigit() and not following.isspace()
                       else "\u2019")
        else:
            out.append(char)
    return "".join(out)


# --- emoji ------------------------------------------------------------------------------

def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or (0x2600 <= code <= 0x27BF and unicodedata.category(char) == "So"
                                          and code not in _NOT_EMOJI)


# Dingbats and symbols every body font draws as text (bullets, arrows, ticks, card suits).
_NOT_EMOJI = {0x2660, 0x2663, 0x2665, 0x2666, 0x2714, 0x2718, 0x2756, 0x27A2, 0x2794, 0x2751}


# Where emoji may be: found by a regular expression in C, as a section can be a 500 kB paragraph.
_MAYBE_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF]")


def emoji_in(text: str) -> list[str]:
    """The emoji the text holds (Word prints them as an empty box where its fonts have none)."""
    if text.isascii():
        return []
    return [char for char in _MAYBE_EMOJI.findall(text) if _is_emoji(char)]


def emoji_message(found: list[str]) -> str:
    """The warning's words for text holding these emoji (each named once, in the order found)."""
    shown = " ".join(dict.fromkeys(found))
    return (f"the text has emoji ({shown}): they print in the PDF, but Word may print them as empty boxes on a "
            "computer without an emoji font")


EMOJI_FIX_FOR_AGENCY = "nothing to do for the PDF; if the Word copy is printed, ask the agency for words instead"
EMOJI_FIX_FOR_PARTNERSHIP = "nothing to do for the PDF; if the Word copy is printed, write words instead"


def emoji_lines(text: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """(line number, emoji on it) for each line of `text` holding emoji; `first_line` is the number of its first line."""
    if text.isascii():
        return []
    return [(number, found) for number, line in enumerate(text.splitlines(), start=first_line) if (found := emoji_in(line))]
