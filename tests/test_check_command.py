"""`assembler check`: the printed report, exit codes and the JSON export."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assembler.cli import main
from test_readers_builders import ABOUT, ACTIVITY, PRIORITIES, free_form_docx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    # The partnership's own files too: check also reports what in them would stop the build.
    shutil.copytree(REPO / "inputs", folder, ignore=shutil.ignore_patterns("returns"))
    (folder / "returns").mkdir()
    free_form_docx(folder / "returns" / "MFRS WSCP return 2023-24.docx", image_alt="Cadets on parade")
    config = folder / "report.yaml"  # a partnership that may publish from one return
    config.write_text(config.read_text(encoding="utf-8").replace("\nrules:\n", "\nrules:\n  min_returns: 1\n", 1), encoding="utf-8")
    return folder


def run(*args: str) -> int:
    return main(["check", "--verbose", *args])  # the tests read the warnings too


def test_clean_returns_exit_0_and_export_the_common_schema(inputs, tmp_path, capsys):
    export = tmp_path / "export" / "returns.json"
    code = run("--inputs", str(inputs), "--allow-missing", "--json", str(export), "--chase-out", str(tmp_path / "out"))
    assert code == 0
    data = json.loads(export.read_text())
    [mfrs] = data["submissions"]
    assert (mfrs["agency_id"], mfrs["agency_name"], mfrs["status"]) == ("mfrs", "Merseyside Fire & Rescue Service", "accepted")
    assert mfrs["sections"]["about"]["text"] == ABOUT
    assert mfrs["sections"]["activity"]["text"] == ACTIVITY
    assert mfrs["sections"]["priorities"]["text"].startswith(PRIORITIES)
    assert mfrs["sections"]["about"]["blocks"][0]["kind"] == "paragraph"
    image = next(b for b in mfrs["sections"]["priorities"]["blocks"] if b["kind"] == "image")
    assert image["alt"] == "Cadets on parade" and Path(image["path"]).is_file()
    assert mfrs["source"]["path"].endswith("MFRS WSCP return 2023-24.docx") and len(mfrs["source"]["sha256"]) == 64
    assert data["rejected"] == [] and len(data["missing"]) == 29 and data["partnership_problems"] == []
    printed = capsys.readouterr().out
    assert "No problems in the returns that will be used" in printed and "29 missing" in printed


def test_errors_rejected_and_unknown_files_exit_1_and_are_listed(inputs, tmp_path, capsys):
    returns = inputs / "returns"
    free_form_docx(returns / "NWAS return.docx", title="North West Ambulance Service", texts=(ABOUT, "Compliance reached xx% this year.", PRIORITIES))
    (returns / "ICB return.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    free_form_docx(returns / "Sefton return.docx", title="Sefton Council Children's Services")
    code = run("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"))
    assert code == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "North West Ambulance Service NHS Trust" in printed and "placeholder 'xx%'" in printed
    assert "ICB return.doc" in printed and "old-style" in printed
    assert "Sefton Council Children's Services" in printed
    assert "Traceback" not in printed


def test_json_to_standard_output(inputs, tmp_path, capsys):
    code = run("--inputs", str(inputs), "--allow-missing", "--json", "-", "--chase-out", str(tmp_path / "out"))
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["period"] == "2023-24" and data["submissions"][0]["agency_id"] == "mfrs"


def test_paths_given_on_the_command_line(inputs, tmp_path, capsys):
    other = tmp_path / "elsewhere"
    other.mkdir()
    free_form_docx(other / "Merseyside Police return.docx", title="Merseyside Police")
    code = run(str(other / "Merseyside Police return.docx"), "--inputs", str(inputs), "--json", str(tmp_path / "r.json"),
               "--chase-out", str(tmp_path / "out"))
    data = json.loads((tmp_path / "r.json").read_text())
    assert code == 0 and [s["agency_id"] for s in data["submissions"]] == ["merseyside-police"]


def test_a_missing_path_is_a_clear_error(inputs, tmp_path, capsys):
    assert run(str(tmp_path / "nope"), "--inputs", str(inputs), "--chase-out", str(tmp_path / "out")) == 1
    assert "does not exist" in capsys.readouterr().out


def test_the_export_is_deterministic(inputs, tmp_path):
    run("--inputs", str(inputs), "--json", str(tmp_path / "a" / "r.json"), "--chase-out", str(tmp_path / "out"))
    run("--inputs", str(inputs), "--json", str(tmp_path / "b" / "r.json"), "--chase-out", str(tmp_path / "out"))
    a = (tmp_path / "a" / "r.json").read_text().replace(str(tmp_path / "a"), "")
    b = (tmp_path / "b" / "r.json").read_text().replace(str(tmp_path / "b"), "")
    assert a == b


@pytest.mark.skipif(not (REPO / "inputs" / "returns").is_dir(), reason="sample returns not generated yet")
def test_sample_returns_report_every_planted_problem(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    code = run("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"))
    lines = capsys.readouterr().out.splitlines()
    assert code == 1  # a rejected file and an unknown agency need the officer
    text = "\n".join(lines)
    expected = [
        ("Barnardo's", "more than its limit of 300"),
        ("Merseyside Police", "tracked changes (by Pennington, Sarah (DCI))"),
        ("Early Help and Prevention", "Indicators!B6 holds the formula"),
        ("Forum Housing", "after the due date 30 April 2024"),
        ("Magenta Living", "after the due date 30 April 2024"),
        ("superseded (not used): Cafcass", "the return is for 2022-23"),
        ("superseded (not used): Koala North West", "120% is outside 0-100"),
        ("superseded (not used): Wirral University Teaching Hospital", "placeholder 'xx%'"),
        ("rejected: nspcc", "old-style (.doc)"),
        ("rejected: catch22", "'../../evil.docx'"),
        ("unknown agency: Wirral Chinese Community Network", "not in report.yaml"),
    ]
    for who, what in expected:
        assert any(who in line and what in line for line in lines), (who, what)
    assert "0 errors" in text and "Traceback" not in text
    for agency in ("Early Help and Prevention", "RASA Merseyside", "Wirral Community Health and Care NHS Foundation Trust"):
        assert not any(line.startswith(f"  warning: {agency} |") and "received" in line for line in lines)  # on the due date
    assert not (tmp_path.parent / "evil.docx").exists() and not (tmp_path / "evil.docx").exists()


# ------------------------------------------------------------ agency text in the officer's terminal

def run_in_terminal(*args: str) -> tuple[int, str]:
    """`assembler ARGS` under a pseudo-terminal, as the officer runs it: (exit code, what the screen got)."""
    import os
    import pty
    import subprocess
    import sys

    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "50", "PYTHONPATH": str(REPO)}
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "assembler", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, cwd=REPO, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end has closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours


def test_markup_and_newlines_from_agencies_print_literally_under_a_terminal(inputs, tmp_path):
    from assembler.config import load_config
    from assembler.templates_out.word import write_word_template
    from test_readers_builders import fill_word_template

    config = load_config(inputs / "report.yaml")
    returns = inputs / "returns"
    blank = write_word_template(tmp_path / "blank.docx", config.agency("nwas"), config)
    labels = ["Staff [/red] trained [bold]", "Referrals :warning: [link=file:///etc/passwd]here[/link]",
              "Line one\nerror: forged | fake.docx | about: all fine"]
    fill_word_template(blank, returns / "NWAS [red]final [b].docx",
                       {"about": ABOUT, "activity": ACTIVITY, "priorities": PRIORITIES},
                       indicators=[[label, "", "", "2023-24", ""] for label in labels])
    forged_name = "ICB\nerror: forged | ICB.docx | about: nothing to see\x1b[2J.docx"
    free_form_docx(returns / forged_name, title="NHS Cheshire and Merseyside ICB",
                   texts=(ABOUT, "Compliance reached xx% this year.", PRIORITIES))
    # An e-mail with no attachment, whose encoded subject decodes to a newline and markup.
    (returns / "no attachment.eml").write_bytes(
        b"From: Dave <youth.engagement@merseyfire.example>\r\nTo: wscp@wirral.example\r\n"
        b"Subject: =?utf-8?q?Our_return=0A__rejected:_forged_[/red]?=\r\nDate: Mon, 22 Apr 2024 10:15:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n")
    code, screen = run_in_terminal("check", "--verbose", "--inputs", str(inputs), "--chase-out", str(tmp_path / "out"))
    assert "MarkupError" not in screen and "internal fault" not in screen
    assert code == 1, screen
    assert "\x1b[2J" not in screen  # the file name's escape sequence is shown, not obeyed
    plain = SGR.sub("", screen)
    assert "\x1b" not in plain
    lines = plain.splitlines()
    problem_lines = [line for line in lines if line.startswith(("  error:", "  warning:"))]
    for label in ("Staff [/red] trained [bold]", "Referrals :warning: [link=file:///etc/passwd]here[/link]",
                  "Line one\\nerror: forged | fake.docx | about: all fine"):
        assert sum(label in line for line in problem_lines) == 1, (label, plain)
    assert sum("NWAS [red]final [b].docx | indicator" in line for line in problem_lines) == len(labels)
    shown_name = "ICB\\nerror: forged | ICB.docx | about: nothing to see\\x1b[2J.docx"
    assert any(shown_name in line and "placeholder 'xx%'" in line for line in problem_lines), plain
    assert not any(line.startswith("error: forged") for line in lines)
    assert any("the e-mail 'Our return\\n  rejected: forged [/red]' has no attachment" in line
               for line in lines if line.startswith("  rejected:")), plain
    assert not any(line.startswith("  rejected: forged") for line in lines)
    # One line per problem: as many problem lines as `check --json` finds problems.
    data = json.loads(subprocess_json(inputs, tmp_path))
    expected = sum(len(s["problems"]) for s in data["submissions"])
    expected += len(data["partnership_warnings"])  # the sample's own files' (the emoji in big-learn-event.md)
    assert len(problem_lines) == expected


def subprocess_json(inputs: Path, tmp_path: Path) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "assembler", "check", "--inputs", str(inputs), "--json", "-",
                           "--chase-out", str(tmp_path / "out-json")], capture_output=True, text=True, cwd=REPO,
                          env={**__import__("os").environ, "PYTHONPATH": str(REPO)}).stdout


# ------------------------------------------------- check finds what build would stop on (issue 16, item 3)

def _run_text(text: str, link: str | None = None):
    return (text, False, False, link)


def _one_return(inputs: Path, about_blocks: list) -> Path:
    from word_blocks import word_return

    shutil.rmtree(inputs / "returns")
    (inputs / "returns").mkdir()
    return word_return(inputs / "returns" / "NWAS return.docx", "North West Ambulance Service NHS Trust",
                       (about_blocks, [("paragraph", [_run_text(ACTIVITY)])], [("paragraph", [_run_text(PRIORITIES)])]))


def _build_report(inputs: Path, out: Path, force: bool = False):
    """The normal build, of the report only and of the agency chapter only (the fast part that holds the returns)."""
    from assembler.build import build
    from assembler.config import load_config

    config = load_config(inputs / "report.yaml")
    config = config.model_copy(update={"chapters": [config.agency_chapter], "glossary": {}})  # no glossary chapter, so no entries
    return build(inputs, out, config, only={"report"}, force=force)


@pytest.fixture
def full_inputs(tmp_path) -> Path:
    """The sample's own chapters, data and briefings, with no returns yet."""
    folder = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", folder, ignore=shutil.ignore_patterns("returns"))
    (folder / "returns").mkdir()
    config = folder / "report.yaml"  # these tests build from one return
    config.write_text(config.read_text(encoding="utf-8").replace("\nrules:\n", "\nrules:\n  min_returns: 1\n", 1), encoding="utf-8")
    return folder


