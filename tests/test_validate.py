"""Each validation rule, at the severity report.yaml gives it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from assembler.readers.base import ReturnContent, reader_warning
from assembler.schema import Indicator, Paragraph, Run, SourceFile, Submission
from assembler.validate import validate_intake

REPO = Path(__file__).resolve().parent.parent


def para(text: str) -> list:
    return [Paragraph(runs=[Run(text=text)])]


def submission(agency_id="mfrs", agency_name="Merseyside Fire & Rescue Service", period="2023-24", received=None,
               name="return.docx", about="We run youth programmes.", activity="Beacon ran six times.",
               priorities="Trauma-informed practice.", indicators=()) -> Submission:
    return Submission(
        agency_id=agency_id, agency_name=agency_name, period=period,
        source=SourceFile(path=f"returns/{name}", sha256="0" * 64, format="docx", received=received),
        about=para(about) if about else [], activity=para(activity) if activity else [],
        priorities=para(priorities) if priorities else [], indicators=list(indicators),
    )


def check(config, *subs, notes=()):
    pairs = []
    for s in subs:
        content = ReturnContent()
        content.notes.extend(notes)
        pairs.append((s, content))
    return validate_intake(pairs, config)


def only_problem(intake):
    [s] = intake.accepted
    [p] = s.problems
    return p


def test_a_clean_return_has_no_problems(config):
    intake = check(config, submission())
    assert intake.accepted[0].problems == []
    assert len(intake.missing) == len(config.agencies) - 1


def test_empty_section_is_an_error_naming_the_section(config):
    p = only_problem(check(config, submission(priorities="")))
    assert (p.severity, p.field) == ("error", "priorities")
    assert "'Planned safeguarding priorities for 2024' is empty" in p.message
    assert p.agency == "Merseyside Fire & Rescue Service" and p.file == "returns/return.docx"


@pytest.mark.parametrize("text, found", [
    ("Click or tap here to enter text.", "Click or tap here to enter text"),
    ("The [agency name] team.", "[agency name]"),
    ("Compliance reached xx% by March.", "xx%"),
    ("Figures TBC.", "TBC"),
    ("CLİCK OR TAP HERE TO ENTER TEXT", "CLİCK OR TAP HERE TO ENTER TEXT"),  # ignore-case takes İ, ı and K for i, k
    ("clıcK or tap here to enter text", "clıcK or tap here to enter text"),
    ("Describe your agency, who it serves in the area and how it safeguards children. We are a charity.",
     "Describe your agency, who it serves in the area and how it safeguards children."),
])
def test_placeholder_text_is_an_error_quoting_it(config, text, found):
    p = only_problem(check(config, submission(activity=text)))
    assert (p.severity, p.field) == ("error", "activity")
    assert f"placeholder '{found}'" in p.message


def test_placeholder_indicator_value(config):
    p = only_problem(check(config, submission(indicators=[Indicator(label="Referrals", raw="TBC")])))
    assert p.field == "indicator 'Referrals'" and "'TBC'" in p.message and p.severity == "error"


def test_over_word_limit_is_a_warning_with_the_counts(config):
    p = only_problem(check(config, submission(about="word " * 305)))
    assert (p.severity, p.field) == ("warning", "about")
    assert "305 words, more than its limit of 300" in p.message and "cut it by 5 words" in p.fix


@pytest.mark.parametrize("value, expected", [(120.0, 1), (-1.0, 1), (100.0, 0), (0.0, 0)])
def test_percentage_outside_0_to_100(config, value, expected):
    intake = check(config, submission(indicators=[Indicator(label="Parents more confident", value=value, unit="%", raw=f"{value}%")]))
    problems = intake.accepted[0].problems
    assert len(problems) == expected
    if expected:
        assert problems[0].severity == "error" and f"{value:g}% is outside 0-100" in problems[0].message


@pytest.mark.parametrize("raw, value, says", [
    ("1.204", 1.204, "the count 1.204 has a decimal point: is it 1,204, with a full stop typed where a comma separates"),
    ("12.5", 12.5, "the count 12.5 is not a whole number"),
    ("1,204", 1204.0, None),
])
def test_a_count_with_a_decimal_point_is_questioned_and_printed_with_every_digit(config, raw, value, says):
    from assembler.document.report import format_indicator

    indicator = Indicator(label="Referrals", value=value, unit="count", raw=raw)
    problems = check(config, submission(indicators=[indicator])).accepted[0].problems
    assert [p.message for p in problems if p.code == "count_with_decimals"] == ([] if says is None else [problems[0].message])
    if says:
        assert problems[0].message.startswith(says)
    assert format_indicator(indicator) == raw  # as typed: 1.204 printed 1.2


def test_unknown_agency(config):
    intake = check(config, submission(agency_id="sefton-council", agency_name="Sefton Council"))
    assert intake.accepted == [] and [s.agency_name for s in intake.unknown] == ["Sefton Council"]
    [p] = intake.unknown[0].problems
    assert p.severity == "error" and "not an agency in report.yaml" in p.message


def test_duplicate_returns_newest_wins_and_both_are_listed(config):
    old = submission(name="draft.docx", received=datetime(2024, 4, 12, 10, 3, tzinfo=timezone.utc), activity="xx%")
    new = submission(name="final.docx", received=datetime(2024, 4, 26, 14, 21, tzinfo=timezone.utc))
    intake = check(config, new, old)
    assert [s.source.path for s in intake.accepted] == ["returns/final.docx"]
    assert [s.source.path for s in intake.superseded] == ["returns/draft.docx"]
    [p] = intake.accepted[0].problems
    assert p.severity == "warning" and "'draft.docx'" in p.message and "'final.docx'" in p.message
    assert not intake.accepted[0].has_errors  # the draft's placeholder does not block the build
    assert list(intake.problems()) == [p]


def test_without_dates_the_file_name_decides(config):
    intake = check(config, submission(name="b.docx", about="Second."), submission(name="a.docx", about="First."))
    assert intake.accepted[0].source.path == "returns/b.docx" and intake.superseded[0].source.path == "returns/a.docx"


def test_wrong_period(config):
    p = only_problem(check(config, submission(period="2022-23")))
    assert (p.severity, p.field) == ("error", "period") and "2022-23" in p.message and "2023-24 return" in p.fix


def test_late_return_but_not_on_the_due_date(config):
    on_time = check(config, submission(received=datetime(2024, 4, 30, 23, 58, tzinfo=timezone.utc)))
    assert on_time.accepted[0].problems == []
    p = only_problem(check(config, submission(received=datetime(2024, 5, 3, 9, 0, tzinfo=timezone.utc))))
    assert (p.severity, p.field) == ("warning", "received") and "3 days after the due date 30 April 2024" in p.message


def test_tracked_changes_note_takes_its_rule_severity(config):
    note = reader_warning("tracked_changes", "document", "the document still has tracked changes", "accept them")
    assert only_problem(check(config, submission(), notes=[note])).severity == "warning"
    config.rules.tracked_changes = "error"
    assert only_problem(check(config, submission(), notes=[note])).severity == "error"


def test_a_rule_switched_off_reports_nothing(config):
    config.rules.empty_section = "off"
    config.rules.placeholder_text = "warning"
    intake = check(config, submission(priorities="", activity="TBC"))
    [p] = intake.accepted[0].problems
    assert (p.severity, p.field) == ("warning", "activity")


def test_words_are_counted_as_people_count_them():
    from assembler.validate import count_words

    assert count_words("We supported 1,257 children's families | co-ordinated - 91.2% of £34,000") == 9


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_every_placeholder_holds_a_marker_so_the_quick_look_cannot_miss_it(data):
    from assembler.template_fields import PLACEHOLDER_MARKERS, PLACEHOLDER_PATTERNS
    from assembler.template_fields import find_placeholder

    pattern = data.draw(st.sampled_from(PLACEHOLDER_PATTERNS))
    placeholder = data.draw(st.from_regex(pattern, fullmatch=True))
    assert any(marker in placeholder.casefold() for marker in PLACEHOLDER_MARKERS)
    assert find_placeholder(f"We trained staff. {placeholder} More text.") is not None


def test_a_sections_notes_do_not_count_towards_its_word_limit_but_their_placeholders_are_found(config):
    from assembler.schema import NoteItem, Notes

    notes = Notes(items=[NoteItem(runs=[Run(text="Source: " + "annual survey " * 60)]),
                         NoteItem(runs=[Run(text="Figures from the 2023 audit.")])])
    within = submission()
    within.about = para("word " * 290) + [notes]  # 290 words and about 125 in its notes: within the limit of 300
    assert check(config, within).accepted[0].problems == []

    over = submission()
    over.about = para("word " * 305) + [notes]
    p = only_problem(check(config, over))
    assert "305 words, more than its limit of 300" in p.message  # the notes' words are not in the count

    placeholder = submission()
    placeholder.about = para("word " * 10) + [Notes(items=[NoteItem(runs=[Run(text="Source: xx% of staff, TBC")])])]
    problems = check(config, placeholder).accepted[0].problems
    assert problems and all(p.field == "about" and p.severity == "error" for p in problems)
