"""The reading cache: an unchanged return is not read again by `check` or `build`, and nothing it reports or
writes changes because of it (problems, notes, pictures, output bytes); a damaged cache is read past."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from assembler import intake as intake_module
from assembler.cli import main
from assembler.config import load_config
from assembler.intake import read_returns
from assembler.problems import Problem
from assembler.reading_cache import ENVIRONMENT, ReadingCache

@pytest.fixture(autouse=True)
def reading_cache_on(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)  # conftest turns it off for every other test


NEW_RETURN = "Lighthouse Centre return.docx"  # it holds a picture, which must come back from the cache too
LEFT_OUT = ("Koala WSCP return draft.docx", "Cafcass Wirral return 2022-23.docx")  # 29 unchanged returns remain


@pytest.fixture
def counted_reads(monkeypatch, tmp_path):
    """The files the readers were asked to read, across the forked reading workers (they append to one file)."""
    log = tmp_path / "reads.log"
    log.touch()
    original = intake_module.read_file

    def counting(path, config, image_dir):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{Path(path).name}\n")
        return original(path, config, image_dir)

    monkeypatch.setattr(intake_module, "read_file", counting)

    def reads() -> list[str]:
        names = log.read_text(encoding="utf-8").splitlines()
        log.write_text("", encoding="utf-8")
        return sorted(names)

    return reads


@pytest.fixture
def returns_29_and_one_new(sample_inputs: Path, tmp_path: Path) -> tuple[Path, Path]:
    returns = sample_inputs / "returns"
    for name in LEFT_OUT:
        (returns / name).unlink()
    set_aside = tmp_path / NEW_RETURN
    shutil.move(returns / NEW_RETURN, set_aside)
    return sample_inputs, set_aside


def _check(inputs: Path, out: Path, capsys, *extra: str) -> str:
    capsys.readouterr()
    main(["check", "--verbose", "--inputs", str(inputs), "--chase-out", str(out), *extra])
    return capsys.readouterr().out


def test_check_with_29_unchanged_returns_and_one_new_reads_one_and_reports_as_reading_all(
        returns_29_and_one_new, counted_reads, tmp_path, capsys, monkeypatch):
    inputs, new = returns_29_and_one_new
    out = tmp_path / "outputs"
    _check(inputs, out, capsys)
    first_reads = counted_reads()
    assert len(first_reads) == 29 and NEW_RETURN not in first_reads
    assert len(list((out / ".cache").glob("*.reading"))) >= 28  # the .doc is refused by the screen, and kept too

    shutil.copy(new, inputs / "returns" / NEW_RETURN)
    cached = _check(inputs, out, capsys)
    assert counted_reads() == [NEW_RETURN]
    again = _check(inputs, out, capsys)
    assert counted_reads() == []

    monkeypatch.setenv(ENVIRONMENT, "off")
    uncached = _check(inputs, out, capsys)
    assert len(counted_reads()) == 30
    # Every problem, note, superseded file and where each return came from, as reading every file gives them.
    assert cached == uncached == again
    assert "Lighthouse" in cached and "warning" in cached and "superseded (not used)" in cached


def test_the_json_export_is_the_same_from_the_cache_with_its_pictures(returns_29_and_one_new, counted_reads, tmp_path, capsys):
    inputs, new = returns_29_and_one_new
    shutil.copy(new, inputs / "returns" / NEW_RETURN)
    out = tmp_path / "outputs"
    exports = []
    for run in ("first", "second"):
        export = tmp_path / run / "returns.json"
        _check(inputs, out, capsys, "--json", str(export))
        exports.append(export)
    assert len(counted_reads()) == 30  # all in the first run, none in the second
    first, second = (json.loads(e.read_text(encoding="utf-8")) for e in exports)
    text = json.dumps(second)
    pictures = sorted((tmp_path / "second" / "returns-images").iterdir())
    assert pictures, "the Lighthouse return's picture is put back beside the export"
    assert json.dumps(first).replace(str(tmp_path / "first"), "X") == text.replace(str(tmp_path / "second"), "X")
    assert [p.read_bytes() for p in pictures] == [p.read_bytes() for p in sorted((tmp_path / "first" / "returns-images").iterdir())]
    referenced = {Path(p) for p in re.findall(r'"path": "([^"]+\.(?:png|jpe?g))"', text)}
    assert referenced and all(p.is_file() and p.parent == tmp_path / "second" / "returns-images" for p in referenced)


def test_a_damaged_cache_entry_is_read_past_and_written_again(sample_inputs, counted_reads, tmp_path, capsys):
    out = tmp_path / "outputs"
    expected = _check(sample_inputs, out, capsys)
    counted_reads()
    # Four returns' entries (the partnership's material has its own entry, read by another path).
    entries = [entry for entry in sorted((out / ".cache").glob("*.reading"))
               if "entries" in ReadingCache(out / ".cache")._load_payload(entry)]
    damaged = {entries[0]: b"", entries[1]: entries[1].read_bytes()[:-7], entries[2]: b"\x80\x04 not a pickle",
               entries[3]: bytearray(entries[3].read_bytes())}
    damaged[entries[3]][-3] ^= 0xFF  # one flipped bit inside: the checksum notices
    for entry, data in damaged.items():
        entry.write_bytes(bytes(data))
    assert _check(sample_inputs, out, capsys) == expected
    assert len(counted_reads()) == 4
    assert _check(sample_inputs, out, capsys) == expected
    assert counted_reads() == []  # rewritten whole


def test_a_deleted_cache_is_only_a_slower_run(sample_inputs, counted_reads, tmp_path, capsys):
    out = tmp_path / "outputs"
    expected = _check(sample_inputs, out, capsys)
    shutil.rmtree(out / ".cache")
    assert _check(sample_inputs, out, capsys) == expected
    assert len(counted_reads()) == 2 * 32


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used(sample_inputs, tmp_path):
    config = load_config(sample_inputs / "report.yaml")
    cache = ReadingCache(tmp_path / "cache", max_bytes=40_000)
    read_returns([sample_inputs / "returns"], config, tmp_path / "images", cache=cache)
    kept = list((tmp_path / "cache").glob("*.reading"))
    assert kept and sum(entry.stat().st_size for entry in kept) <= 40_000
    assert len(kept) < 32  # some were evicted


def test_what_a_stopped_run_left_half_written_is_removed_once_it_is_old(tmp_path):
    cache = ReadingCache(tmp_path)
    old, fresh = tmp_path / ".writing-old", tmp_path / ".writing-fresh"
    old.write_bytes(b"x" * 100)
    fresh.write_bytes(b"x" * 100)
    os.utime(old, (0, 0))
    cache.evict()
    assert not old.exists() and fresh.exists()  # the fresh one may be another run's, still writing


def test_a_change_to_the_limits_or_the_file_name_is_a_new_reading(sample_inputs, counted_reads, tmp_path):
    config = load_config(sample_inputs / "report.yaml")
    cache = ReadingCache(tmp_path / "cache")
    returns = sample_inputs / "returns"
    read_returns([returns], config, tmp_path / "images", cache=cache)
    counted_reads()
    os.rename(returns / "YMCA Wirral return.docx", returns / "YMCA return.docx")
    read_returns([returns], config, tmp_path / "images", cache=cache)
    assert counted_reads() == ["YMCA return.docx"]
    tighter = config.model_copy(update={"limits": config.limits.model_copy(update={"max_seconds_per_file": 9})})
    read_returns([returns], tighter, tmp_path / "images", cache=cache)
    assert len(counted_reads()) == 32


def test_a_reading_stopped_by_the_time_limit_is_not_kept_and_a_refused_file_comes_back_under_its_path(tmp_path):
    cache = ReadingCache(tmp_path / "cache")
    stopped = [Problem(code="read_timeout", file=str(tmp_path / "big.docx"), message="big.docx took more than 5 seconds")]
    cache.store(tmp_path / "big.docx", "k" * 64, stopped, tmp_path / "images")
    short_of_memory = [Problem(code="read_memory", file=str(tmp_path / "b.docx"), message="The file needs more memory")]
    cache.store(tmp_path / "b.docx", "b" * 64, short_of_memory, tmp_path / "images")
    refused = [Problem(code="rejected_file", file=str(tmp_path / "bad.doc"), message="This is an old-style (.doc) file")]
    cache.store(tmp_path / "bad.doc", "d" * 64, refused, tmp_path / "images")
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["d" * 64 + ".reading"]
    moved = tmp_path / "elsewhere" / "bad.doc"
    assert cache._load("d" * 64, moved, tmp_path / "images") == [refused[0].with_(file=str(moved))]


def test_a_build_from_the_cache_writes_the_same_bytes(sample_inputs, tmp_path, monkeypatch, counted_reads, capsys):
    returns = sample_inputs / "returns"
    keep = {"Lighthouse Centre return.docx", "YMCA Wirral return.docx", "FW Catch22 WSCP annual return.eml",
            "NWAS_WSCP_return_2324.xlsx", "DA Hub WSCP return.docx"}
    for path in returns.iterdir():
        if path.name not in keep:
            path.unlink()
    manifests = []
    for run, cache in (("uncached", "off"), ("first", ""), ("cached", "")):
        monkeypatch.setenv(ENVIRONMENT, cache)
        out = tmp_path / "outputs"
        shutil.rmtree(out, ignore_errors=True) if run == "uncached" else None
        out.mkdir(exist_ok=True)
        assert main(["build", "--inputs", str(sample_inputs), "--out", str(out), "--allow-missing", "--only", "report"]) == 0
        manifests.append(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    reads = counted_reads()
    assert len(reads) == 2 * len(keep)  # the uncached build and the first; the cached build read nothing
    assert manifests[0]["outputs"] and manifests[0] == manifests[1] == manifests[2]


def test_the_partnerships_own_problems_come_back_from_the_cache_and_a_changed_chapter_is_read_again(
        sample_inputs, tmp_path, capsys, monkeypatch):
    import assembler.assemble as assemble

    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\nWe spent {{ lookup("funding.income", "Nobody", "Amount") | money }}.\n',
                       encoding="utf-8")
    calls = []
    original = assemble.read_partnership_material
    monkeypatch.setattr(assemble, "read_partnership_material", lambda *a: calls.append(a) or original(*a))
    out = tmp_path / "outputs"
    first = _check(sample_inputs, out, capsys)
    second = _check(sample_inputs, out, capsys)
    assert len(calls) == 1
    assert first == second and "would stop the build" in second and "glossary.md" in second and "Nobody" in second
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('"Nobody"', '"Wirral Council"'), encoding="utf-8")
    fixed = _check(sample_inputs, out, capsys)
    assert len(calls) == 2 and "Nobody" not in fixed


def test_the_partnerships_material_and_its_errors_survive_the_cache_as_they_were_read(sample_inputs, tmp_path):
    from assembler.assemble import read_partnership_material
    from assembler.problems import Problem

    (sample_inputs / "briefings" / "stray.txt").write_text("not a briefing", encoding="utf-8")
    config = load_config(sample_inputs / "report.yaml")
    cache = ReadingCache(tmp_path / "cache")
    read = cache.material(sample_inputs, config, lambda: read_partnership_material(sample_inputs, config))
    kept = cache.material(sample_inputs, config, lambda: pytest.fail("read again although nothing changed"))
    assert kept is not read
    assert kept.warnings and all(isinstance(w, Problem) for w in kept.warnings)
    assert [vars(w) for w in kept.warnings + kept.problems] == [vars(w) for w in read.warnings + read.problems]
    assert [str(w) for w in kept.warnings] == [str(w) for w in read.warnings]
    assert [c.model_dump() for c in kept.chapters] == [c.model_dump() for c in read.chapters]
    assert kept.tables == read.tables and kept.charts == read.charts


def test_the_same_file_in_two_folders_comes_back_under_each_ones_own_path(sample_inputs, counted_reads, tmp_path):
    config = load_config(sample_inputs / "report.yaml")
    returns = sample_inputs / "returns"
    (returns / "copies").mkdir()
    shutil.copy(returns / "YMCA Wirral return.docx", returns / "copies" / "YMCA Wirral return.docx")
    shutil.copy(returns / "NSPCC Wirral WSCP return 2023-24.doc", returns / "copies" / "NSPCC Wirral WSCP return 2023-24.doc")
    cache = ReadingCache(tmp_path / "cache")
    first = read_returns([returns], config, tmp_path / "images", cache=cache)
    counted_reads()
    second = read_returns([returns], config, tmp_path / "images", cache=cache)
    assert counted_reads() == []

    def where(intake):
        return (sorted(s.source.path for s in intake.accepted + intake.superseded + intake.unknown),
                sorted(r.file for r in intake.rejected), sorted(str(n) for n in intake.notes))

    assert where(first) == where(second)
    assert str(returns / "copies" / "NSPCC Wirral WSCP return 2023-24.doc") in where(second)[1]
    assert str(returns / "NSPCC Wirral WSCP return 2023-24.doc") in where(second)[1]