def test_a_link_whose_text_is_its_own_address_builds_and_checks_clean(full_inputs, tmp_path, capsys):
    address = "https://www.nspcc.org.uk/keeping-children-safe/support-for-parents/"
    _one_return(full_inputs, [("paragraph", [_run_text(ABOUT + " See "), _run_text(address, address), _run_text(".")])])
    assert run("--inputs", str(full_inputs), "--allow-missing", "--chase-out", str(tmp_path / "chase")) == 0, capsys.readouterr().out
    result = _build_report(full_inputs, tmp_path / "out")
    assert result.ok, [str(e) for e in result.errors]
    import docx

    document = docx.Document(str(tmp_path / "out" / "annual-report.docx"))
    assert any(address in p.text for p in document.paragraphs)


STOPPERS = {
    "unclear link text": ([("paragraph", [_run_text("For our plan "), _run_text("click here", "https://example.org/plan")])],
                          "the link 'click here' to https://example.org/plan: the text does not say where it goes"),
    "link with no text": ([("paragraph", [_run_text("Our plan "), _run_text("  ", "https://example.org/plan"), _run_text(" is out.")])],
                          "a link to https://example.org/plan has no text"),
    "replacement character": ([("paragraph", [_run_text("We trained 40 staff \ufffd and more.")])],
                              "U+FFFD (REPLACEMENT CHARACTER)"),
    "character in a list in a table's neighbour": ([("list", False, [([_run_text("Ticked \ufffd")], [])])], "U+FFFD"),
}


