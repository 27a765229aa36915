from pathlib import Path

import pytest

from assembler.cli import main
from assembler.config import load_config
from assembler.errors import ConfigErrors
from tests.conftest import SAMPLE_INPUTS


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _sample_text() -> str:
    return (SAMPLE_INPUTS / "report.yaml").read_text(encoding="utf-8")


def test_sample_config_is_valid():
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    assert config.partnership.short_name == "WSCP"
    assert config.period == "2023-24" and config.activity_year == 2023 and config.plan_year == 2024
    assert len(config.agencies) >= 25
    assert config.chapters[0] == "introduction" and "glossary" in config.chapters
    assert config.brand.colours.primary.startswith("#")


def test_config_command_summarises(capsys):
    assert main(["config", "--inputs", str(SAMPLE_INPUTS)]) == 0
    printed = capsys.readouterr().out
    assert "Wirral Safeguarding Children Partnership" in printed
    assert "Merseyside Fire & Rescue Service" in printed
    assert "report.yaml is valid" in printed


def test_bad_yaml_names_file_and_line(tmp_path, capsys):
    text = _sample_text().replace("period: 2023-24", "period: [2023-24", 1)
    _write(tmp_path, text)
    assert main(["config", "--inputs", str(tmp_path)]) == 1
    printed = capsys.readouterr().err
    assert "report.yaml" in printed and "not valid YAML" in printed
    assert "Traceback" not in printed


def test_missing_key_is_reported_with_fix(tmp_path):
    text = "\n".join(line for line in _sample_text().splitlines() if not line.startswith("plan_period:"))
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    (error,) = caught.value.errors
    assert error.field == "plan_period"
    assert "missing" in error.message and "add 'plan_period:'" in error.fix


def test_wrong_type_points_at_the_line(tmp_path):
    text = _sample_text().replace("body_size: 11", "body_size: large")
    line = next(n for n, l in enumerate(text.splitlines(), start=1) if "body_size: large" in l)
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    (error,) = caught.value.errors
    assert error.field == "brand.fonts.body_size"
    assert error.line == line
    assert "a number" in error.fix


def test_several_problems_are_reported_together(tmp_path):
    text = _sample_text().replace('primary: "#1B3A6B"', 'primary: "navy"').replace("period: 2023-24", "period: 2023")
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    fields = {e.field for e in caught.value.errors}
    assert fields == {"brand.colours.primary", "period"}
    assert any("#1B3A6B" in e.message for e in caught.value.errors)


def test_duplicate_agency_ids_are_refused(tmp_path):
    text = _sample_text().replace("{id: cafcass,", "{id: mfrs,")
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    [error] = caught.value.errors
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if "{id: mfrs," in line)
    again = next(n for n, line in enumerate(lines, start=1) if "{id: mfrs," in line and n != first)
    assert error.line == max(first, again)
    assert f"the agency id 'mfrs' is used again (first on line {min(first, again)})" in error.message
    assert error.field == "agencies[mfrs].id"


def test_missing_file_and_non_mapping(tmp_path, capsys):
    assert main(["config", "--inputs", str(tmp_path / "nowhere")]) == 2
    tmp_path.mkdir(exist_ok=True)
    assert main(["config", "--inputs", str(tmp_path)]) == 1  # the folder is there, report.yaml is not
    _write(tmp_path, "- just a list\n")
    assert main(["config", "--inputs", str(tmp_path)]) == 1
    printed = capsys.readouterr().err
    assert "does not exist" in printed and "key: value" in printed


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["config", "--no-such-option"])
    assert caught.value.code == 2
    assert main([]) == 2


def test_an_unquoted_colour_is_explained_as_a_comment(tmp_path):
    text = _sample_text().replace('primary: "#1B3A6B"', "primary: #1B3A6B")
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    [error] = caught.value.errors
    assert "reads as a comment" in error.message and 'primary: "#1B3A6B"' in error.fix
    assert "Input should be" not in error.message


def test_an_agency_s_setting_is_named_by_the_agency_s_id_with_a_plain_message(tmp_path):
    text = _sample_text().replace("{id: yjs, name:", "{id: yjs, nmae:").replace(
        "email: yjs@wirral.example, format: docx", "email: yjs@wirral.example, format: doc")
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    by_field = {e.field: e for e in caught.value.errors}
    assert set(by_field) == {"agencies[yjs].name", "agencies[yjs].nmae", "agencies[yjs].format"}
    assert "did you mean 'name'" in by_field["agencies[yjs].nmae"].fix
    assert by_field["agencies[yjs].format"].message == "this should be 'docx' or 'xlsx', not 'doc'"


def test_config_lists_every_agency_whole_at_120_columns(capsys, monkeypatch):
    """Long names and e-mail addresses are printed whole (wrapped if need be), never cut with an ellipsis."""
    from assembler.console import out

    monkeypatch.setattr(out, "width", 120)
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    assert main(["config", "--inputs", str(SAMPLE_INPUTS)]) == 0
    printed = capsys.readouterr().out
    assert "…" not in printed
    joined = printed.replace("\n", "")  # a line too long for 120 columns wraps in the terminal; nothing of it is lost
    for agency in config.agencies:
        assert f"{agency.id}: {agency.name} | {agency.sector} | {agency.format} |" in joined
        assert agency.email in printed or agency.email in joined


def test_a_setting_given_twice_is_an_error_naming_both_lines(tmp_path):
    """YAML keeps the later silently: a second 'period: 2024-25' at the end made every return 'the wrong year'."""
    text = _sample_text() + "\nperiod: 2024-25\n"
    first = next(n for n, l in enumerate(text.splitlines(), start=1) if l.startswith("period:"))
    again = len(text.splitlines())
    with pytest.raises(ConfigErrors) as caught:
        load_config(_write(tmp_path, text))
    (error,) = caught.value.errors
    assert error.message == f"'period' is given twice in the same place (first on line {first}); only one can count"
    assert error.line == again and "delete the other" in error.fix


def test_inputs_given_the_returns_folder_is_told_the_folder_above(tmp_path):
    (tmp_path / "report.yaml").write_text(_sample_text(), encoding="utf-8")
    (tmp_path / "returns").mkdir()
    with pytest.raises(ConfigErrors) as caught:
        load_config(tmp_path / "returns" / "report.yaml")
    (error,) = caught.value.errors
    assert error.fix == f"the folder above holds report.yaml: give --inputs {tmp_path}"
