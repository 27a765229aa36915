"""Fuzz: mutated .docx/.xlsx bytes never get past the gate and the readers as anything but a Rejection or a result."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembler.config.model import Limits
from assembler.readers.safety import Rejection, run_with_limits, sniff
from assembler.readers.table import READERS as READER_ROWS, reader_for

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import make_corpus  # noqa: E402  (a script folder, not a package)

FUZZ = settings(max_examples=50, deadline=20_000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
LIMITS = Limits()


def _good_docx() -> bytes:
    buffer = io.BytesIO()
    make_corpus.valid_return("Cafcass", "cafcass", words=40).save(buffer)
    return buffer.getvalue()


GOOD = {"docx": _good_docx(), "xlsx": make_corpus._xlsx_bytes()}
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}


def _readers():
    """The readers, if they have landed: kind -> callable(path, image_dir)."""
    found = {}
    try:
        from assembler.readers.docx_return import read_docx

        found["docx"] = read_docx
    except ImportError:
        pass
    try:
        from assembler.readers.xlsx_return import read_xlsx

        found["xlsx"] = read_xlsx
    except ImportError:
        pass
    return found


READERS = _readers()


def _gate_then_read(path: Path, image_dir: Path) -> None:
    """What intake does with one file: check it, then read it with the limits; only Rejection may escape."""
    kind = reader_for(path, LIMITS).kind
    assert kind in READER_ROWS
    reader = READERS.get(kind)
    if reader is not None:
        run_with_limits(reader, path, image_dir, seconds=LIMITS.max_seconds_per_file)


def _outcome(path: Path, image_dir: Path) -> str:
    try:
        _gate_then_read(path, image_dir)
    except Rejection as rejection:
        assert rejection.reason and rejection.fix
        return "rejected"
    return "read"


byte_edits = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8)


def _edit(data: bytes, edits: list[tuple[float, int]]) -> bytes:
    mutated = bytearray(data)
    for where, value in edits:
        mutated[int(where * len(mutated))] = value
    return bytes(mutated)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@FUZZ
@given(edits=byte_edits, cut=st.one_of(st.none(), st.floats(0, 1)))
def test_package_bytes_mutated_anywhere(tmp_path: Path, kind: str, edits, cut):
    data = _edit(GOOD[kind], edits)
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / f"fuzz.{kind}"
    path.write_bytes(data)
    assert isinstance(sniff(path), str)
    _outcome(path, tmp_path / "images")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@FUZZ
@given(edits=byte_edits, insert=st.sampled_from(["", "<!DOCTYPE x>", "&amp;", "<w:tbl>", "\x00", "</", "]]>", "\ufeff"]))
def test_main_xml_part_mutated_inside_a_sound_zip(tmp_path: Path, kind: str, edits, insert: str):
    # The zip is intact, so only the XML is damaged: this reaches the readers' parsers.
    members = dict(make_corpus._members(GOOD[kind]))
    xml = _edit(members[MAIN_PART[kind]], edits)
    middle = len(xml) // 2
    members[MAIN_PART[kind]] = xml[:middle] + insert.encode() + xml[middle:]
    path = tmp_path / f"fuzz.{kind}"
    path.write_bytes(make_corpus._rezip(list(members.items())))
    outcome = _outcome(path, tmp_path / "images")
    if "DOCTYPE" in insert:
        assert outcome == "rejected"


def test_an_unmutated_return_is_read():
    # The fuzz above is only meaningful if the starting files pass the gate and the readers.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for kind, data in GOOD.items():
            path = Path(folder) / f"good.{kind}"
            path.write_bytes(data)
            assert _outcome(path, Path(folder) / "images") == "read"


@FUZZ
@given(name=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
       | st.lists(st.sampled_from(["..", "/", "\\", "C:", ".", "x", "docx", " ", "\x00", "\u202e", "~"]),
                  max_size=20).map("".join))
def test_attachment_names_never_escape_whatever_they_say(name: str):
    from assembler.readers.safety import safe_attachment_name

    safe = safe_attachment_name(name)
    assert safe and len(safe) <= 120
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert not any(ord(c) < 32 for c in safe)
    assert safe not in (".", "..") and not safe.startswith((".", " "))
    assert not __import__("re").match(r"^[A-Za-z]:", safe)


EMAIL = None


def _hostile_email() -> bytes:
    global EMAIL
    if EMAIL is None:
        EMAIL = make_corpus._hostile_email(GOOD["docx"])
    return EMAIL


@FUZZ
@given(edits=byte_edits, cut=st.one_of(st.none(), st.floats(0, 1)))
def test_mutated_e_mails_only_ever_write_inside_their_folder(tmp_path_factory, edits, cut):
    try:
        from assembler.readers.email_return import read_eml
    except ImportError:
        pytest.skip("the e-mail reader has not landed")
    folder = tmp_path_factory.mktemp("mail")
    data = _edit(_hostile_email(), edits)
    if cut is not None:
        data = data[: int(cut * len(data))]
    (folder / "in.eml").write_bytes(data)
    work = folder / "work"
    try:
        run_with_limits(read_eml, folder / "in.eml", work, seconds=10)
    except Rejection:
        pass
    written = {p.relative_to(folder) for p in folder.rglob("*")}
    assert all(p == Path("in.eml") or p.parts[0] == "work" for p in written), written
