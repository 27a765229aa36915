"""The nothing-lost check: passes when every word arrives in order, names agency and section when not."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assembler.checks.nothing_lost import OutputText, expectations, find_losses, words
from assembler.schema import Indicator, Paragraph, Run, SourceFile, Submission

ABOUT = "About our agency and what we do"


def _submission(name: str, about: str, activity: str, indicators=()) -> Submission:
    return Submission(
        agency_id=name.lower().replace(" ", "-"), agency_name=name, period="2023-24",
        source=SourceFile(path=f"{name}.docx", sha256="0" * 64, format="docx", received=datetime(2024, 4, 1)),
        about=[Paragraph(runs=[Run(text=about)])],
        activity=[Paragraph(runs=[Run(text=activity)])],
        indicators=list(indicators),
    )


SUBMISSIONS = [
    _submission("Merseyside Police", "We protect children across Wirral – every day.", "Cadets trained 40 officers in Wallasey £34,000."),
    _submission("Koala North West", "Łucja Wiśniewska leads our play team 🙂.", "Siân ran parenting groups.", [Indicator(label="Families supported", value=1257)]),
]


def _rendered(drop: str | None = None) -> str:
    """Text laid out as a writer would: chapter text first, page furniture in between."""
    parts = ["Contents Koala North West Merseyside Police", "Multi-agency working: about our agency and what we do."]
    for s in sorted(SUBMISSIONS, key=lambda s: s.agency_name):
        parts += [s.agency_name, ABOUT, s.about[0].runs[0].text, "Page 7 of 40", "2023 activity", s.activity[0].runs[0].text]
        parts += [f"{i.label} {i.value:,.0f}" for i in s.indicators]
    text = "\n".join(parts)
    return text.replace(drop, "") if drop else text


def test_complete_output_has_no_losses():
    assert find_losses("report.pdf", _rendered(), expectations(SUBMISSIONS, ABOUT)) == []


def test_dropped_paragraph_names_agency_and_section():
    losses = find_losses("report.pdf", _rendered(drop="Siân ran parenting groups."), expectations(SUBMISSIONS, ABOUT))
    assert [(l.agency, l.section) for l in losses] == [("Koala North West", "activity")]
    assert "parenting" in losses[0].missing_words
    assert "Koala North West, activity" in str(losses[0])


def test_words_found_only_in_another_agency_still_count_as_lost():
    # "Wallasey" exists in the Police section; Koala's copy must not borrow it.
    koala = _submission("Koala North West", "Łucja Wiśniewska leads our play team 🙂.", "Siân ran parenting groups in Wallasey.")
    expected = expectations([koala, SUBMISSIONS[0]], ABOUT)
    losses = find_losses("report.docx", _rendered(), expected)
    assert [(l.agency, l.section, l.missing_words) for l in losses] == [("Koala North West", "activity", ["in", "wallasey"])]


def test_lost_characters_are_reported():
    text = _rendered().replace("🙂", "").replace("–", "-")
    losses = find_losses("report.pdf", text, expectations(SUBMISSIONS, ABOUT))
    assert {(l.agency, tuple(l.missing_characters)) for l in losses} == {("Koala North West", ("🙂",)), ("Merseyside Police", ("–",))}


def test_lost_agency_heading_is_reported():
    text = _rendered().replace("Merseyside Police\n" + ABOUT, "Merseyside Police")
    losses = find_losses("report.pdf", text, expectations(SUBMISSIONS, ABOUT))
    assert losses and losses[0].agency == "Merseyside Police" and "about" in losses[0].missing_words


def test_words_are_normalised():
    assert words("£34,000 – Łucja’s") == ["34", "000", "łucja", "s"]


def test_in_order_matching_agrees_with_a_plain_scan():
    """The matcher's shortcuts (next word first, then bisection) find what a word-by-word scan finds."""
    import random

    from assembler.checks.nothing_lost import _unmatched

    def plain_scan(wanted, stream, start, end):
        missing, cursor = [], start - 1
        for word in wanted:
            found = next((i for i in range(cursor + 1, end) if stream[i] == word), None)
            if found is None:
                missing.append(word)
            else:
                cursor = found
        return missing

    chance = random.Random(7)
    for _ in range(300):
        stream = [chance.choice("abcde") for _ in range(chance.randint(0, 40))]
        wanted = [chance.choice("abcdef") for _ in range(chance.randint(0, 15))]
        start = chance.randint(0, len(stream))
        end = chance.randint(start, len(stream))
        positions: dict[str, list[int]] = {}
        for index, word in enumerate(stream):
            positions.setdefault(word, []).append(index)
        assert _unmatched(wanted, stream, positions, start, end) == plain_scan(wanted, stream, start, end)


def test_a_sections_notes_count_their_marks_and_words_must_arrive():
    from assembler.schema import NoteItem, Notes

    noted = _submission("Merseyside Police", "x", "y").model_copy(update={"about": [
        Paragraph(runs=[Run(text="Officers trained"), Run(text="[1]", note=1), Run(text=" in Wallasey.")]),
        Notes(items=[NoteItem(runs=[Run(text="Figures from the training register of March.")])]),
    ]})
    expected = expectations([noted], ABOUT)
    printed = "Merseyside Police\n" + ABOUT + "\nOfficers trained[1] in Wallasey.\nNotes\n1. Figures from the training register of March.\n2023 activity\ny"
    assert find_losses("report.docx", printed, expected) == []
    losses = find_losses("report.docx", printed.replace("Figures from the training register of March.", ""), expected)
    assert [(l.section, l.missing_words) for l in losses] == [("about", ["figures", "from", "the", "training", "register", "of", "march"])]


# Pieces that would join or change if normalising reached across a line break: combining marks opening a
# piece, ligatures, soft hyphens and joiners, Hebrew beside Latin, digits beside letters, case that folds.
_TRICKY = st.sampled_from(["\u0301", "e", "ﬁ", "\u00ad", "\u200d", "שלום", "A", "1", "ß", "İ", " ", "\n", "-", "’", "😀", "\ufe0f"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TRICKY | st.text(max_size=6), max_size=8).map("".join), min_size=1, max_size=5))
def test_an_output_read_page_by_page_is_the_output_read_whole(pages):
    """The web step reads the site's pages where they are written and joins them later (OutputText.joined):
    that must be the text read whole, pages joined by line breaks, as find_losses read it before."""
    whole = OutputText.of("\n".join(pages))
    assert OutputText.joined([OutputText.of(page) for page in pages]) == whole


def test_losses_found_in_text_read_page_by_page_are_those_found_in_the_whole():
    agencies = [_submission("Alpha", "We ran fourteen sessions ﬁrst.", "Cadets 40."),
                _submission("Beta", "שלום and a ß word.", "Groups ran.")]
    pages = [f"Alpha\n{ABOUT}\nWe ran fourteen sessions first.\nCadets 40.",
             f"Beta\n{ABOUT}\nשלום and a word.\nGroups ran."]  # Beta's 'ß' is lost
    joined = OutputText.joined([OutputText.of(page) for page in pages])
    losses = find_losses("web", joined, expectations(agencies, ABOUT))
    assert losses == find_losses("web", "\n".join(pages), expectations(agencies, ABOUT))
    assert [(loss.agency, loss.missing_words) for loss in losses] == [("Beta", ["ss"])]  # casefolded