@pytest.mark.parametrize("case", sorted(STOPPERS))
def test_a_return_that_would_stop_the_build_is_an_error_in_check(full_inputs, tmp_path, capsys, case):
    blocks, message = STOPPERS[case]
    _one_return(full_inputs, [("paragraph", [_run_text(ABOUT)]), *blocks])
    result = _build_report(full_inputs, tmp_path / "out")
    # The build stops on it before writing, naming the agency and the fix.
    [stop] = [str(e) for e in result.errors]
    assert "North West Ambulance Service NHS Trust: about:" in stop and message in stop and "fault in the assembler" not in stop
    # Forced on, it writes the report, and its checks of what it wrote stop on the same thing: the rule is real.
    forced = _build_report(full_inputs, tmp_path / "forced", force=True)
    assert any(e.file.startswith("annual-report.") for e in forced.errors), [str(e) for e in forced.errors]
    code = run("--inputs", str(full_inputs), "--chase-out", str(tmp_path / "chase"))
    printed = capsys.readouterr().out
    assert code == 1
    [line] = [line for line in printed.splitlines() if line.startswith("  error:")]
    assert "North West Ambulance Service NHS Trust | NWAS return.docx | about:" in line and message in line, printed
    email = (tmp_path / "chase" / "chase" / "nwas.txt").read_text()
    assert message in email  # the chase list asks the agency for the fix


