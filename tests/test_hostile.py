"""The whole hostile corpus through intake: no traceback, no hang, each bad file set aside with its reason,
and the good returns beside them still accepted."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

intake = pytest.importorskip("assembler.intake")

from assembler.config import load_config  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import make_corpus  # noqa: E402  (a script folder, not a package)

REPO = Path(__file__).resolve().parent.parent
SECONDS_PER_FILE = 10
HOSTILE = [case for case in make_corpus.CASES if case.expect != "accept"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "returns"
    make_corpus.build_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def whole_run(corpus: Path, sample_config, tmp_path_factory):
    started = time.monotonic()
    result = intake.read_returns([corpus], sample_config, tmp_path_factory.mktemp("images"))
    return result, time.monotonic() - started


@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.name)
def test_each_hostile_file_alone_is_set_aside_with_its_reason_in_time(corpus: Path, config, tmp_path: Path, case):
    started = time.monotonic()
    result = intake.read_returns([corpus / case.name], config, tmp_path / "images")
    seconds = time.monotonic() - started

    assert seconds < SECONDS_PER_FILE, f"{case.name} took {seconds:.1f} s"
    if case.expect == "reject":
        assert [Path(r.file).name for r in result.rejected] == [case.name]
        reason = result.rejected[0].message.lower()
        assert any(word in reason for word in case.reason_words), reason
        assert result.rejected[0].fix
        assert not result.accepted and not result.unknown


def test_the_good_returns_survive_beside_the_hostile_ones(whole_run):
    result, seconds = whole_run
    accepted = {s.agency_id: s for s in result.accepted}
    for agency_id, name in (("mfrs", "mfrs-return.docx"), ("cafcass", "cafcass-return.docx"), ("barnardos", "long-table.docx")):
        assert agency_id in accepted, f"{name} was not accepted"
        assert Path(accepted[agency_id].source.path).name == name
        assert accepted[agency_id].about and accepted[agency_id].activity and accepted[agency_id].priorities
    assert make_corpus_text(accepted["mfrs"]).startswith("Merseyside Fire & Rescue Service worked with")
    assert seconds < SECONDS_PER_FILE * 3, f"the whole corpus took {seconds:.1f} s"


@pytest.mark.parametrize(("agency_id", "name", "attachment", "writer"), [
    ("wuth", "renamed-main.docx", None, "Wirral University Teaching Hospital NHS Foundation Trust"),
    ("education", "ATT00001", None, "Wirral Education Safeguarding Service"),
    ("probation", "forwarded-return.eml", "Probation return.docx", "Probation Service (Merseyside)"),
    ("domestic-abuse-hub", "unknown-charset.eml", "DA Hub return.docx", "Wirral Domestic Abuse Hub"),
])
def test_returns_are_recognised_by_their_content_not_their_name(whole_run, agency_id, name, attachment, writer):
    result, _ = whole_run
    accepted = {s.agency_id: s for s in result.accepted}
    assert agency_id in accepted, f"{name} was not accepted"
    submission = accepted[agency_id]
    assert Path(submission.source.path).name == name and submission.source.attachment == attachment
    assert make_corpus_text(submission).startswith(f"{writer} worked with")
    assert submission.activity and submission.priorities


def test_a_forwarded_return_is_credited_to_the_agency_that_sent_it(whole_run):
    # The officer forwarded it on 2 May; the agency sent it on 26 April: that is when it was received.
    result, _ = whole_run
    probation = next(s for s in result.accepted if s.agency_id == "probation")
    assert probation.source.sender == "wirral.pdu@probation.example"
    assert probation.source.received.isoformat() == "2024-04-26T16:20:00+01:00"


def test_a_workbook_named_docx_is_read_as_a_workbook(whole_run):
    result, _ = whole_run
    named = [s for s in result.accepted + result.unknown + result.superseded
             if Path(s.source.path).name == "workbook-named.docx"]
    assert named and named[0].source.format == "xlsx"
    assert "workbook-named.docx" not in {Path(r.file).name for r in result.rejected}


def test_a_link_is_refused_and_never_followed(whole_run):
    result, _ = whole_run
    [link] = [r for r in result.rejected if Path(r.file).name == "shortcut.docx"]
    assert "link" in link.message and "secret.docx" in link.message and "copy the real file" in link.fix
    # The file it points at, another agency's return, was never read.
    assert "wirral-council" not in {s.agency_id for s in result.accepted + result.superseded}
    [pipe] = [r for r in result.rejected if Path(r.file).name == "pipe.docx"]
    assert "pipe" in pipe.message and pipe.fix


def make_corpus_text(submission) -> str:
    from assembler.schema import plain_text

    return plain_text(submission.about)


def test_every_rejected_file_of_the_corpus_is_listed_once_with_a_fix(whole_run):
    result, _ = whole_run
    rejected = {Path(r.file).name for r in result.rejected}
    expected = {case.name for case in make_corpus.CASES if case.expect == "reject"}
    assert expected <= rejected
    assert not rejected - expected - {case.name for case in make_corpus.CASES if case.expect == "either"}
    for entry in result.rejected:
        assert entry.message and entry.fix


def test_an_attachment_named_to_escape_the_folder_stays_inside(whole_run, corpus: Path):
    result, _ = whole_run
    from_email = [s for s in result.accepted + result.superseded + result.unknown if s.source.attachment]
    for submission in from_email:
        name = submission.source.attachment
        assert "/" not in name and "\\" not in name and ".." not in name, name
    for place in (corpus, corpus.parent, corpus.parent.parent, Path.cwd(), REPO):
        assert not (place / "x.docx").exists(), f"an attachment escaped into {place}"
    assert not Path("/etc/passwd.docx").exists()
    assert not list(Path.cwd().glob("C:*"))
    assert sorted(p.name for p in corpus.iterdir()) == sorted(case.name for case in make_corpus.CASES)


def test_reading_the_corpus_keeps_memory_modest(corpus: Path, tmp_path: Path):
    # The bombs inflate to 2 GiB and the sparse file is 600 MB: none of that may ever be held in memory.
    # Measured in a process of its own: the peak of the test process would count every test before this one.
    import json
    import subprocess

    probe = (
        "import json, resource, sys\nfrom pathlib import Path\nfrom assembler import intake\n"
        "from assembler.config import load_config\n"
        "intake.read_returns([Path(sys.argv[1])], load_config(Path(sys.argv[2])), Path(sys.argv[3]))\n"
        "print(json.dumps([resource.getrusage(who).ru_maxrss / 1024 "
        "for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(corpus), str(REPO / "inputs" / "report.yaml"), str(tmp_path)],
                          capture_output=True, text=True, check=True, timeout=300)
    this_mb, workers_mb = json.loads(done.stdout.splitlines()[-1])
    assert workers_mb < 600, f"a reader process reached {workers_mb:.0f} MB"
    assert this_mb < 600, f"the reading process reached {this_mb:.0f} MB"
