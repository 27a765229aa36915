"""Briefings made up for the one-pager tests: real text lengths, written as the officer would."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

HEADINGS = ["Background", "Why it matters", "Information", "What you should do", "Questions to consider", "Learning", "Further information"]
VOCABULARY = "children families practitioners safeguarding review learning agencies record share concern".split()


def filler(words: int, seed: int) -> str:
    """Plain sentences of exactly `words` words, different in each section."""
    return " ".join(VOCABULARY[(i * 7 + seed) % len(VOCABULARY)] for i in range(words)) + "."


def write_briefing_yaml(folder: Path, slug: str, sections: list[tuple[str, str]], title: str = "Safe sleep for babies") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    data = {
        "title": title,
        "date": "2024-05-01",
        "audience": "All practitioners who visit families with babies",
        "sections": [{"heading": h, "text": t} for h, t in sections],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


SAFE_SLEEP = [
    ("Background", "Child Ollie died after co-sleeping with a parent who had been drinking. The review found that safe sleep advice had been given, but not in a way the family could use."),
    ("Why it matters", "Most sudden infant deaths happen when a baby sleeps with an adult on a sofa or in a bed, often after alcohol or drugs."),
    ("Information", "- Babies sleep on their back, in their own cot.\n- Never sleep with a baby on a sofa or armchair.\n- Risk rises when a parent smokes, drinks or takes drugs.\n"),
    ("What you should do", "Talk about safe sleep at **every** visit. Ask where the baby slept last night and look at the sleeping space."),
    ("Questions to consider", "1. Do I know where this baby sleeps?\n2. Have plans changed, such as a holiday or a house move?\n"),
    ("Learning", "Advice works when it is repeated, practical and given to both parents."),
    ("Further information", "See the [Lullaby Trust](https://www.lullabytrust.org.uk) guidance on safe sleep."),
]


def words_of(text: str) -> list[str]:
    """Words as a reader sees them: Markdown marks and punctuation stripped."""
    text = re.sub(r"\]\([^)]*\)", "", text)
    return [w for w in re.findall(r"[A-Za-z0-9'’]+", text) if w]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
