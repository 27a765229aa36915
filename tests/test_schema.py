import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from assembler.cli import main
from assembler.schema import (
    Briefing,
    BriefingSection,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    Run,
    SourceFile,
    Submission,
    Table,
    json_schema,
    plain_text,
)


def _section(n: int) -> BriefingSection:
    return BriefingSection(heading=f"Heading {n}", blocks=[Paragraph(runs=[Run(text=f"text {n}")])])


def test_json_schema_has_the_three_return_sections():
    schema = json_schema()
    submission = schema["$defs"]["Submission"]
    assert {"about", "activity", "priorities"} <= set(submission["properties"])
    assert {"agency_id", "agency_name", "source", "indicators", "problems", "case_studies"} <= set(submission["properties"])
    # Every block type is in the union the sections hold.
    kinds = {d["properties"]["kind"]["const"] for name, d in schema["$defs"].items() if "kind" in d.get("properties", {})}
    assert kinds == {"heading", "paragraph", "list", "table", "image", "quote", "chart", "notes"}


def test_schema_command_prints_valid_json_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Report"
    assert "Submission" in printed["$defs"]


def test_schema_validates_against_metaschema():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_image_requires_alt_text():
    with pytest.raises(ValidationError, match="alt"):
        Image(path="x.png", alt="")


def test_briefing_needs_exactly_seven_sections():
    Briefing(slug="b", title="T", date="2024-02-01", audience="All", sections=[_section(n) for n in range(7)])
    for count in (6, 8):
        with pytest.raises(ValidationError, match=f"exactly 7 numbered sections, this one has {count}"):
            Briefing(slug="b", title="T", date="2024-02-01", audience="All", sections=[_section(n) for n in range(count)])


def test_submission_round_trips_through_json():
    submission = Submission(
        agency_id="mfrs",
        agency_name="Merseyside Fire & Rescue Service",
        period="2023-24",
        source=SourceFile(path="returns/mfrs.docx", sha256="0" * 64, format="docx"),
        about=[Paragraph(runs=[Run(text="We run "), Run(text="Fire Cadets", bold=True)])],
        activity=[ListBlock(items=[ListItem(runs=[Run(text="Beacon")], children=ListBlock(items=[ListItem(runs=[Run(text="six weeks")])]))])],
        priorities=[Table(header_rows=[["Priority"]], rows=[["Restorative practice"]])],
    )
    again = Submission.model_validate_json(submission.model_dump_json())
    assert again == submission
    assert plain_text(again.activity) == "Beacon\nsix weeks"
    assert plain_text(again.about) == "We run Fire Cadets"


def test_unknown_keys_are_rejected():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Run(text="x", colour="red")


def test_python_dash_m_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "assembler", "--help"], capture_output=True, text=True, check=True)
    for command in ("schema", "config"):
        assert command in result.stdout