def test_the_partnerships_own_files_that_would_stop_the_build_are_errors_in_check(full_inputs, tmp_path, capsys):
    _one_return(full_inputs, [("paragraph", [_run_text(ABOUT)])])
    config = full_inputs / "report.yaml"
    config.write_text(config.read_text().replace("    - Training for schools\n", "    - Training for schools\n    - Kite-flying toolkit\n"))
    chapter = full_inputs / "chapters" / "introduction.md"
    chapter.write_text(chapter.read_text() + '\n![chart](chart:no-such-chart "Figure 9: missing")\n')
    from assembler.build import build
    from assembler.config import load_config

    result = build(full_inputs, tmp_path / "out", load_config(config))
    assert not result.ok
    code = run("--inputs", str(full_inputs), "--chase-out", str(tmp_path / "chase"))
    printed = capsys.readouterr().out
    assert code == 1
    assert "Problems in the partnership's own files that would stop the build (2)" in printed
    assert any("'no-such-chart' is not defined" in line and line.startswith("  error:") for line in printed.splitlines())
    assert any("'Kite-flying toolkit'" in line and "summary.resources" in line for line in printed.splitlines())
    assert run("--inputs", str(full_inputs), "--json", "-", "--chase-out", str(tmp_path / "chase")) == 1
    exported = json.loads(capsys.readouterr().out)["partnership_problems"]
    assert [p["field"] for p in exported] == ["chart", "summary.resources"]
    assert any("no-such-chart" in str(e) for e in result.errors)
    # The build stops on the chart before it writes anything; without it, it stops on the summary's tile.
    chapter.write_text(chapter.read_text().replace('![chart](chart:no-such-chart "Figure 9: missing")', ""))
    result = build(full_inputs, tmp_path / "out", load_config(config), only={"summary"})
    assert [e for e in result.errors if "Kite-flying toolkit" in str(e)] and len(result.errors) == 1


def test_a_clean_sample_check_means_a_build(sample_inputs, tmp_path, capsys):
    """On the sample, check finds no error in the returns it uses, nor in the partnership's files, and the build
    succeeds; a check that gets stricter must not start failing the sample."""
    run("--inputs", str(sample_inputs), "--chase-out", str(tmp_path / "chase"))
    printed = capsys.readouterr().out
    assert "(0 errors," in printed and "would stop the build" not in printed


def test_the_console_prints_every_string_literally_on_one_line():
    from rich.table import Table
    from rich.text import Text

    from assembler.console import OfficerConsole, shown, styled

    assert shown("a\nb\r\tc\x1b[31m\x07\u202e\u2028d\x85") == "a\\nb\\r\\tc\\x1b[31m\\x07\\u202e\\u2028d\\x85"
    assert shown("Ŵ [red] :smile: ‘x’ \\n") == "Ŵ [red] :smile: ‘x’ \\n"  # printable text is left as it is
    assert shown("return\u200f.docx\u200e\u061c") == "return\\u200f.docx\\u200e\\u061c"  # invisible direction marks in a name
    console = OfficerConsole(width=200, force_terminal=True, color_system="standard")
    with console.capture() as captured:
        console.print("[bold]x[/bold] :warning: \x1b]0;title\x07")
        console.print(Text("made elsewhere\nsecond"))
        console.line(styled("error", "red"), ": [/red] line\none")
        table = Table(title="[i]title\n")
        table.add_column("c")
        table.add_row("cell\n[/b]")
        console.print(table)
    screen = re.sub(r"\x1b\[[0-9;]*m", "", captured.get())
    assert "[bold]x[/bold] :warning: \\x1b]0;title\\x07\n" in screen
    assert "made elsewhere\\nsecond\n" in screen
    assert "error: [/red] line\\none\n" in screen
    assert "[i]title\\n" in screen and "cell\\n[/b]" in screen
    assert "\x1b]" not in captured.get() and "\x07" not in captured.get()


def test_a_picture_the_writers_cannot_read_is_named_by_check_not_a_fault(inputs, tmp_path, capsys):
    import struct
    import zlib

    import docx

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    # A PNG that says it is 30,000 pixels square: Pillow refuses it as a decompression bomb.
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))
    path = free_form_docx(inputs / "returns" / "NWAS return.docx", title="North West Ambulance Service")
    document = docx.Document(str(path))
    document.add_picture(__import__("io").BytesIO(bomb))
    document.save(str(path))
    run("--inputs", str(inputs), "--chase-out", str(tmp_path / "out"))
    printed = capsys.readouterr().out
    assert "internal fault" not in printed
    # The firewall leaves the picture out and says so: the build then prints the rest of the return.
    assert any(line.startswith("  warning: North West Ambulance Service NHS Trust | NWAS return.docx")
               and "is left out of the report" in line and "million pixels" in line for line in printed.splitlines()), printed


def test_build_prints_markup_in_a_file_name_literally_under_a_terminal(inputs, tmp_path):
    (inputs / "returns" / "Cafcass [bold red]return\n[link=x]forged.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    code, screen = run_in_terminal("build", "--verbose", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--only", "summary")
    assert code == 0 and "MarkupError" not in screen, screen
    lines = SGR.sub("", screen).splitlines()
    assert any("Cafcass [bold red]return\\n[link=x]forged.doc: This is an old-style (.doc) file" in line for line in lines), screen
    assert not any(line.startswith("[link=x]forged.doc") for line in lines)
